"""Smoke tests of the browser test infrastructure itself (independent of the real site).

1. A minimal MkDocs Material site builds with --strict, is served locally, renders,
   makes no foreign request, logs no console error and passes axe (serious/critical).
2. Pyodide from node_modules runs in a module Web Worker served by the test server,
   unpacks the refundlib wheel and evaluates Python: the calculator's approach.
"""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

REPO_ROOT = Path(__file__).resolve().parents[2]
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]

MKDOCS_YML = """\
site_name: Infra Smoke Site
theme:
  name: material
  font: false
# Stock Material 9.8 has two serious axe findings: the search dialog has no
# accessible name and the "Made with Material" footer text lacks contrast.
# The smoke site sidesteps both; the real site must fix them.
plugins: []
extra:
  generator: false
nav:
  - Home: index.md
"""

WORKER_MJS = """\
import { loadPyodide } from "./pyodide/pyodide.mjs";

self.onmessage = async (event) => {
  try {
    const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
    const wheel = new Uint8Array(await (await fetch(event.data.wheel)).arrayBuffer());
    const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
    pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
    const result = pyodide.runPython("import refundlib; 1+1");
    const where = pyodide.runPython("refundlib.__file__");
    self.postMessage({ ok: true, result, where });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err) });
  }
};
"""

RUN_IN_WORKER = """async (wheel) => {
  const worker = new Worker("smoke-worker.mjs", { type: "module" });
  try {
    return await new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || "worker failed to load"));
      worker.postMessage({ wheel });
    });
  } finally {
    worker.terminate();
  }
}"""


@pytest.fixture(scope="module")
def smoke_site(tmp_path_factory, build_mkdocs_site, serve_directory, refundlib_wheel) -> str:
    project = tmp_path_factory.mktemp("smoke-project")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Smoke test page\n\nHello from the infra smoke test.\n")
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    site = build_mkdocs_site(project / "mkdocs.yml", project / "site")

    (site / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy(REPO_ROOT / "node_modules" / "pyodide" / name, site / "pyodide" / name)
    shutil.copy(refundlib_wheel, site / refundlib_wheel.name)
    (site / "smoke-worker.mjs").write_text(WORKER_MJS)
    return serve_directory(site)


def test_material_site_renders_cleanly(page, smoke_site, check_accessibility):
    page.goto(smoke_site)
    expect(page).to_have_title("Infra Smoke Site")
    expect(page.get_by_role("heading", name="Smoke test page")).to_be_visible()
    assert check_accessibility(page) == []


def test_accessibility_check_reports_violations(page, smoke_site, check_accessibility):
    page.goto(smoke_site)
    page.evaluate("() => document.querySelector('article').append(Object.assign(new Image(), {src: 'data:,'}))")
    assert "image-alt" in [v["id"] for v in check_accessibility(page)]


def test_pyodide_runs_in_module_worker(page, smoke_site, refundlib_wheel):
    page.goto(smoke_site)
    outcome = page.evaluate(RUN_IN_WORKER, refundlib_wheel.name)
    assert outcome == {"ok": True, "result": 2, "where": outcome.get("where")}, outcome
    assert outcome["where"].endswith("site-packages/refundlib/__init__.py")
