"""The calculator's files in the built site: Pyodide runtime, refundlib wheel, manifest, policy JSON.

Layout (see docs/site-contract.md)::

    assets/refund/manifest.json          worker, wheel, pyodide_index_url, stdlib and stdlib_lazy (unless
                                         bytecode: false), vendors
    assets/refund/policies/<id>.json     refundlib.serialize.policy_to_dict(policy)
    assets/refund/*                      the calculator's own files (site_plugins/assets/refund/), but worker.js;
                                         where they name "worker.js", the worker's hashed name is written in
    assets/refund/immutable/             every file named by the hash of its content (HASH below), which a host
                                         may cache for ever (site_plugins/deploy.py writes the headers file):
        worker.HASH.js                   worker.js with the boot settings written in
        refundlib-<v>-py3-none-any.HASH.whl   refundlib, built by the project's build backend (plus bytecode)
        python_stdlib-core.HASH.zip      the standard library modules the calculator imports (site_plugins/bytecode.py)
        python_stdlib-lazy.HASH.zip      what the playground and the charts import beyond those
        pyodide-HASH/                    the runtime files, copied from node_modules/pyodide

URLs in the manifest are relative to the manifest itself; those written into the worker, to the worker.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from refundlib.model import Policy
from refundlib.serialize import policy_to_dict

ASSET_DIR = "assets/refund"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
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
    """The runtime files to publish under ``assets/refund/immutable/pyodide-HASH/``, by name."""
    package = node_modules / "pyodide"
    missing = [name for name in PYODIDE_FILES if not (package / name).is_file()]
    if missing:
        raise AssetError(f"{package}: missing {', '.join(missing)}; run `make setup` to install the Pyodide "
                         f"runtime from package-lock.json")
    return {name: package / name for name in PYODIDE_FILES}


# -- the refundlib wheel ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
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
        except Exception as error:
            raise AssetError(f"{root / 'pyproject.toml'}: building the refundlib wheel failed: "
                             f"{type(error).__name__}: {error}") from error
        if len(built) != 1 or not built[0].name.endswith("-py3-none-any.whl"):
            raise AssetError(f"{root / 'pyproject.toml'}: expected one py3-none-any wheel, got {built}")
        return Wheel(built[0].name, built[0].read_bytes())


# -- generated JSON and the calculator's own files ----------------------------------------------------

IMMUTABLE = "immutable"  # under ASSET_DIR: the content-hashed files
HASH_LENGTH = 12  # hex digits of sha256: 48 bits, enough that two deploys' files never share a name


def content_hash(*contents: bytes) -> str:
    digest = hashlib.sha256()
    for content in contents:
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:HASH_LENGTH]


def hashed_name(name: str, content: bytes) -> str:
    """``stem.HASH.ext``: ``worker.js`` -> ``worker.0123456789ab.js``."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{content_hash(content)}.{extension}" if dot else f"{name}.{content_hash(content)}"


def pyodide_folder(runtime: dict[str, Path]) -> str:
    """``pyodide-HASH/``: the runtime files' folder, named by all of their contents."""
    return f"pyodide-{content_hash(*(runtime[name].read_bytes() for name in sorted(runtime)))}/"


@dataclass(frozen=True, slots=True)
class BootSettings:
    """What the worker needs to start, as names inside :data:`IMMUTABLE` (the worker's own folder)."""

    wheel: str
    pyodide: str  # the runtime's folder, ending in "/"
    stdlib: str | None = None  # the standard library to start Pyodide with, if not Pyodide's
    stdlib_lazy: str | None = None  # what the import hook fetches on first use

    def relative_to(self, prefix: str) -> dict[str, str]:
        settings = {"wheel": self.wheel, "pyodide_index_url": self.pyodide, "stdlib": self.stdlib,
                    "stdlib_lazy": self.stdlib_lazy}
        return {key: prefix + value for key, value in settings.items() if value}


def manifest(boot: BootSettings, worker: str, vendor_ids: list[str]) -> str:
    """manifest.json, beside the calculator's files: URLs relative to it."""
    prefix = IMMUTABLE + "/"
    return json.dumps({"worker": prefix + worker} | boot.relative_to(prefix) | {"vendors": vendor_ids},
                      indent=2) + "\n"


WORKER = "worker.js"
MANIFEST_MARKER = "/* refund:manifest */ null"
# Where the calculator's scripts name the worker: the string "worker.js" or "./worker.js".
WORKER_REFERENCE = re.compile(r"""(["'])(?:\./)?worker\.js\1""")
# A module the worker imports from its own folder: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
RELATIVE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])\./""")


def worker_source(source: Path, boot: BootSettings) -> str:
    """worker.js with the boot settings written in (it need not fetch manifest.json first), published in
    :data:`IMMUTABLE`: the calculator's modules it imports from its own folder are named from there."""
    text = source.read_text(encoding="utf-8")
    if text.count(MANIFEST_MARKER) != 1:
        raise AssetError(f"{source}: expected {MANIFEST_MARKER!r} once (where the plugin writes the manifest)")
    built_in = json.dumps(boot.relative_to(""), separators=(",", ":"))
    return RELATIVE_IMPORT.sub(lambda m: f"{m[1]}{m[2]}../", text.replace(MANIFEST_MARKER, built_in))


def with_worker_name(text: str, worker: str, depth: int = 0) -> str:
    """A calculator script ``depth`` folders below ASSET_DIR, with each "worker.js" it names replaced by the
    published, hashed worker."""
    prefix = "../" * depth or "./"
    return WORKER_REFERENCE.sub(lambda m: f"{m[1]}{prefix}{IMMUTABLE}/{worker}{m[1]}", text)


def policy_json(policy: Policy) -> str:
    return json.dumps(policy_to_dict(policy), ensure_ascii=False, indent=2) + "\n"


def calculator_files(source: Path = CALCULATOR_SOURCE) -> dict[str, Path]:
    """Whatever the calculator ships (calculator.js, .css, worker.js, embed.js, ...), by site path."""
    if not source.is_dir():
        return {}
    return {f"{ASSET_DIR}/{p.relative_to(source).as_posix()}": p for p in sorted(source.rglob("*"))
            if p.is_file() and not any(part.startswith((".", "__")) for part in p.relative_to(source).parts)}

