"""Links in the built site: every citation reaches its clause, nothing loads from another origin."""

from __future__ import annotations

import re
from pathlib import Path

from site_html import html_pages, page_url, resolve, scan

# Attributes that make the browser fetch something (as opposed to <a href>, which the reader follows).
FETCHING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
            ("audio", "src"), ("video", "src"), ("embed", "src"), ("object", "data"), ("image", "href"),
            ("use", "href")}


def _ids(site: Path, cache: dict[Path, set[str]], path: Path) -> set[str]:
    if path not in cache:
        cache[path] = scan(path.read_text(encoding="utf-8")).ids
    return cache[path]


def test_every_clause_link_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    checked, broken = 0, []
    for path in html_pages(site):
        url = page_url(site, path)
        for tag, attrs in scan(path.read_text(encoding="utf-8")).elements:
            href = attrs.get("href", "")
            if tag != "a" or "#clause-" not in href:
                continue
            target = resolve(site, url, href)
            assert target is not None, f"{url}: {href} leaves the site"
            file, fragment = target
            checked += 1
            if not file.is_file() or fragment not in _ids(site, ids, file):
                broken.append(f"{url}: {href}")
    assert checked > 0
    assert not broken, "citation links without a target:\n" + "\n".join(broken)


def test_every_internal_link_resolves(site: Path) -> None:
    """Files exist and fragments are ids (except Material's "#__…" and the calculator's "#s=<scenario>")."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for path in html_pages(site):
        url = page_url(site, path)
        for tag, attrs in scan(path.read_text(encoding="utf-8")).elements:
            for name in ("href", "src"):
                link = attrs.get(name)
                if not link or link.startswith(("javascript:", "mailto:", "data:")) or link == "#":
                    continue
                target = resolve(site, url, link)
                if target is None:
                    continue
                file, fragment = target
                if not file.is_file():
                    broken.append(f"{url}: <{tag} {name}={link!r}>: no file {file.relative_to(site)}")
                elif fragment and file.suffix == ".html" and not fragment.startswith(("__", "s=")) \
                        and fragment not in _ids(site, ids, file):
                    broken.append(f"{url}: <{tag} {name}={link!r}>: no id {fragment!r}")
    assert not broken, "\n".join(broken)


def test_nothing_is_fetched_from_another_origin(site: Path) -> None:
    foreign = []
    for path in html_pages(site):
        url = page_url(site, path)
        page = path.read_text(encoding="utf-8")
        for tag, attrs in scan(page).elements:
            for name, value in attrs.items():
                if (tag, name) in FETCHING and re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", value, re.IGNORECASE):
                    foreign.append(f"{url}: <{tag} {name}={value!r}>")
            if tag == "link" and "preconnect" in attrs.get("rel", "").lower():
                foreign.append(f"{url}: <link rel=preconnect>")
        if re.search(r"fonts\.(googleapis|gstatic)\.com|googletagmanager|google-analytics", page):
            foreign.append(f"{url}: mentions a font or analytics host")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for match in re.finditer(r"""url\(\s*['"]?([a-z][a-z0-9+.-]*:)?//|@import\s+(url\()?['"]?https?:""", text):
            foreign.append(f"{css.relative_to(site)}: {match.group(0)}")
    assert not foreign, "\n".join(foreign)


def test_source_links_are_plain_links(site: Path) -> None:
    """Vendors' own pages are linked from <a> only (which the reader may follow), never loaded."""
    for path in (site / "vendors").rglob("index.html"):
        for tag, attrs in scan(path.read_text(encoding="utf-8")).elements:
            if attrs.get("class") == "refund-source":
                assert tag == "a" and attrs["href"].startswith(("https://", "http://"))
                assert "noopener" in attrs["rel"]
