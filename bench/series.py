"""Section 2: the refund-over-time series in Pyodide (Node, the npm package the site ships).

Runs bench/pyodide_series.py under Pyodide with the refundlib wheel (tests/pyodide/run_python.mjs)
and, for comparison, under this CPython. Budget: all vendors' series together <= 100 ms after start-up.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import BENCH, ROOT, ratio_summary, summary

SCRIPT = BENCH / "pyodide_series.py"
RUNNER = ROOT / "tests" / "pyodide" / "run_python.mjs"
BUDGET_MS = 100.0


def build_wheel(out_dir: Path) -> Path:
    code = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
    proc = subprocess.run([sys.executable, "-c", code, str(out_dir)], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=300)
    return out_dir / proc.stdout.strip().splitlines()[-1]


def _run(cmd: list[str]) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout), wall


def _section(data: dict, python: str) -> dict[str, object]:
    return {
        "python": python,
        "total_ms": summary(data["total_ms"], 1),
        "per_vendor_ms": {vendor: summary(values, 1) for vendor, values in data["per_vendor_ms"].items()},
        "series_recatch_ms": summary(data["per_vendor_ms"]["recatch"], 2),
        "floor_recatch_ms": summary(data["floor_recatch_ms"], 3),
        "recatch_vs_floor": ratio_summary(data["per_vendor_ms"]["recatch"], data["floor_recatch_ms"]),
    }


def run(repeats: int = 7, days: int = 365) -> dict[str, object]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is required for the Pyodide section")
    with tempfile.TemporaryDirectory(prefix="bench-wheel-") as tmp:
        wheel = build_wheel(Path(tmp))
        pyodide, wall = _run([node, str(RUNNER), "--wheel", str(wheel), "--script", str(SCRIPT),
                              "--mount", f"{BENCH}:{BENCH}", "--arg", str(repeats), "--arg", str(days)])
    cpython, _ = _run([sys.executable, str(SCRIPT), str(repeats), str(days)])
    result: dict[str, object] = {
        "what": "refund_series for every vendor, request days 0..N, one purchase; timed inside Python "
                "(Pyodide start-up excluded)",
        "days": days,
        "repeats": repeats,
        "node_process_wall_s": round(wall, 2),
        "budget_ms": BUDGET_MS,
        "budgeted_workload": "answered",
    }
    for workload in ("answered", "unknown"):
        result[workload] = {
            "scenarios": pyodide[workload]["scenarios"],
            "point_kinds": pyodide[workload]["kinds"],
            "pyodide": _section(pyodide[workload], pyodide["python"]),
            "cpython": _section(cpython[workload], cpython["python"]),
            "pyodide_vs_cpython": ratio_summary(pyodide[workload]["total_ms"], cpython[workload]["total_ms"]),
        }
    result["pyodide"] = result["answered"]["pyodide"]
    result["met"] = result["answered"]["pyodide"]["total_ms"]["median"] <= BUDGET_MS
    return result
