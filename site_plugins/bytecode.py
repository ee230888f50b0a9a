"""What the browser's Python would otherwise compile on every visit, compiled once at build time, and only that.

Pyodide ships its standard library as source only, and refundlib is source too: a cold start of the
calculator compiled some 140 modules (about 1.5 s of Pyodide's start-up in Node, and most of
refundlib's own step). :func:`compile_for_pyodide` runs the Pyodide the site ships, in Node
(``bytecode.mjs``), and returns

- the refundlib wheel with, next to each module, the ``.pyc`` that Pyodide would write itself
  (``refundlib/__pycache__/<module>.cpython-314.pyc``), listed in RECORD with its hash;
- ``core``: the standard library modules that Pyodide's start-up, ``import refundlib.bridge`` and the
  vendor and comparison pages' calls import, found by running them in that Pyodide, as pycs; the
  worker starts Pyodide with it instead of the runtime's ``python_stdlib.zip`` (``loadPyodide({stdLibURL})``);
- ``lazy``: what the playground and the charts import beyond that, fetched by the import hook
  :mod:`site_plugins.stdlib_hook` (in ``core`` as ``_refund_stdlib``) on the first import of one of them.

Every zip entry is stored, not deflated: the host's brotli or gzip then compresses each file as a
whole, which deflated entries defeat (Pyodide's own 2.5 MB zip is still 2.5 MB under brotli).

The standard library archives hold pycs without their sources (:data:`SOURCELESS`; docs/performance.md
gives the measurement): 0.43 MB less under brotli, for the source lines in tracebacks through the
standard library, which only a developer's console shows. refundlib's pycs are *checked-hash*: Python
hashes the source beside a pyc and uses it only if the hash matches, so they never run code other
than their source's. The sourceless ones are compiled from the same Pyodide's own zip by its own
interpreter, and named by the hash of what they were made from.

Node takes seconds to start Pyodide, so the results are kept on disk under
``node_modules/.cache/refundlib-bytecode/``, named by the hash of what they were made from (the
source wheel, Pyodide's version and standard library, this compiler and the hook): a build whose
wheel did not change reuses them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .assets import AssetError, Wheel

COMPILER = Path(__file__).with_name("bytecode.mjs")
HOOK = Path(__file__).with_name("stdlib_hook.py")  # shipped in the core archive as _refund_stdlib
CACHE_DIR = Path(".cache") / "refundlib-bytecode"  # under node_modules
CACHE_KEEP = 16  # builds kept, the most recently used
TIMEOUT_S = 300
SOURCELESS = True  # the standard library archives' pycs without their sources (see the module's docstring)
# What bytecode.mjs writes, and the suffix each is kept under in the cache.
OUTPUTS = {"refundlib": ("refundlib-bytecode.zip", ".pycs.zip"), "core": ("python_stdlib-core.zip", ".core.zip"),
           "lazy": ("python_stdlib-lazy.zip", ".lazy.zip"), "report": ("stdlib.json", ".stdlib.json")}


@dataclass(frozen=True, slots=True)
class Compiled:
    wheel: Wheel  # the source wheel plus refundlib's pycs, every entry stored
    core: bytes  # the standard library the worker starts Pyodide with
    lazy: bytes  # what the playground and the charts import beyond it
    modules: dict[str, list[str]]  # "core", "lazy", "omitted" (in Pyodide's zip, in neither): module names


def compile_for_pyodide(wheel: Wheel, node_modules: Path) -> Compiled:
    """``wheel`` and the standard library archives, with the bytecode of ``node_modules/pyodide``."""
    pyodide = node_modules / "pyodide"
    folder, key = node_modules / CACHE_DIR, cache_key(wheel, pyodide)
    paths = {name: folder / (key + suffix) for name, (_, suffix) in OUTPUTS.items()}
    try:
        outputs = {name: path.read_bytes() for name, path in paths.items()}
        for name in ("refundlib", "core", "lazy"):
            zipfile.ZipFile(io.BytesIO(outputs[name]))
        json.loads(outputs["report"])
        for path in paths.values():
            os.utime(path)  # recently used: kept by _prune
    except (OSError, ValueError, zipfile.BadZipFile):
        outputs = compile_modules(wheel, pyodide)
        for name, path in paths.items():
            write_atomically(path, outputs[name])
        _prune(folder)
    pycs = zipfile.ZipFile(io.BytesIO(outputs["refundlib"]))
    merged = merge(wheel.content, {name: pycs.read(name) for name in pycs.namelist()})
    return Compiled(Wheel(wheel.name, merged), outputs["core"], outputs["lazy"], json.loads(outputs["report"]))


def cache_key(wheel: Wheel, pyodide: Path) -> str:
    try:
        version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
        stdlib = (pyodide / "python_stdlib.zip").read_bytes()
    except (OSError, ValueError, KeyError) as error:
        raise AssetError(f"{pyodide}: cannot read Pyodide's version and standard library ({error}); "
                         f"run `make setup`") from None
    digest = hashlib.sha256(wheel.content)
    for part in (f"\0pyodide {version} sourceless={SOURCELESS}\0".encode(), hashlib.sha256(stdlib).digest(),
                 COMPILER.read_bytes(), HOOK.read_bytes()):
        digest.update(part)
    return digest.hexdigest()[:32]


def compile_modules(wheel: Wheel, pyodide: Path) -> dict[str, bytes]:
    """Run ``bytecode.mjs``: what it writes (see :data:`OUTPUTS`), by name."""
    node = shutil.which("node")
    if node is None:
        raise AssetError(f"{COMPILER}: node (Node 20+) is needed to compile refundlib for the browser; install it "
                         f"and run `make setup`, or set `bytecode: false` for the refund-policies plugin in "
                         f"mkdocs.yml")
    with tempfile.TemporaryDirectory(prefix="refundlib-bytecode-") as directory:
        source, out = Path(directory) / wheel.name, Path(directory) / "out"
        source.write_bytes(wheel.content)
        out.mkdir()
        command = [node, str(COMPILER), str(pyodide), str(source), str(HOOK), str(out)]
        try:
            proc = subprocess.run(command + (["--sourceless"] if SOURCELESS else []),
                                  capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide took over {TIMEOUT_S} s") from None
        results = {name: out / file for name, (file, _) in OUTPUTS.items()}
        if proc.returncode != 0 or not all(path.is_file() for path in results.values()):
            detail = (proc.stderr.strip() or proc.stdout.strip() or f"exit code {proc.returncode}")[-2000:]
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide failed: {detail}")
        return {name: path.read_bytes() for name, path in results.items()}


def merge(wheel: bytes, pycs: dict[str, bytes]) -> bytes:
    """The wheel with ``pycs`` added after the modules, RECORD rewritten to list them with their hashes.

    Every entry is stored (not deflated), so that the host's compression applies to the wheel as a whole.
    """
    source = zipfile.ZipFile(io.BytesIO(wheel))
    infos = source.infolist()
    records = [i for i in infos if i.filename.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        raise AssetError(f"the refundlib wheel has {len(records)} RECORD files; expected one")
    record = records[0]
    modules = {i.filename for i in infos if i.filename.endswith(".py")}
    for name in pycs:
        folder, _, file = name.rpartition("/__pycache__/")
        if not folder or f"{folder}/{file.split('.', 1)[0]}.py" not in modules:
            raise AssetError(f"bytecode.mjs returned {name}, which is not the pyc of a module in the wheel")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in infos:
            if info is not record:
                target.writestr(_stored(info), source.read(info))
        for name, data in sorted(pycs.items()):
            target.writestr(_like(record, name), data)
        lines = source.read(record).decode("utf-8").splitlines()
        lines[-1:-1] = [f"{name},sha256={_urlsafe_hash(data)},{len(data)}" for name, data in sorted(pycs.items())]
        target.writestr(_stored(record), ("\n".join(lines) + "\n").encode("utf-8"))
    return out.getvalue()


def _like(template: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    """A new stored entry with the template's time stamp and permissions: the wheel stays reproducible."""
    info = zipfile.ZipInfo(name, date_time=template.date_time)
    info.external_attr, info.compress_type = template.external_attr, zipfile.ZIP_STORED
    return info


def _stored(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    return _like(info, info.filename)


def _urlsafe_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _prune(directory: Path) -> None:
    """Keep the cache small: drop all but the CACHE_KEEP most recently used builds (the files of each key)."""
    first = OUTPUTS["refundlib"][1]
    try:
        builds = sorted(directory.glob("*" + first), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        kept = {p.name.removesuffix(first) for p in builds[:CACHE_KEEP]}
        for path in directory.iterdir():
            if path.name.split(".", 1)[0] not in kept:
                path.unlink(missing_ok=True)
    except OSError:
        pass  # another build pruned it first


def write_atomically(path: Path, content: bytes) -> None:
    """Two builds at once may both compile; each writes its own file, and the last rename wins."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as file:
            temporary = Path(file.name)
            file.write(content)
        temporary.chmod(0o644)
        os.replace(temporary, path)
    except OSError:  # a read-only node_modules: the next build compiles again
        if temporary is not None:
            temporary.unlink(missing_ok=True)
