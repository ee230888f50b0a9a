"""The Content-Security-Policy <meta> on every page, and the pure function that builds it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from site_html import html_pages, page_url
from site_plugins import csp

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def directives(value: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (d.split() for d in value.split(";"))}


def page_policy(page: str) -> str:
    """The value of the page's CSP meta element (the test fails when it has none)."""
    found = META.search(page)
    assert found, "no Content-Security-Policy meta element"
    return html.unescape(found.group(1))


def test_every_page_has_the_csp_first_in_head(site: Path) -> None:
    for path in html_pages(site):
        page = path.read_text(encoding="utf-8")
        head = re.search(r"<head>\s*(<[^>]+>)", page)
        assert head, f"{page_url(site, path)}: no <head>"
        assert META.fullmatch(head.group(1)), f"{page_url(site, path)}: the CSP is not the first element of <head>"
        assert len(META.findall(page)) == 1


def test_hashes_match_the_inline_scripts_exactly(site: Path) -> None:
    for path in html_pages(site):
        page = path.read_text(encoding="utf-8")
        policy = directives(page_policy(page))
        hashes = {s for s in policy["script-src"] if s.startswith("'sha256-")}
        bodies = [m.group(2) for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL)
                  if "src=" not in m.group(1)]
        assert hashes == {csp.script_hash(body) for body in bodies}, page_url(site, path)


def test_material_inline_scripts_are_all_hashed(site: Path) -> None:
    """Material emits small inline scripts (storage helpers, palette, tab/anchor restore) on every page."""
    page = (site / "index.html").read_text(encoding="utf-8")
    executable = [m.group(2) for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL)
                  if "src=" not in m.group(1) and "application/json" not in m.group(1)]
    assert len(executable) >= 3
    policy = directives(page_policy(page))
    assert all(csp.script_hash(body) in policy["script-src"] for body in executable)


def test_site_policy_directives(site: Path) -> None:
    page = (site / "vendors" / "recatch" / "index.html").read_text(encoding="utf-8")
    policy = directives(page_policy(page))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["connect-src"] == ["'self'"] and policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_charset_stays_within_the_first_1024_bytes(site: Path) -> None:
    for path in html_pages(site):
        assert b'<meta charset="utf-8">' in path.read_bytes()[:1024], page_url(site, path)


# -- the pure function -------------------------------------------------------------------------

def test_policy_default() -> None:
    value = csp.policy(["'sha256-abc='"])
    assert value == ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; "
                     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                     "worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


def test_policy_when_serving_allows_inline_scripts_instead_of_hashes() -> None:
    policy = directives(csp.policy(["'sha256-abc='"], inline_scripts=True))
    assert "'unsafe-inline'" in policy["script-src"] and "'sha256-abc='" not in policy["script-src"]


@pytest.mark.parametrize("body", ["", "var a = 1;", "\n  x('é')\n"])
def test_script_hash_is_over_the_exact_utf8_text(body: str) -> None:
    import base64
    import hashlib
    expected = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert csp.script_hash(body) == f"'sha256-{expected}'"


def test_add_to_page_ignores_external_scripts_and_escapes() -> None:
    page = '<html><head><title>t</title><script src="a.js"></script><script>go()</script></head></html>'
    out = csp.add_to_page(page)
    assert out.index("Content-Security-Policy") < out.index("<title>")
    value = page_policy(out)
    assert [s for s in directives(value)["script-src"] if "sha256" in s] == [csp.script_hash("go()")]
