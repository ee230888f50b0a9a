"""The generated pages: one per vendor, the comparison, the home summary; golden files for their content.

Golden files live in tests/site/golden/. ``UPDATE_GOLDEN=1`` rewrites them from the
current build (review the diff before committing); a missing one fails.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

import refundlib
from refundlib import words
from refundlib.model import Policy, Topic
from site_html import article, normalize, policy_text, read, scan

GOLDEN = Path(__file__).parent / "golden"
VENDOR_IDS = refundlib.vendor_ids()


def golden_pages() -> dict[str, str]:
    """Golden file name -> page URL."""
    return {"home.html": "/", "compare.html": "/compare/",
            **{f"vendor-{vendor_id}.html": f"/vendors/{vendor_id}/" for vendor_id in VENDOR_IDS}}


@pytest.mark.parametrize(("name", "url"), golden_pages().items())
def test_golden(site: Path, name: str, url: str) -> None:
    actual = normalize(article(read(site, url)))
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"golden file {path} is missing: run `UPDATE_GOLDEN=1 pytest tests/site` and review it",
                    pytrace=False)
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{url} differs from {path}; if intended, rerun with UPDATE_GOLDEN=1 and review the diff"


def test_no_stale_golden_files() -> None:
    stale = sorted({p.name for p in GOLDEN.glob("*.html")} - set(golden_pages()))
    assert not stale, f"golden files without a page (vendor removed?): {stale}"


@pytest.fixture(params=VENDOR_IDS)
def vendor(request: pytest.FixtureRequest, site: Path) -> tuple[Policy, str]:
    return refundlib.get_policy(request.param), read(site, f"/vendors/{request.param}/")


def test_vendor_page_sections_in_order(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    content = article(page)
    assert f"<h1>{html.escape(policy.name, quote=False)}</h1>" in content
    headings = re.findall(r'<h2 id="([^"]+)"', content)
    assert headings == ["work-out-your-refund", "at-a-glance", "refund-over-time", "how-the-verdict-is-decided",
                        "flags", "gaps-and-ambiguities", "the-policy-text"]  # the calculator first


def test_every_clause_has_its_anchor(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    for clause in policy.clauses:
        span = f'<span class="clause" id="clause-{clause.id}">{html.escape(clause.text, quote=False)}</span>'
        assert span in page, f"{policy.id}: clause {clause.id} is not shown with its anchor"


def test_policy_text_is_the_capture(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    assert policy_text(page) == policy.capture.policy_text


def test_omitted_part_is_described(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    if policy.capture.omitted:
        assert html.escape(policy.capture.omitted, quote=False) in page


def test_glance_lists_every_topic_in_order(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    glance = re.search(r'<dl class="refund-glance">(.*?)</dl>', page, re.DOTALL)
    assert glance
    terms = re.findall(r'<dt id="term-([a-z_]+)">', glance.group(1))
    assert terms == [str(t) for t in Topic]
    assert glance.group(1).count(words.NOT_STATED) == sum(policy.topic(t) is None for t in Topic)
    for summary in policy.topics:
        assert html.escape(summary.summary, quote=False) in glance.group(1)


def test_decision_list_in_order(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    steps = re.findall(r'<li class="refund-step refund-step--(\w+)"', page)
    assert steps == ["exclusion"] * len(policy.exclusions) + ["rule"] * len(policy.rules) + ["fallback"]
    for rule in policy.rules:
        for requirement in rule.requires:
            assert html.escape(requirement.says, quote=False) in page


def test_every_flag_is_shown(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    kinds = re.findall(r'<li class="refund-flag" data-kind="(\w+)" id="note-[^"]+">', page)
    assert kinds == [str(n.kind) for n in policy.notes]
    for note in policy.notes:
        assert html.escape(note.text, quote=False) in page


def test_vendor_calculator_markup(vendor: tuple[Policy, str]) -> None:
    policy, page = vendor
    section = (f'<section class="refund-calculator" data-vendor="{policy.id}" data-clause-href="#clause-">'
               f'<noscript>')
    assert section in page
    noscript = re.search(r"<noscript>(.*?)</noscript>", page, re.DOTALL)
    assert noscript and "needs JavaScript" in noscript.group(1)
    assert '<script type="module" src="../../assets/refund/calculator.js"></script>' in page


def test_compare_matrix(site: Path, policies: list[Policy]) -> None:
    page = read(site, "/compare/")
    elements = scan(page).elements
    columns = [a["data-vendor"] for tag, a in elements if tag == "th" and "data-vendor" in a]
    assert columns == [p.id for p in policies]
    rows = [a["data-topic"] for tag, a in elements if tag == "tr" and "data-topic" in a]
    assert rows == [str(t) for t in Topic] + ["last_updated"]
    matrix = re.search(r'<table class="refund-matrix">(.*?)</table>', page, re.DOTALL)
    assert matrix
    for row in re.findall(r"<tr data-topic=[^>]*>(.*?)</tr>", matrix.group(1), re.DOTALL):
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.DOTALL)
        assert len(cells) == len(policies)
        for cell in cells:
            assert cell == words.NOT_STATED_SHORT or 'class="refund-cite"' in cell, cell
    stated = sum(p.topic(t) is not None for p in policies for t in Topic)
    assert matrix.group(1).count('<td class="refund-unstated">') == len(policies) * len(Topic) - stated


def test_compare_calculator_markup(site: Path, policies: list[Policy]) -> None:
    page = read(site, "/compare/")
    ids = " ".join(p.id for p in policies)
    assert (f'<section class="refund-compare" data-vendors="{ids}" '
            f'data-clause-href="../vendors/{{vendor}}/#clause-"><noscript>') in page
    assert '<script type="module" src="../assets/refund/calculator.js"></script>' in page


def test_home_summary(site: Path, policies: list[Policy]) -> None:
    page = read(site, "/")
    summary = re.search(r'<table class="refund-summary">(.*?)</table>', page, re.DOTALL)
    assert summary
    for policy in policies:
        link = f'<a href="vendors/{policy.id}/">{html.escape(policy.name, quote=False)}</a>'
        assert link in summary.group(1)
    assert summary.group(1).count("<tr>") == len(policies) + 1


def test_nav_lists_every_vendor(site: Path, policies: list[Policy]) -> None:
    page = read(site, "/")
    for policy in policies:
        assert f'href="vendors/{policy.id}/"' in page.split("<article", 1)[0], f"{policy.id} missing from the nav"


def test_no_placeholder_left(site: Path) -> None:
    leftovers = [p for p in site.rglob("*.html") if "refund-policies:" in p.read_text(encoding="utf-8")]
    assert not leftovers
