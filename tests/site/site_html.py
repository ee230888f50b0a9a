"""Reading the built site's HTML in tests: pages by URL, ids, links, scripts, generated content."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
POLICY_TEXT = re.compile(r'<div class="refund-policy-text" id="policy-text">(.*?)</div>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Scan:
    ids: set[str] = field(default_factory=set)
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (tag, attributes)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.scan.ids.add(attributes["id"])
        self.scan.elements.append((tag, attributes))


def scan(page: str) -> Scan:
    parser = _Scanner()
    parser.feed(page)
    parser.close()
    return parser.scan


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url(site: Path, path: Path) -> str:
    """The URL path of a built file, as served from the site root ("/vendors/recatch/")."""
    rel = path.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def resolve(site: Path, from_url: str, href: str) -> tuple[Path, str] | None:
    """The file a relative link points to, and its fragment; None for other origins or special schemes."""
    absolute = urljoin(f"http://site.invalid{from_url}", href)
    parts = urlsplit(absolute)
    if parts.netloc != "site.invalid":
        return None
    path = unquote(parts.path)
    target = site / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def read(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html" if not url.endswith(".html") else site / url.lstrip("/")
    return path.read_text(encoding="utf-8")


def article(page: str) -> str:
    match = ARTICLE.search(page)
    assert match, "no <article class=\"md-content__inner md-typeset\"> in the page"
    return match.group(1)


def normalize(fragment: str) -> str:
    """Golden-file form: lines without trailing blanks, runs of blank lines collapsed."""
    lines = [line.rstrip() for line in fragment.splitlines()]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def text_of(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


def policy_text(page: str) -> str:
    match = POLICY_TEXT.search(page)
    assert match, "no policy text block (div#policy-text) in the page"
    return text_of(match.group(1))
