"""The search index of the generated pages: their text, without the charts' markup or the citation markers.

The plugin sets that markup aside while Material's search plugin parses the page and puts it
back afterwards (site_plugins/searchview.py); the pages themselves are covered by the golden files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import refundlib
from site_plugins import pages, searchview

SECTIONS = ("vendor-header", "vendor-calculator", "vendor-glance", "vendor-chart", "vendor-decision", "vendor-flags",
            "vendor-gaps", "vendor-text")


@pytest.fixture(scope="module")
def index(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize("vendor_id", refundlib.vendor_ids())
def test_set_aside_and_restore_give_back_every_byte(vendor_id: str) -> None:
    policies = refundlib.all_policies()
    site = pages.Site(policies, vendor_urls={p.id: f"vendors/{p.id}/" for p in policies})
    for kind in SECTIONS:
        rendered = site.render(f"vendors/{vendor_id}/", kind, vendor_id)
        kept: list[str] = []
        view = searchview.set_aside(rendered, kept)
        assert searchview.restore(view, kept) == rendered
        assert "<svg" not in view and "data-search-exclude" not in view and 'class="refund-cites"' not in view
        assert all(k.count("<svg") == k.count("</svg>") for k in kept)


def test_set_aside_keeps_nested_elements_whole_and_headings_in_view() -> None:
    html = ('<p>a</p><div data-search-exclude=""><div>x</div><div>y</div></div><p>b '
            '<span class="refund-cites"><a href="#c">[1]</a></span></p>'
            '<div data-search-exclude=""><h2 id="t">T</h2></div>')
    kept: list[str] = []
    view = searchview.set_aside(html, kept)
    assert kept == ['<div data-search-exclude=""><div>x</div><div>y</div></div>',
                    '<span class="refund-cites"><a href="#c">[1]</a></span>']
    assert '<h2 id="t">T</h2>' in view
    assert searchview.restore(view, kept) == html


def test_index_has_the_text_without_citation_markers_or_chart_markup(index: list[dict[str, str]]) -> None:
    generated = [e for e in index if e["location"].startswith(("vendors/", "compare/"))]
    assert generated
    for entry in generated:
        assert not re.search(r"\[\d+\]|\[policy text\]", entry["text"]), entry["location"]
        assert "<svg" not in entry["text"] and "Request day" not in entry["text"], entry["location"]
    glance = next(e for e in index if e["location"] == "vendors/recatch/#at-a-glance")
    assert "100% back to the original payment method within 7 days" in glance["text"]
    chart = next(e for e in index if e["location"] == "vendors/recatch/#refund-over-time")
    assert "Charted: a first payment of 1200.00 USD" in chart["text"]
