"""The refundlib wheel as the browser gets it: with its modules compiled by the site's own Pyodide.

Importing refundlib in the browser used to spend most of its time compiling the source (about
100 ms of a cold start). :func:`with_bytecode` adds, next to each module, the ``.pyc`` that the
Pyodide the site ships would write itself (``refundlib/__pycache__/<module>.cpython-314.pyc``),
compiled by that Pyodide in Node (``bytecode.mjs``), so the magic number is the browser's.

They are *checked-hash* pycs: on import, Python hashes the source and uses the pyc only if the
hash matches the one it records, so a pyc never runs code other than its module's source, and
the time stamps the worker gives unpacked files do not matter. The wheel's RECORD lists them
with their hashes, as it lists every other file.

Node takes about two seconds to start Pyodide, so the result is kept on disk under
``node_modules/.cache/refundlib-bytecode/``, named by the hash of what it was made from (the
source wheel, Pyodide's version, this compiler): a build whose wheel did not change reuses it.
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
from pathlib import Path

from .assets import AssetError, Wheel

COMPILER = Path(__file__).with_name("bytecode.mjs")
CACHE_DIR = Path(".cache") / "refundlib-bytecode"  # under node_modules
CACHE_KEEP = 16  # wheels kept, the most recently used
TIMEOUT_S = 300


def with_bytecode(wheel: Wheel, node_modules: Path) -> Wheel:
    """``wheel`` with a checked-hash pyc for every module, compiled by ``node_modules/pyodide``."""
    pyodide = node_modules / "pyodide"
    key = cache_key(wheel, pyodide)
    cached = node_modules / CACHE_DIR / f"{key}.whl"
    try:
        content = cached.read_bytes()
        zipfile.ZipFile(io.BytesIO(content)).testzip()
        os.utime(cached)  # recently used: kept by _prune
    except (OSError, zipfile.BadZipFile):
        content = merge(wheel.content, compile_modules(wheel, pyodide))
        _write_atomically(cached, content)
        _prune(cached.parent)
    return Wheel(wheel.name, content)


def cache_key(wheel: Wheel, pyodide: Path) -> str:
    try:
        version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as error:
        raise AssetError(f"{pyodide / 'package.json'}: cannot read the Pyodide version ({error}); "
                         f"run `make setup`") from None
    digest = hashlib.sha256(wheel.content)
    digest.update(f"\0pyodide {version}\0".encode())
    digest.update(COMPILER.read_bytes())
    return digest.hexdigest()[:32]


def compile_modules(wheel: Wheel, pyodide: Path) -> dict[str, bytes]:
    """Run ``bytecode.mjs``: every module's pyc, by its path in the wheel."""
    node = shutil.which("node")
    if node is None:
        raise AssetError(f"{COMPILER}: node (Node 20+) is needed to compile refundlib for the browser; install it "
                         f"and run `make setup`, or set `bytecode: false` for the refund-policies plugin in "
                         f"mkdocs.yml")
    with tempfile.TemporaryDirectory(prefix="refundlib-bytecode-") as directory:
        source, out = Path(directory) / wheel.name, Path(directory) / "bytecode.zip"
        source.write_bytes(wheel.content)
        try:
            proc = subprocess.run([node, str(COMPILER), str(pyodide), str(source), str(out)],
                                  capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide took over {TIMEOUT_S} s") from None
        if proc.returncode != 0 or not out.is_file():
            detail = (proc.stderr.strip() or proc.stdout.strip() or f"exit code {proc.returncode}")[-2000:]
            raise AssetError(f"{COMPILER}: compiling refundlib with Pyodide failed: {detail}")
        with zipfile.ZipFile(out) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


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
    """Keep the cache small: drop all but the CACHE_KEEP most recently used wheels."""
    try:
        wheels = sorted(directory.glob("*.whl"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in wheels[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
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
