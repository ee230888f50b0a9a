"""Shared helpers: robust statistics over repeated runs, and a description of the machine."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
NODE_MODULES = ROOT / "node_modules"


def summary(values: list[float], digits: int = 4) -> dict[str, float | int]:
    """Median and spread (min, max, inter-quartile range) of repeated measurements."""
    if not values:
        raise ValueError("no measurements")
    ordered = sorted(values)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    def r(x: float) -> float:
        return round(x, digits)

    return {"median": r(statistics.median(ordered)), "min": r(ordered[0]), "max": r(ordered[-1]),
            "q1": r(q1), "q3": r(q3), "n": len(ordered)}


def ratio_summary(numerators: list[float], denominators: list[float]) -> dict[str, float | int]:
    """Per-repeat ratios (each pair measured back to back), summarised like :func:`summary`."""
    return summary([a / b for a, b in zip(numerators, denominators, strict=True)], digits=3)


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        match = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        return round(int(match.group(1)) / 2**20, 1) if match else None
    except OSError:
        return None


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.splitlines()[-1] if out else ""


def _package_version(path: Path) -> str:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return ""


def machine() -> dict[str, object]:
    """Cores, memory, CPU model and tool versions, for the report's "machine" line."""
    import mkdocs

    node = shutil.which("node")
    return {
        "date": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "node": _version([node, "--version"]) if node else "",
        "pyodide": _package_version(NODE_MODULES / "pyodide" / "package.json"),
        "mkdocs": mkdocs.__version__,
        "chromium": "",  # filled in by the browser section
    }


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "refundlib", "site_plugins", "bench"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{rev}{'+dirty' if dirty else ''}"


def python() -> str:
    return sys.executable
