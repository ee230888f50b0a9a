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
def shipped(refundlib_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """What the site ships for Pyodide (site_plugins/bytecode.py): the wheel with bytecode, and the two standard
    library archives (the one Pyodide starts with, and the one its import hook loads on first use)."""
    from site_plugins import assets, bytecode

    compiled = bytecode.compile_for_pyodide(assets.Wheel(refundlib_wheel.name, refundlib_wheel.read_bytes()),
                                            REPO_ROOT / "node_modules")
    folder = tmp_path_factory.mktemp("shipped")
    (folder / compiled.wheel.name).write_bytes(compiled.wheel.content)
    (folder / "core.zip").write_bytes(compiled.core)
    (folder / "lazy.zip").write_bytes(compiled.lazy)
    return folder / compiled.wheel.name, folder / "core.zip", folder / "lazy.zip"
