"""The calculator's files in the built site: runtime, wheel, manifest, policy JSON, calculator sources."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from refundlib.model import Policy
from refundlib.serialize import policy_to_dict
from site_plugins import assets

REPO_ROOT = Path(__file__).resolve().parents[2]
REFUND = "assets/refund"


def read_manifest(site: Path) -> dict:
    return json.loads((site / REFUND / "manifest.json").read_text(encoding="utf-8"))


def test_pyodide_runtime_is_copied_unchanged(site: Path) -> None:
    folder = site / REFUND / read_manifest(site)["pyodide_index_url"]
    for name in assets.PYODIDE_FILES:
        built = folder / name
        assert built.is_file(), name
        assert built.read_bytes() == (REPO_ROOT / "node_modules" / "pyodide" / name).read_bytes(), name


def test_manifest(site: Path, policies: list[Policy]) -> None:
    manifest = read_manifest(site)
    hashed = {"worker", "wheel", "pyodide_index_url", "stdlib", "stdlib_lazy"}
    assert manifest == {**{key: manifest[key] for key in hashed}, "vendors": [p.id for p in policies]}
    for key in hashed - {"pyodide_index_url"}:
        assert (site / REFUND / manifest[key]).is_file(), key
    assert (site / REFUND / manifest["pyodide_index_url"] / "pyodide.mjs").is_file()


def test_every_hashed_file_is_named_by_its_content(site: Path) -> None:
    """The names change when the contents do: a host may cache them for ever (site_plugins/deploy.py)."""
    manifest = read_manifest(site)
    for key in ("worker", "wheel", "stdlib", "stdlib_lazy"):
        path = site / REFUND / manifest[key]
        assert path.parent.name == assets.IMMUTABLE
        assert path.name.split(".")[-2] == assets.content_hash(path.read_bytes()), key
    folder = site / REFUND / manifest["pyodide_index_url"]
    runtime = {name: folder / name for name in assets.PYODIDE_FILES}
    assert manifest["pyodide_index_url"] == f"{assets.IMMUTABLE}/{assets.pyodide_folder(runtime)}"
    published = {p.relative_to(site / REFUND / assets.IMMUTABLE).as_posix()
                 for p in (site / REFUND / assets.IMMUTABLE).rglob("*")
                 if p.is_file() and p.suffix not in (".br", ".gz")}
    named = {manifest[k].removeprefix(assets.IMMUTABLE + "/") for k in ("worker", "wheel", "stdlib", "stdlib_lazy")}
    assert published == named | {f"{assets.pyodide_folder(runtime)}{name}" for name in assets.PYODIDE_FILES}


def test_policy_json_per_vendor(site: Path, policies: list[Policy]) -> None:
    for policy in policies:
        data = json.loads((site / REFUND / "policies" / f"{policy.id}.json").read_text(encoding="utf-8"))
        assert data == json.loads(json.dumps(policy_to_dict(policy)))
    assert len(list((site / REFUND / "policies").glob("*.json"))) == len(policies)


def test_wheel_holds_refundlib_and_its_policies_only(site: Path, policies: list[Policy]) -> None:
    manifest = read_manifest(site)
    wheel = manifest["wheel"].removeprefix(assets.IMMUTABLE + "/")
    assert wheel.startswith("refundlib-") and wheel.endswith(".whl") and "-py3-none-any." in wheel
    names = zipfile.ZipFile(site / REFUND / manifest["wheel"]).namelist()
    for policy in policies:
        assert f"refundlib/policies/{policy.id}.toml" in names
    assert "refundlib/__init__.py" in names and "refundlib/bridge.py" in names
    packages = {n.split("/")[0] for n in names}
    assert packages == {"refundlib", wheel.split("-py3-none-any.")[0] + ".dist-info"}
    assert not any("site_plugins" in n or n.startswith("tests/") for n in names)
    # Only the bytecode Pyodide compiled (test_site_bytecode.py), never the build machine's own.
    assert all(n.endswith(".cpython-314.pyc") for n in names if "__pycache__" in n)


def test_calculator_files_are_copied_with_the_workers_hashed_name(site: Path) -> None:
    source = REPO_ROOT / "site_plugins" / "assets" / "refund"
    worker = read_manifest(site)["worker"]
    naming = 0
    for dest, path in assets.calculator_files(source).items():
        if dest == f"{REFUND}/worker.js":
            assert not (site / dest).exists()  # published under its hashed name only
            continue
        text = path.read_bytes()
        if path.suffix == ".js" and assets.WORKER_REFERENCE.search(text.decode("utf-8")):
            naming += 1
            built = (site / dest).read_text(encoding="utf-8")
            assert f'"./{worker}"' in built and not assets.WORKER_REFERENCE.search(built), dest
            assert built == assets.with_worker_name(text.decode("utf-8"), worker.removeprefix(assets.IMMUTABLE + "/"))
        else:
            assert (site / dest).read_bytes() == text, dest
    assert naming >= 2  # early.js starts the worker, embed.js adopts it or starts its own


def test_worker_has_the_boot_settings_written_in(site: Path) -> None:
    manifest = read_manifest(site)
    source = REPO_ROOT / "site_plugins" / "assets" / "refund" / "worker.js"
    built = (site / REFUND / manifest["worker"]).read_text(encoding="utf-8")
    prefix = assets.IMMUTABLE + "/"  # the worker's own folder: its URLs are relative to it
    names = {key: manifest[key].removeprefix(prefix) for key in ("wheel", "pyodide_index_url", "stdlib", "stdlib_lazy")}
    written = json.dumps(names, separators=(",", ":"))
    assert f"const BUILT_IN_MANIFEST = {written};" in built
    boot = assets.BootSettings(names["wheel"], names["pyodide_index_url"], names["stdlib"], names["stdlib_lazy"])
    assert built == assets.worker_source(source, boot)
    assert built.replace(written, assets.MANIFEST_MARKER) == assets.RELATIVE_IMPORT.sub(
        lambda m: f"{m[1]}{m[2]}../", source.read_text(encoding="utf-8"))


def test_the_workers_own_imports_and_name_are_written_for_where_they_are_published(tmp_path: Path) -> None:
    """The worker is published in immutable/; the calculator's modules it imports stay one folder up."""
    worker = tmp_path / "worker.js"
    worker.write_text(f'import {{ a }} from "./zip.js";\nimport "./b.js";\nconst c = await import("./c.js");\n'
                      f'const m = new URL("./manifest.json", import.meta.url);\nconst s = {assets.MANIFEST_MARKER};\n',
                      encoding="utf-8")
    built = assets.worker_source(worker, assets.BootSettings("w.whl", "pyodide/"))
    assert 'from "../zip.js"' in built and 'import "../b.js"' in built and 'import("../c.js")' in built
    assert 'new URL("./manifest.json"' in built
    assert assets.with_worker_name('new Worker(new URL("./worker.js", import.meta.url))', "worker.1.js") == \
        'new Worker(new URL("./immutable/worker.1.js", import.meta.url))'
    assert assets.with_worker_name("new URL('worker.js', base)", "worker.1.js", depth=1) == \
        "new URL('../immutable/worker.1.js', base)"


