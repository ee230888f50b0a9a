"""The site ships refundlib and the standard library compiled by its own Pyodide (site_plugins/bytecode.py)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from site_plugins import assets, bytecode

REPO_ROOT = Path(__file__).resolve().parents[2]
REFUND = "assets/refund"
NODE_MODULES = REPO_ROOT / "node_modules"
CHECK = REPO_ROOT / "tests" / "pyodide" / "compiled_imports.py"


def manifest(site: Path) -> dict:
    return json.loads((site / REFUND / "manifest.json").read_text(encoding="utf-8"))


def shipped_wheel(site: Path) -> Path:
    return site / REFUND / manifest(site)["wheel"]


def record_mismatches(wheel: bytes) -> list[str]:
    """Entries whose RECORD line is missing or whose hash or size is wrong (what an installer checks)."""
    archive = zipfile.ZipFile(io.BytesIO(wheel))
    record_name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(archive.read(record_name).decode()))}
    wrong = []
    for name in archive.namelist():
        if name == record_name:
            continue
        data = archive.read(name)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if rows.get(name) != [f"sha256={digest}", str(len(data))]:
            wrong.append(name)
    return wrong + sorted(set(rows) - set(archive.namelist()))


def run_in_pyodide(wheel: Path, stdlib: Path | None = None, lazy: Path | None = None) -> dict:
    node = shutil.which("node")
    assert node, "node is required (Node 20+)"
    command = [node, str(REPO_ROOT / "tests" / "pyodide" / "run_python.mjs"), "--wheel", str(wheel),
               "--script", str(CHECK)] + (["--stdlib", str(stdlib)] if stdlib else []) + \
        (["--lazy", str(lazy)] if lazy else [])
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout)


def test_every_module_has_its_pyc_and_record_lists_it(site: Path) -> None:
    names = zipfile.ZipFile(shipped_wheel(site)).namelist()
    modules = sorted(n for n in names if n.endswith(".py"))
    pycs = sorted(n for n in names if n.endswith(".pyc"))
    assert len(modules) > 20
    assert pycs == sorted(f"{m.rpartition('/')[0]}/__pycache__/{m.rpartition('/')[2][:-3]}.cpython-314.pyc"
                          for m in modules)
    assert record_mismatches(shipped_wheel(site).read_bytes()) == []


def test_pyodide_starts_and_imports_refundlib_without_compiling(site: Path, refundlib_wheel: Path) -> None:
    """On the trimmed archives: every refundlib module but the command line imports, none compiled from source."""
    shipped = run_in_pyodide(shipped_wheel(site), site / REFUND / manifest(site)["stdlib"],
                             site / REFUND / manifest(site)["stdlib_lazy"])
    assert shipped["python"] == [3, 14]
    assert len(shipped["modules"]) > 20
    assert shipped["compiled_from_source"] == []
    assert shipped["stdlib_from_source_by_refundlib"] == []
    assert shipped["stdlib_from_source_at_start"] == []
    # The checks see compilation when there is some: Pyodide's own files compile everything.
    plain = run_in_pyodide(refundlib_wheel)
    assert len(plain["compiled_from_source"]) == len(plain["modules"])
    assert len(plain["stdlib_from_source_at_start"]) > 100 and len(plain["stdlib_from_source_by_refundlib"]) > 5


def test_a_module_the_archives_lack_fails_and_is_named(site: Path, tmp_path: Path) -> None:
    """The import hook (site_plugins/stdlib_hook.py) names a standard library module that Pyodide has and the
    site does not ship, on standard error (the browser's console), and the import fails as in any Python."""
    script = tmp_path / "needs_argparse.py"
    script.write_text("import argparse\n", encoding="utf-8")
    proc = subprocess.run([shutil.which("node") or "node", str(REPO_ROOT / "tests" / "pyodide" / "run_python.mjs"),
                           "--wheel", str(shipped_wheel(site)), "--script", str(script),
                           "--stdlib", str(site / REFUND / manifest(site)["stdlib"]),
                           "--lazy", str(site / REFUND / manifest(site)["stdlib_lazy"])],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1
    assert "the standard library module argparse is not in the site's archives" in proc.stderr
    assert "ModuleNotFoundError: No module named 'argparse'" in proc.stderr


def archive_modules(archive: zipfile.ZipFile) -> set[str]:
    return {n[:-4].removesuffix("/__init__").replace("/", ".") for n in archive.namelist() if n.endswith(".pyc")}


def test_the_archives_are_pyodides_modules_compiled_and_stored(site: Path) -> None:
    theirs = zipfile.ZipFile(NODE_MODULES / "pyodide" / "python_stdlib.zip")
    core = zipfile.ZipFile(site / REFUND / manifest(site)["stdlib"])
    lazy = zipfile.ZipFile(site / REFUND / manifest(site)["stdlib_lazy"])
    hook = "_refund_stdlib.pyc"
    for archive in (core, lazy):
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_STORED, info.filename  # the host compresses the whole file
            if info.filename == hook:
                continue
            source = info.filename[:-1] if info.filename.endswith(".pyc") else info.filename
            assert source in theirs.namelist(), info.filename
            if bytecode.SOURCELESS:
                assert info.filename.endswith(".pyc"), info.filename
            header = archive.read(info)[:8]  # a hash-based pyc of Python 3.14, checked only beside its source
            assert header[2:4] == b"\r\n" and int.from_bytes(header[4:8], "little") == \
                (0b01 if bytecode.SOURCELESS else 0b11), info.filename
    assert hook in core.namelist()
    core_modules, lazy_modules = archive_modules(core), archive_modules(lazy)
    assert not core_modules & lazy_modules and 100 < len(core_modules) < len(theirs.namelist()) / 3
    assert lazy_modules, "the playground and the charts import modules the vendor pages do not"


def test_shipped_wheel_is_the_source_wheel_plus_pycs(site: Path, refundlib_wheel: Path) -> None:
    source = zipfile.ZipFile(refundlib_wheel)
    shipped = zipfile.ZipFile(shipped_wheel(site))
    for name in source.namelist():
        if not name.endswith("/RECORD"):
            assert shipped.read(name) == source.read(name), name
    assert set(shipped.namelist()) - set(source.namelist()) == {n for n in shipped.namelist() if n.endswith(".pyc")}
    assert {i.compress_type for i in shipped.infolist()} == {zipfile.ZIP_STORED}


def test_bytecode_false_ships_the_source_wheel_and_pyodides_stdlib(build_variant: Callable) -> None:
    proc = build_variant("plugins:\n  - search\n  - refund-policies:\n      bytecode: false\n"
                         f"      node_modules: {NODE_MODULES}\n")
    assert proc.returncode == 0, proc.stderr
    site = Path(proc.args[proc.args.index("--site-dir") + 1])
    names = zipfile.ZipFile(shipped_wheel(site)).namelist()
    assert "refundlib/bridge.py" in names and not any(n.endswith(".pyc") for n in names)
    assert not list((site / REFUND / assets.IMMUTABLE).glob("python_stdlib-*.zip"))
    assert "stdlib" not in manifest(site) and "stdlib_lazy" not in manifest(site)
    assert '"stdlib' not in (site / REFUND / manifest(site)["worker"]).read_text(encoding="utf-8").split(
        "BUILT_IN_MANIFEST = ")[1][:300]


# -- the compiler's cache and failures, without Node ------------------------------------------------

def fake_wheel(source: str = "x = 1\n") -> assets.Wheel:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        entries = {"pkg/__init__.py": source.encode(), "pkg-1.dist-info/METADATA": b"Name: pkg\n"}
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 2, 2, 0, 0, 0)), data)
        record = "".join(f"{n},sha256={bytecode._urlsafe_hash(d)},{len(d)}\n" for n, d in entries.items())
        archive.writestr(zipfile.ZipInfo("pkg-1.dist-info/RECORD", date_time=(2020, 2, 2, 0, 0, 0)),
                         record + "pkg-1.dist-info/RECORD,,\n")
    return assets.Wheel("pkg-1-py3-none-any.whl", out.getvalue())


