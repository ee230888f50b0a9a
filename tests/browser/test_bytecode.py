"""Pyodide in Chromium, started with the standard library the site ships, compiles none of it.

site_plugins/bytecode.py finds the modules Pyodide's start-up imports by running Pyodide in Node;
this checks the browser's start-up imports no other (tests/site/test_site_bytecode.py checks the
modules refundlib imports, under Node). A module worker on the site's origin starts Pyodide from
the site's files, with the site's ``python_stdlib-bytecode.zip`` and then with Pyodide's own
``python_stdlib.zip``, and lists the standard library modules that were loaded from source.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route

CHECK_URL = "assets/refund/__bytecode-check__.mjs"

# Which standard library modules zipimport loaded from their source rather than from a pyc beside it.
CHECK_WORKER = """
const base = new URL("./manifest.json", import.meta.url);
const manifest = await (await fetch(base)).json();
const indexURL = new URL(manifest.pyodide_index_url, base).href;
const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
const own = new URL(import.meta.url).searchParams.get("stdlib") === "pyodide";
const stdLibURL = own ? undefined : new URL(manifest.stdlib, base).href;
try {
  const pyodide = await loadPyodide({ indexURL, ...(stdLibURL ? { stdLibURL } : {}) });
  self.postMessage({ ok: true, fromSource: JSON.parse(pyodide.runPython(`
import json, sys, zipimport
json.dumps(sorted(name for name, module in list(sys.modules.items())
                  if isinstance(getattr(getattr(module, "__spec__", None), "loader", None), zipimport.zipimporter)
                  and module.__spec__.origin.endswith(".py")))
`)) });
} catch (error) {
  self.postMessage({ ok: false, error: String(error) });
}
"""

RUN = """async (url) => {
  const worker = new Worker(url, { type: "module" });
  try {
    return await new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || "the check's worker failed to load"));
    });
  } finally {
    worker.terminate();
  }
}"""


def _serve_check(route: Route) -> None:
    route.fulfill(status=200, body=CHECK_WORKER, headers={"content-type": "text/javascript"})


@pytest.fixture
def start_pyodide(page: Page, site_server: str):
    page.context.route(f"**/{CHECK_URL}*", _serve_check)
    page.goto(site_server)

    def start(stdlib: str) -> list[str]:
        outcome = page.evaluate(RUN, f"{site_server}{CHECK_URL}?stdlib={stdlib}")
        assert outcome["ok"], outcome
        return outcome["fromSource"]

    return start


def test_pyodides_start_up_loads_no_standard_library_module_from_source(start_pyodide) -> None:
    assert start_pyodide("site") == []
    # The check sees it when it happens: with Pyodide's own zip, its start-up compiles 100-odd modules.
    own = start_pyodide("pyodide")
    assert len(own) > 100 and {"asyncio", "ast", "json"} <= set(own), json.dumps(own)
