"""The site the browser sections load: ``mkdocs build`` of the project, plus the floor page.

The floor (``bench-floor/``) is a bare page that does only what the calculator cannot avoid:
start a module Web Worker that imports the same ``assets/refund/pyodide/pyodide.mjs`` from the
same server, ``loadPyodide()`` (which fetches the same wasm, stdlib zip and lock file) and runs
one line of Python. It records ``performance.now()`` when the worker says so.
"""

from __future__ import annotations

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

FLOOR_WORKER = """import { loadPyodide } from "../assets/refund/pyodide/pyodide.mjs";

const indexURL = new URL("../assets/refund/pyodide/", import.meta.url).href;
try {
  const pyodide = await loadPyodide({ indexURL });
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
    """Write the floor page into the built site; return its path relative to the site root."""
    floor = site_dir / FLOOR_DIR
    floor.mkdir(exist_ok=True)
    (floor / "index.html").write_text(FLOOR_HTML, encoding="utf-8")
    (floor / "floor.js").write_text(FLOOR_JS, encoding="utf-8")
    (floor / "worker.js").write_text(FLOOR_WORKER, encoding="utf-8")
    return f"{FLOOR_DIR}/"
