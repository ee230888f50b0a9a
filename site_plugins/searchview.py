"""What the search index reads of a generated page: its text, not the markup around it.

Material's search plugin parses every page's HTML (``on_page_context``) and indexes the text
of each section, skipping elements marked ``data-search-exclude``. The generated sections are
mostly markup that is never indexed: the charts' SVG, their tables of numbers and answers
(all marked ``data-search-exclude``) and the citation links (``[3]`` with the clause as its
title: a label, not text anyone searches for). Parsing that markup only to throw it away is
most of the cost of indexing a vendor page.

So :func:`set_aside` replaces each of those elements in a rendered section with a short
comment holding its index, and keeps the element; the plugin does this in ``on_page_content``,
the search plugin indexes the rest, and :func:`restore` puts every element back, byte for byte,
in the plugin's own ``on_page_context``, which runs after the search plugin's. The page is
unchanged; the index is the same, less the citation markers.
"""

from __future__ import annotations

import re

# The start tag of an element to set aside: one marked data-search-exclude, or a citation group.
_START = re.compile(r'<(div|details|span)\b(?=[^>]*?\s(?:data-search-exclude(?:=""|[\s>])|class="refund-cites"))'
                    r'[^>]*>')
_TAGS = {name: re.compile(rf"<(/?){name}\b[^>]*>") for name in ("div", "details", "span")}
_HEADING = re.compile(r"<h[1-6]\b")
_TOKEN = re.compile(r"<!--refund-policies:set-aside (\d+)-->")


def set_aside(html: str, kept: list[str]) -> str:
    """``html`` with each element to set aside replaced by a token; the elements are appended to ``kept``.

    An element that holds a heading stays (the search plugin would start a section at it).
    """
    if 'data-search-exclude' not in html and 'class="refund-cites"' not in html:
        return html
    out, position = [], 0
    for start in _START.finditer(html):
        if start.start() < position:
            continue  # inside an element already set aside
        end = _element_end(html, start)
        if end is None or _HEADING.search(html, start.end(), end):
            continue
        out += [html[position:start.start()], f"<!--refund-policies:set-aside {len(kept)}-->"]
        kept.append(html[start.start():end])
        position = end
    out.append(html[position:])
    return "".join(out)


def _element_end(html: str, start: re.Match[str]) -> int | None:
    """Where the element opened by ``start`` ends (after its end tag), counting nested elements of its kind."""
    depth = 0
    for tag in _TAGS[start[1]].finditer(html, start.start()):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return None


def restore(html: str, kept: list[str]) -> str:
    """Put back what :func:`set_aside` took out of ``html``."""
    return _TOKEN.sub(lambda m: kept[int(m[1])], html)
