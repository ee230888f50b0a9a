"""The calculator's files in the built site: Pyodide runtime, refundlib wheel, manifest, policy JSON.

Layout (see docs/site-contract.md)::

    assets/refund/manifest.json          wheel, pyodide_index_url, stdlib (unless bytecode: false), vendors
    assets/refund/<wheel>                refundlib, built by the project's build backend (plus bytecode)
    assets/refund/python_stdlib-bytecode.zip   Pyodide's standard library plus bytecode
    assets/refund/pyodide/               the runtime files, copied from node_modules/pyodide
    assets/refund/policies/<id>.json     refundlib.serialize.policy_to_dict(policy)
    assets/refund/*                      the calculator's own files (site_plugins/assets/refund/);
                                         worker.js with the manifest's boot settings written in

URLs in the manifest are relative to the manifest itself.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from refundlib.model import Policy
from refundlib.serialize import policy_to_dict

ASSET_DIR = "assets/refund"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
LOCAL_INDEX_URL = "pyodide/"  # relative to manifest.json
CALCULATOR_SOURCE = Path(__file__).parent / "assets" / "refund"


class AssetError(Exception):
    """A file the calculator needs is missing or cannot be built; the message says what to do."""


def project_root() -> Path:
    """The working tree refundlib is imported from (an editable install), where pyproject.toml is."""
    import refundlib

    root = Path(refundlib.__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file():
        raise AssetError(f"{root}: refundlib is not imported from the project's working tree (no pyproject.toml "
                         f"next to it), so its wheel cannot be built; run `make setup`")
    return root


# -- Pyodide -----------------------------------------------------------------------------------

def pyodide_runtime(node_modules: Path) -> dict[str, Path]:
    """The runtime files to publish under ``assets/refund/pyodide/``, by name."""
    package = node_modules / "pyodide"
    missing = [name for name in PYODIDE_FILES if not (package / name).is_file()]
    if missing:
        raise AssetError(f"{package}: missing {', '.join(missing)}; run `make setup` to install the Pyodide "
                         f"runtime from package-lock.json")
    return {name: package / name for name in PYODIDE_FILES}


# -- the refundlib wheel ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Wheel:
    name: str
    content: bytes


class WheelCache:
    """Builds the refundlib wheel with the project's build backend, again only when a source changed.

    ``mkdocs serve`` rebuilds the site on every edit; the wheel is rebuilt only when a file
    under ``refundlib/`` (or pyproject.toml, README.md) has a new mtime, size or name.
    """

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._wheel: Wheel | None = None
        self.builds = 0

    @staticmethod
    def fingerprint(root: Path) -> tuple[object, ...]:
        paths = [root / "pyproject.toml", root / "README.md"]
        paths += sorted(p for p in (root / "refundlib").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return tuple((str(p.relative_to(root)), s.st_mtime_ns, s.st_size)
                     for p in paths if p.exists() for s in [p.stat()])

    def get(self, root: Path) -> Wheel:
        key = self.fingerprint(root)
        if self._wheel is None or key != self._key:
            self._wheel, self._key = build_wheel(root), key
            self.builds += 1
        return self._wheel


def build_wheel(root: Path) -> Wheel:
    """Build ``refundlib-<v>-py3-none-any.whl`` in-process and offline with hatchling.

    hatchling reads pyproject.toml's ``[tool.hatch.build.targets.wheel]``: only the
    ``refundlib`` package (with its policy TOML files) goes in.
    """
    try:
        from hatchling.builders.wheel import WheelBuilder
    except ImportError as error:
        raise AssetError(f"{root / 'pyproject.toml'}: cannot build the refundlib wheel: hatchling is not "
                         f"importable ({error}); run `make setup`") from None
    with tempfile.TemporaryDirectory(prefix="refundlib-wheel-") as directory:
        try:
            built = [Path(p) for p in WheelBuilder(str(root)).build(directory=directory, versions=["standard"])]
        except Exception as error:  # noqa: BLE001 - any backend failure stops the build with its message
            raise AssetError(f"{root / 'pyproject.toml'}: building the refundlib wheel failed: "
                             f"{type(error).__name__}: {error}") from error
        if len(built) != 1 or not built[0].name.endswith("-py3-none-any.whl"):
            raise AssetError(f"{root / 'pyproject.toml'}: expected one py3-none-any wheel, got {built}")
        return Wheel(built[0].name, built[0].read_bytes())


# -- generated JSON and the calculator's own files ----------------------------------------------------

STDLIB = "python_stdlib-bytecode.zip"  # Pyodide's standard library plus bytecode (site_plugins/bytecode.py)


def manifest(wheel: str, vendor_ids: list[str], stdlib: str | None = None) -> str:
    return json.dumps(boot_settings(wheel, stdlib) | {"vendors": vendor_ids}, indent=2) + "\n"


def boot_settings(wheel: str, stdlib: str | None) -> dict[str, str]:
    """What the worker needs to start: the wheel, Pyodide's folder, and the standard library to use if not Pyodide's."""
    return {"wheel": wheel, "pyodide_index_url": LOCAL_INDEX_URL} | ({"stdlib": stdlib} if stdlib else {})


WORKER = "worker.js"
MANIFEST_MARKER = "/* refund:manifest */ null"


def worker_source(source: Path, wheel: str, stdlib: str | None = None) -> str:
    """worker.js with the manifest's boot settings written in: it need not fetch manifest.json first."""
    text = source.read_text(encoding="utf-8")
    if text.count(MANIFEST_MARKER) != 1:
        raise AssetError(f"{source}: expected {MANIFEST_MARKER!r} once (where the plugin writes the manifest)")
    built_in = json.dumps(boot_settings(wheel, stdlib), separators=(",", ":"))
    return text.replace(MANIFEST_MARKER, built_in)


def policy_json(policy: Policy) -> str:
    return json.dumps(policy_to_dict(policy), ensure_ascii=False, indent=2) + "\n"


def calculator_files(source: Path = CALCULATOR_SOURCE) -> dict[str, Path]:
    """Whatever the calculator ships (calculator.js, .css, worker.js, embed.js, ...), by site path."""
    if not source.is_dir():
        return {}
    return {f"{ASSET_DIR}/{p.relative_to(source).as_posix()}": p for p in sorted(source.rglob("*"))
            if p.is_file() and not any(part.startswith((".", "__")) for part in p.relative_to(source).parts)}

