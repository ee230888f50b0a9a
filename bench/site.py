"""The site the browser sections load: ``mkdocs build`` of the project, plus the floor page.

The floor (``bench-floor/``) is a bare page that does only what the calculator cannot avoid:
start a module Web Worker that imports the same ``assets/refund/pyodide/pyodide.mjs`` from the
same server, ``loadPyodide()`` (which fetches the same wasm, stdlib zip and lock file) and runs
one line of Python. It records ``performance.now()`` when the worker says so.

The second floor (``bench-floor-bytecode/``) is the same page starting Pyodide with the site's own
standard library archive (the manifest's ``stdlib``, the modules the calculator imports as bytecode,
see site_plugins/bytecode.py), as the calculator does: the fairest floor, against which the
calculator's own cost shows without what that archive saves.

Both floors load the runtime from the folder the site publishes it in (the manifest's
``pyodide_index_url``, a content-hashed folder the headers file marks immutable).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .common import ROOT

FLOOR_DIR = "bench-floor"

FLOOR_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor: Pyodide only</title></head>
<body><p id="floor" data-state="loading">Starting Python…</p>
<script type="module" src="floor.js"></script></body></html>
"""

FLOOR_JS = """// The floor: boot the site's Pyodide files in a module worker, run one line of Python.
const status = document.getElementById("floor");
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  window.__benchFloor = { ready: performance.now(), result: event.data };
  status.dataset.state = event.data && event.data.ok ? "ready" : "failed";
  status.textContent = JSON.stringify(event.data);
});
"""

FLOOR_BYTECODE_DIR = "bench-floor-bytecode"
MANIFEST = "assets/refund/manifest.json"

FLOOR_WORKER = """import { loadPyodide } from "../assets/refund/PYODIDE/pyodide.mjs";

const indexURL = new URL("../assets/refund/PYODIDE/", import.meta.url).href;
const options = { indexURL /* , stdLibURL */ };
try {
  const pyodide = await loadPyodide(options);
  self.postMessage({ ok: true, value: pyodide.runPython("1 + 1") });
} catch (error) {
  self.postMessage({ ok: false, value: String(error) });
}
"""


def build_site(site_dir: Path, config: Path = ROOT / "mkdocs.yml", cwd: Path = ROOT,
               env: dict[str, str] | None = None) -> Path:
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
                           "--site-dir", str(site_dir)], cwd=cwd, capture_output=True, text=True, timeout=3600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return site_dir


def add_floor(site_dir: Path) -> str:
    """Write the floor pages into the built site; return the first's path relative to the site root.

    The second (:data:`FLOOR_BYTECODE_DIR`) is written only if the site has its own standard library archive.
    """
    manifest = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    worker = FLOOR_WORKER.replace("PYODIDE/", manifest["pyodide_index_url"])
    pages = {FLOOR_DIR: worker}
    if "stdlib" in manifest:
        stdlib = f"../assets/refund/{manifest['stdlib']}"
        pages[FLOOR_BYTECODE_DIR] = worker.replace(
            "{ indexURL /* , stdLibURL */ }", f'{{ indexURL, stdLibURL: new URL("{stdlib}", import.meta.url).href }}')
    for name, worker in pages.items():
        floor = site_dir / name
        floor.mkdir(exist_ok=True)
        (floor / "index.html").write_text(FLOOR_HTML, encoding="utf-8")
        (floor / "floor.js").write_text(FLOOR_JS, encoding="utf-8")
        (floor / "worker.js").write_text(worker, encoding="utf-8")
    return f"{FLOOR_DIR}/"