def test_worker_without_its_marker_is_refused(tmp_path: Path) -> None:
    worker = tmp_path / "worker.js"
    worker.write_text("const BUILT_IN_MANIFEST = null;\n", encoding="utf-8")
    with pytest.raises(assets.AssetError, match=r"worker\.js: expected '/\* refund:manifest \*/ null' once"):
        assets.worker_source(worker, assets.BootSettings("w.whl", "pyodide/"))


def test_schemas_are_published(site: Path) -> None:
    for name in ("scenario.schema.json", "decision.schema.json"):
        assert json.loads((site / "schemas" / name).read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


# -- failure modes and options --------------------------------------------------------------------

def test_missing_runtime_says_run_make_setup(tmp_path: Path) -> None:
    with pytest.raises(assets.AssetError, match=r"pyodide: missing pyodide\.mjs.*run `make setup`"):
        assets.pyodide_runtime(tmp_path / "node_modules")


def test_build_without_node_modules_fails_naming_make_setup(build_variant: Callable) -> None:
    proc = build_variant("plugins:\n  - search\n  - refund-policies:\n      node_modules: does-not-exist\n")
    assert proc.returncode != 0
    assert "does-not-exist/pyodide: missing" in proc.stderr and "run `make setup`" in proc.stderr


def test_the_removed_cdn_setting_is_refused_with_its_reason(build_variant: Callable) -> None:
    proc = build_variant("plugins:\n  - search\n  - refund-policies:\n      pyodide: cdn\n")
    assert proc.returncode != 0
    assert "'pyodide' was removed: the site always serves Pyodide itself" in proc.stderr, proc.stderr


def test_wheel_is_rebuilt_only_when_a_source_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    (tmp_path / "refundlib").mkdir()
    module = tmp_path / "refundlib" / "__init__.py"
    module.write_text("", encoding="utf-8")
    built: list[Path] = []
    monkeypatch.setattr(assets, "build_wheel", lambda root: built.append(root) or assets.Wheel("w.whl", b"w"))
    cache = assets.WheelCache()
    cache.get(tmp_path)
    cache.get(tmp_path)
    assert len(built) == 1
    module.write_text("x = 1\n", encoding="utf-8")
    cache.get(tmp_path)
    assert len(built) == 2
    (tmp_path / "refundlib" / "policies.toml").write_text("", encoding="utf-8")
    cache.get(tmp_path)
    assert len(built) == 3
