"""What the browser's Python would otherwise compile on every visit, compiled once at build time.

Pyodide ships its standard library as source only, and refundlib is source too: a cold start of the
calculator compiled some 140 modules (about 1.5 s of Pyodide's start-up in Node, and most of
refundlib's own step). :func:`compile_for_pyodide` runs the Pyodide the site ships, in Node
(``bytecode.mjs``), and returns

- the refundlib wheel with, next to each module, the ``.pyc`` that Pyodide would write itself
  (``refundlib/__pycache__/<module>.cpython-314.pyc``), listed in RECORD with its hash;
- Pyodide's ``python_stdlib.zip``, every entry unchanged, plus ``<module>.pyc`` beside the source
  of each module that Pyodide's start-up and refundlib import; the worker loads it instead of the
  runtime's own (``loadPyodide({stdLibURL})``). The runtime files themselves are not changed.

They are *checked-hash* pycs compiled by that interpreter: Python hashes the source beside a pyc
and uses the pyc only if the hash matches, so a pyc never runs code other than its source's, and
the time stamps of unpacked files do not matter.

Node takes seconds to start Pyodide, so the results are kept on disk under
``node_modules/.cache/refundlib-bytecode/``, named by the hash of what they were made from (the
source wheel, Pyodide's version and standard library, this compiler): a build whose wheel did not
change reuses them.
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
CACHE_DIR = Path(".cache") / "refundlib-bytecode"  # under node_modules
CACHE_KEEP = 16  # builds kept, the most recently used
TIMEOUT_S = 300
WHEEL_SUFFIX, STDLIB_SUFFIX = ".whl", ".python_stdlib.zip"


@dataclass(frozen=True, slots=True)
class Compiled:
    wheel: Wheel  # the source wheel plus refundlib's pycs
    stdlib: bytes  # python_stdlib.zip plus the pycs of the modules the calculator imports


def compile_for_pyodide(wheel: Wheel, node_modules: Path) -> Compiled:
    """``wheel`` and Pyodide's standard library with the bytecode of ``node_modules/pyodide`` added."""
    pyodide = node_modules / "pyodide"
    folder, key = node_modules / CACHE_DIR, cache_key(wheel, pyodide)
    paths = folder / (key + WHEEL_SUFFIX), folder / (key + STDLIB_SUFFIX)
    try:
        contents = [path.read_bytes() for path in paths]
        for content in contents:
            zipfile.ZipFile(io.BytesIO(content))
        for path in paths:
            os.utime(path)  # recently used: kept by _prune
    except (OSError, zipfile.BadZipFile):
        pycs, stdlib = compile_modules(wheel, pyodide)
        contents = [merge(wheel.content, pycs), stdlib]
        for path, content in zip(paths, contents):
            _write_atomically(path, content)
        _prune(folder)
    return Compiled(Wheel(wheel.name, contents[0]), contents[1])


def cache_key(wheel: Wheel, pyodide: Path) -> str:
    try:
        version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
        stdlib = (pyodide / "python_stdlib.zip").read_bytes()
    except (OSError, ValueError, KeyError) as error:
        raise AssetError(f"{pyodide}: cannot read Pyodide's version and standard library ({error}); "
                         f"run `make setup`") from None
    digest = hashlib.sha256(wheel.content)
    for part in (f"\0pyodide {version}\0".encode(), hashlib.sha256(stdlib).digest(), COMPILER.read_bytes()):
        digest.update(part)
    return digest.hexdigest()[:32]


def compile_modules(wheel: Wheel, pyodide: Path) -> tuple[dict[str, bytes], bytes]:
    """Run ``bytecode.mjs``: refundlib's pycs by their path in the wheel, and the standard library zip."""
    node = shutil.which("node")
    if node is None:
        raise AssetError(f"{COMPILER}: node (Node 20+) is needed to compile refundlib for the browser; install it "
                         f"and run `make setup`, or set `bytecode: false` for the refund-policies plugin in "
                         f"mkdocs.yml")
    with tempfile.TemporaryDirectory(prefix="refundlib-bytecode-") as directory:
        source, out = Path(directory) / wheel.name, Path(directory) / "out"
        source.write_bytes(wheel.content)
        out.mkdir()
        try:
            proc = subprocess.run([node, str(COMPILER), str(pyodide), str(source), str(out)],
                                  capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide took over {TIMEOUT_S} s") from None
        results = out / "refundlib-bytecode.zip", out / "python_stdlib.zip"
        if proc.returncode != 0 or not all(path.is_file() for path in results):
            detail = (proc.stderr.strip() or proc.stdout.strip() or f"exit code {proc.returncode}")[-2000:]
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide failed: {detail}")
        with zipfile.ZipFile(results[0]) as archive:
            pycs = {name: archive.read(name) for name in archive.namelist()}
        return pycs, results[1].read_bytes()


def merge(wheel: bytes, pycs: dict[str, bytes]) -> bytes:
    """The wheel with ``pycs`` added after the modules, RECORD rewritten to list them with their hashes."""
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
                target.writestr(info, source.read(info))
        for name, data in sorted(pycs.items()):
            target.writestr(_like(record, name), data)
        lines = source.read(record).decode("utf-8").splitlines()
        lines[-1:-1] = [f"{name},sha256={_urlsafe_hash(data)},{len(data)}" for name, data in sorted(pycs.items())]
        target.writestr(record, ("\n".join(lines) + "\n").encode("utf-8"))
    return out.getvalue()


def _like(template: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    """A new entry with the template's time stamp, permissions and compression: the wheel stays reproducible."""
    info = zipfile.ZipInfo(name, date_time=template.date_time)
    info.external_attr, info.compress_type = template.external_attr, zipfile.ZIP_DEFLATED
    return info


def _urlsafe_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _prune(directory: Path) -> None:
    """Keep the cache small: drop all but the CACHE_KEEP most recently used builds (a wheel and a zip each)."""
    try:
        wheels = sorted(directory.glob("*" + WHEEL_SUFFIX), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in wheels[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
            old.with_name(old.name.removesuffix(WHEEL_SUFFIX) + STDLIB_SUFFIX).unlink(missing_ok=True)
        kept = {p.name.removesuffix(WHEEL_SUFFIX) for p in wheels[:CACHE_KEEP]}
        for stray in directory.glob("*" + STDLIB_SUFFIX):
            if stray.name.removesuffix(STDLIB_SUFFIX) not in kept:
                stray.unlink(missing_ok=True)
    except OSError:
        pass  # another build pruned it first


def _write_atomically(path: Path, content: bytes) -> None:
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
