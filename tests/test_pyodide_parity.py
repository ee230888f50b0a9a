"""Parity: the case files evaluated inside Pyodide (Node, the npm runtime) give JSON identical to CPython's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "pyodide" / "decide_cases.py"
CASES = ROOT / "tests" / "cases"


def test_pyodide_and_cpython_agree_on_every_case(shipped: tuple[Path, Path, Path]) -> None:
    """With what the site ships: the bytecode Pyodide compiled is what runs in the browser, on the trimmed standard
    library (a module the case files' paths import and the site does not ship fails the run)."""
    wheel, stdlib, lazy = shipped
    node = shutil.which("node")
    assert node, "node is required (Node 20+): the README's make test installs everything else"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "node_modules/pyodide missing: run make setup"
    cpython = subprocess.run([sys.executable, str(SCRIPT), str(CASES)], capture_output=True, text=True, check=True,
                             timeout=300)
    pyodide = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "run_python.mjs"), "--wheel", str(wheel), "--stdlib", str(stdlib),
         "--lazy", str(lazy), "--script", str(SCRIPT), "--mount", f"{CASES}:/cases", "--arg", "/cases"],
        capture_output=True, text=True, timeout=600, check=False)
    assert pyodide.returncode == 0, pyodide.stderr[-4000:]
    ours, theirs = json.loads(cpython.stdout), json.loads(pyodide.stdout)
    assert theirs.pop("python")[:2] == [3, 14], "expected Pyodide's Python 3.14"
    ours.pop("python")
    assert len(ours["cases"]) >= 40
    if ours != theirs:
        for mine, other in zip(ours["cases"], theirs["cases"], strict=False):
            assert mine == other, f"{mine['vendor']}: {mine['name']}"
        pytest.fail("compare results differ between CPython and Pyodide")
