"""Fixtures for the site tests: the site built once per session with ``mkdocs build --strict``.

mkdocs runs in a subprocess, so warnings raised inside mkdocs or its theme never meet
pytest's ``filterwarnings = error``; the build's own strictness is the check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import refundlib
from refundlib.model import Policy

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests"))  # case_files



def run_mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    proc = run_mkdocs_build(REPO_ROOT / "mkdocs.yml", site_dir)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return site_dir


@pytest.fixture(scope="session")
def build_variant(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], subprocess.CompletedProcess[str]]:
    """Build with the repo's mkdocs.yml plus the given YAML (e.g. other plugin options); returns the process.

    The site lands in ``<config dir>/site``.
    """
    def build(extra_yaml: str) -> subprocess.CompletedProcess[str]:
        directory = tmp_path_factory.mktemp("variant")
        # Paths mkdocs resolves against the config file's folder (the theme's custom_dir) must exist there too.
        theme = (yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("theme") or {}
        custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
        if custom_dir and not Path(custom_dir).is_absolute():
            (directory / custom_dir).symlink_to(REPO_ROOT / custom_dir, target_is_directory=True)
        config = directory / "mkdocs.yml"
        config.write_text(f"INHERIT: {REPO_ROOT / 'mkdocs.yml'}\ndocs_dir: {REPO_ROOT / 'docs'}\n{extra_yaml}",
                          encoding="utf-8")
        return run_mkdocs_build(config, directory / "site")

    return build


@pytest.fixture(scope="session")
def policies() -> list[Policy]:
    return refundlib.all_policies()
