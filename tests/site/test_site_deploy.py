"""What the site gives a static host (site_plugins/deploy.py): the headers file and precompressed siblings."""

from __future__ import annotations

import fnmatch
import gzip
import json
from pathlib import Path

import brotli
import pytest

from site_plugins import assets, deploy

REFUND = "assets/refund"


def rules(site: Path) -> list[tuple[str, dict[str, str]]]:
    """``_headers`` as (path pattern, headers), in the Netlify / Cloudflare Pages format."""
    parsed: list[tuple[str, dict[str, str]]] = []
    for line in (site / deploy.HEADERS_FILE).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, _, value = line.strip().partition(":")
            parsed[-1][1][name.strip()] = value.strip()
        else:
            parsed.append((line.strip(), {}))
    return parsed


def matching(site: Path, url_path: str) -> list[dict[str, str]]:
    return [headers for pattern, headers in rules(site)
            if pattern == url_path or ("*" in pattern and fnmatch.fnmatchcase(url_path, pattern))]


def test_hashed_files_are_immutable_and_pages_revalidate(site: Path) -> None:
    manifest = json.loads((site / REFUND / "manifest.json").read_text(encoding="utf-8"))
    for key in ("worker", "wheel", "stdlib", "stdlib_lazy"):
        assert matching(site, f"/{REFUND}/{manifest[key]}") == [{"Cache-Control": deploy.IMMUTABLE_CACHE}], key
    assert matching(site, f"/{REFUND}/{manifest['pyodide_index_url']}pyodide.asm.wasm") == [
        {"Cache-Control": deploy.IMMUTABLE_CACHE}]
    for page in sorted(site.rglob("index.html")):
        url = "/" + page.parent.relative_to(site).as_posix() + "/"
        url = "/" if url == "/./" else url
        assert matching(site, url) == [{"Cache-Control": deploy.REVALIDATE}], url
    for stable in ("manifest.json", "embed.js", "early.js", "calculator.js"):  # not hashed: the host's default
        assert matching(site, f"/{REFUND}/{stable}") == [], stable
    theme = list(site.glob("assets/javascripts/bundle.*.min.js"))
    assert theme and matching(site, "/" + theme[0].relative_to(site).as_posix()) == [
        {"Cache-Control": deploy.IMMUTABLE_CACHE}]


def test_no_path_is_named_by_two_rules(site: Path) -> None:
    """Netlify and Cloudflare Pages join the values of a header two matching rules set."""
    for path in sorted(site.rglob("*")):
        if path.is_file():
            url = "/" + path.relative_to(site).as_posix()
            assert len(matching(site, url)) <= 1, url


def test_large_assets_have_brotli_and_gzip_siblings_with_the_same_bytes(site: Path) -> None:
    manifest = json.loads((site / REFUND / "manifest.json").read_text(encoding="utf-8"))
    wanted = [site / REFUND / manifest[key] for key in ("worker", "wheel", "stdlib", "stdlib_lazy")]
    wanted += [site / REFUND / manifest["pyodide_index_url"] / name for name in ("pyodide.asm.wasm", "pyodide.asm.mjs")]
    for path in wanted:
        data = path.read_bytes()
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path.name
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path.name
    # The archives are stored, so brotli finds the repeats across entries: well under half of the raw size.
    for key in ("stdlib", "wheel"):
        path = site / REFUND / manifest[key]
        assert len(path.with_name(path.name + ".br").read_bytes()) < len(path.read_bytes()) / 2, key


@pytest.mark.parametrize(("path", "size", "expected"), [
    (f"{REFUND}/{assets.IMMUTABLE}/worker.0123456789ab.js", 5000, True),
    (f"{REFUND}/policies/kino.json", 50_000, False),  # per vendor: grows with the site
    ("vendors/kino/index.html", 50_000, False),
    (f"{REFUND}/early.js", 100, False),
    ("assets/javascripts/bundle.0123abcd.min.js", 90_000, True),
])
def test_what_is_precompressed(path: str, size: int, expected: bool) -> None:
    assert deploy.should_compress(path, size) is expected
