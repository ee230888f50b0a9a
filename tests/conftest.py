"""Shared test fixtures: the refundlib wheel that Pyodide loads."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def refundlib_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the refundlib py3-none-any wheel from the working tree (once per session).

    Uses the project's build backend (hatchling, from the dev group) in-process,
    so it needs no network and no uv.
    """
    out_dir = tmp_path_factory.mktemp("wheel")
    code = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(out_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the refundlib wheel failed:\n{proc.stdout}\n{proc.stderr}")
    return out_dir / proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def shipped_wheel(refundlib_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel as the site ships it: with the bytecode Pyodide compiled (site_plugins/bytecode.py)."""
    from site_plugins import assets, bytecode

    wheel = bytecode.with_bytecode(assets.Wheel(refundlib_wheel.name, refundlib_wheel.read_bytes()),
                                   REPO_ROOT / "node_modules")
    path = tmp_path_factory.mktemp("shipped") / wheel.name
    path.write_bytes(wheel.content)
    return path