@pytest.fixture
def fake_pyodide(tmp_path: Path) -> Path:
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "package.json").write_text('{"version": "314.0.7"}', encoding="utf-8")
    (tmp_path / "pyodide" / "python_stdlib.zip").write_bytes(fake_wheel("stdlib\n").content)
    return tmp_path


def test_merge_adds_pycs_with_record_lines_and_is_reproducible() -> None:
    pycs = {"pkg/__pycache__/__init__.cpython-314.pyc": b"\x2b\x0e\x0d\x0a-code"}
    merged = bytecode.merge(fake_wheel().content, pycs)
    pyc = zipfile.ZipFile(io.BytesIO(merged)).read("pkg/__pycache__/__init__.cpython-314.pyc")
    assert pyc == b"\x2b\x0e\x0d\x0a-code"
    assert record_mismatches(merged) == []
    assert bytecode.merge(fake_wheel().content, pycs) == merged


def test_merge_refuses_a_pyc_without_its_module() -> None:
    with pytest.raises(assets.AssetError, match=r"pkg/__pycache__/other\.cpython-314\.pyc.*not the pyc of a module"):
        bytecode.merge(fake_wheel().content, {"pkg/__pycache__/other.cpython-314.pyc": b""})


def fake_outputs(pycs: dict[str, bytes], stdlib: str) -> dict[str, bytes]:
    """What bytecode.mjs writes, made up: refundlib's pycs, the two archives and the module lists."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in pycs.items():
            archive.writestr(name, data)
    return {"refundlib": out.getvalue(), "core": fake_wheel(stdlib).content, "lazy": fake_wheel("lazy\n").content,
            "report": b'{"core": ["x"]}'}


def cached(node_modules: Path, suffix: str) -> list[Path]:
    return sorted((node_modules / bytecode.CACHE_DIR).glob("*" + suffix))


def test_compiled_once_per_source_and_kept_on_disk(fake_pyodide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def compile_modules(wheel: assets.Wheel, pyodide: Path) -> dict[str, bytes]:
        calls.append(wheel.content.hex())
        return fake_outputs({"pkg/__pycache__/__init__.cpython-314.pyc": b"pyc"}, "stdlib with pycs\n")

    monkeypatch.setattr(bytecode, "compile_modules", compile_modules)
    first = bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide)
    assert first.core == fake_wheel("stdlib with pycs\n").content and first.modules == {"core": ["x"]}
    assert bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide) == first
    assert len(calls) == 1
    assert [len(cached(fake_pyodide, suffix)) for _, suffix in bytecode.OUTPUTS.values()] == [1] * len(bytecode.OUTPUTS)
    bytecode.compile_for_pyodide(fake_wheel("x = 2\n"), fake_pyodide)  # a changed source is compiled again
    assert len(calls) == 2
    for path in cached(fake_pyodide, bytecode.OUTPUTS["core"][1]):  # a damaged cache file is replaced
        path.write_bytes(b"not a zip")
    assert bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide) == first
    assert len(calls) == 3
    (fake_pyodide / "pyodide" / "python_stdlib.zip").write_bytes(fake_wheel("another stdlib\n").content)
    bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide)  # so is a changed standard library
    assert len(calls) == 4


def test_cache_keeps_the_most_recently_used(fake_pyodide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bytecode, "CACHE_KEEP", 2)
    monkeypatch.setattr(bytecode, "compile_modules", lambda wheel, pyodide: fake_outputs({}, "stdlib\n"))
    for source in ("a = 1\n", "b = 1\n", "a = 1\n", "c = 1\n"):  # "a" is used again before "c" comes
        bytecode.compile_for_pyodide(fake_wheel(source), fake_pyodide)
    keys = {bytecode.cache_key(fake_wheel(s), fake_pyodide / "pyodide") for s in ("a = 1\n", "c = 1\n")}
    for _, suffix in bytecode.OUTPUTS.values():
        assert {p.name for p in cached(fake_pyodide, suffix)} == {k + suffix for k in keys}


def test_without_node_the_message_says_what_to_do(fake_pyodide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(assets.AssetError, match=r"node \(Node 20\+\) is needed.*`bytecode: false`"):
        bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide)


def test_a_failing_compiler_is_reported_with_its_message(fake_pyodide: Path) -> None:
    with pytest.raises(assets.AssetError, match=r"compiling refundlib with Pyodide failed: .*pyodide\.mjs not found"):
        bytecode.compile_for_pyodide(fake_wheel(), fake_pyodide)
