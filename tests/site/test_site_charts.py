"""Tools for policy writers on the generated pages: refund-over-time charts and the gap report.

- Charts: inline SVG drawn at build time (readable without JavaScript). Each figure says what
  it charts (``data-chart-vendors``, ``data-chart-scenario``); the lines and the table of
  numbers are the library's own ``refund_series`` for the configured default purchase.
- Gaps and ambiguities: exactly the findings of ``refundlib.lint`` for the vendor, in order,
  with their clauses linked and the flags that already say so.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from mkdocs.config.base import ValidationError

import refundlib
from conftest import REPO_ROOT
from refundlib.chart import UNCERTAIN, PointKind, Series, chart_series, plain_answers, refund_series
from refundlib.chart_svg import PALETTE
from refundlib.compare import pick_product
from refundlib.lint import lint
from refundlib.model import Policy
from refundlib.money import format_amount
from site_html import article, read, scan, text_of
from site_plugins import pages
from site_plugins.config import ANNUAL_PURCHASE, MONTHLY_PURCHASE, ChartPurchase, ChartPurchases

SVG = "{http://www.w3.org/2000/svg}"
FIGURE = re.compile(r'<figure class="refund-chart"[^>]*>.*?</figure>', re.DOTALL)
DEFAULT_PURCHASES = [ANNUAL_PURCHASE, MONTHLY_PURCHASE]
VENDOR_IDS = refundlib.vendor_ids()


def figures(fragment: str) -> list[tuple[dict[str, str], str]]:
    """(attributes of <figure>, its HTML) for every chart in some HTML."""
    found = []
    for match in FIGURE.finditer(fragment):
        tag, attrs = scan(match.group(0)).elements[0]
        assert tag == "figure"
        found.append((attrs, match.group(0)))
    return found


def svg_of(figure: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", figure, re.DOTALL)
    assert match, "no inline <svg> in the figure"
    return ET.fromstring(match.group(0))


def expected_series(policy: Policy, purchase: dict) -> Series | None:
    """The default purchase put to one vendor, built here from the library alone."""
    product = pick_product(policy, {"billing": purchase["billing"]})
    if product is None:
        return None
    scenario = {**purchase, "product": product, "facts": plain_answers(policy, product)}
    return refund_series(policy, scenario, lenient_facts=True)


def runs(series: Series) -> list[tuple[str, int, int]]:
    """(kind, first day, last day) of each run of same-kind days with a value."""
    found: list[tuple[str, int, int]] = []
    for point in series.points:
        if point.value is None:
            found.append(("gap", point.day, point.day))
        elif found and found[-1][0] == point.kind and found[-1][2] == point.day - 1:
            found[-1] = (found[-1][0], found[-1][1], point.day)
        else:
            found.append((str(point.kind), point.day, point.day))
    return [r for r in found if r[0] != "gap"]


def check_figure(attrs: dict[str, str], figure: str, expected: list[Series]) -> None:
    """The figure draws exactly ``expected``: one labelled group per vendor, its runs, its numbers."""
    vendors = attrs["data-chart-vendors"].split()
    assert vendors == [s.vendor for s in expected]
    scenario = json.loads(attrs["data-chart-scenario"])
    assert "requested_on" not in scenario
    # The embedded scenario reproduces the chart through the library's public entry point.
    again = chart_series(vendors, scenario)
    assert [s.points for s in again] == [s.points for s in expected]

    root = svg_of(figure)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.get("id") == title_id
    assert desc.get("id") == desc_id
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert [g.get("data-vendor") for g in groups] == vendors
    colours = [g.get("stroke") for g in groups]
    assert len(set(colours)) == len(colours) and set(colours) <= set(PALETTE)
    for group, series in zip(groups, expected, strict=True):
        assert [t.text for t in group.findall(f"{SVG}text[@class='label']")] == [series.name]
        segments = [p for p in group.findall(f"{SVG}path") if "segment" in (p.get("class") or "")]
        drawn = [(p.get("data-kind"), int(p.get("data-from", -1)), int(p.get("data-to", -1))) for p in segments]
        assert drawn == runs(series), series.vendor
        for path in segments:  # discretionary, upper bounds and conditional stretches are dashed
            assert (path.get("stroke-dasharray") is not None) == (PointKind(path.get("data-kind")) in UNCERTAIN)

    by_vendor = {s.vendor: s for s in expected}
    cells = [a for tag, a in scan(figure).elements if tag == "td" and "data-vendor" in a]
    days = {int(a["data-day"]) for a in cells}
    assert {0, max(s.last_day for s in expected)} <= days
    for series in expected:  # every change of rule or kind is in the table, both sides of it
        for before, point in pairwise(series.points):
            if (before.kind, before.rule) != (point.kind, point.rule):
                assert {before.day, point.day} <= days, (series.vendor, point.day)
    for cell in cells:
        series, day = by_vendor[cell["data-vendor"]], int(cell["data-day"])
        if day > series.last_day:
            assert "data-kind" not in cell
            continue
        point = series.points[day]
        assert (cell["data-kind"], cell["data-value"]) == (str(point.kind), format_amount(point.value) or ""), cell
    assert len(cells) == len(days) * len(expected)
    assert "<script" not in figure and not re.search(r"\son[a-z]+=", figure)


# -- the compare page --------------------------------------------------------------------------

def test_compare_chart_is_the_default_purchase_for_every_vendor_selling_it(site: Path, policies: list[Policy]) -> None:
    page = read(site, "/compare/")
    (attrs, figure), = figures(article(page))
    expected = [s for s in (expected_series(p, ANNUAL_PURCHASE) for p in policies) if s is not None]
    assert len(expected) >= 2
    check_figure(attrs, figure, expected)
    scenario = json.loads(attrs["data-chart-scenario"])
    assert scenario["products"] == {s.vendor: s.product for s in expected}
    assert {k: scenario[k] for k in ANNUAL_PURCHASE} == ANNUAL_PURCHASE
    caption_html = re.search(r"<figcaption>(.*)</figcaption>", figure, re.DOTALL)
    assert caption_html
    caption = text_of(caption_html.group(1))
    assert "a first payment of 1200.00 USD, billed annually at list price, on 2026-01-01" in caption
    assert "answered “no”" in caption and "redraws this chart" in caption
    for policy in policies:
        if policy.id not in scenario["products"]:
            assert f"{policy.name} sells nothing billed annually" in caption
    assert 'href="#the-same-situation-every-vendor"' in figure
    assert 'id="the-same-situation-every-vendor"' in page


def test_compare_chart_comes_between_the_table_and_the_calculator(site: Path) -> None:
    headings = re.findall(r'<h2 id="([^"]+)"', article(read(site, "/compare/")))
    assert headings == ["the-terms-side-by-side", "refund-over-time", "the-same-situation-every-vendor"]


# -- vendor pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_vendor_charts_are_its_series_for_each_default_purchase(site: Path, vendor_id: str) -> None:
    policy = refundlib.get_policy(vendor_id)
    found = figures(article(read(site, f"/vendors/{vendor_id}/")))
    expected = [(purchase, s) for purchase in DEFAULT_PURCHASES
                if (s := expected_series(policy, purchase)) is not None]
    assert expected, f"{vendor_id} sells nothing billed annually or monthly: the site shows no chart"
    assert len(found) == len(expected)
    for (attrs, figure), (purchase, series) in zip(found, expected, strict=True):
        check_figure(attrs, figure, [series])
        scenario = json.loads(attrs["data-chart-scenario"])
        assert scenario["product"] == series.product and scenario["billing"] == purchase["billing"]
        assert scenario["facts"] == plain_answers(policy, series.product)
    assert 'href="#work-out-your-refund"' in found[0][1]
    ids = [attrs["id"] for attrs, _ in found]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_vendor_charts_list_every_charged_product_left_out(site: Path, vendor_id: str) -> None:
    policy = refundlib.get_policy(vendor_id)
    section = article(read(site, f"/vendors/{vendor_id}/")).split('id="refund-over-time"', 1)[1].split("<h2", 1)[0]
    charted = {json.loads(a["data-chart-scenario"])["product"] for a, _ in figures(section)}
    left = [p for p in policy.products if p.charged and p.id not in charted]
    missing = re.search(r'<p class="refund-chart-missing"><strong>Not charted:</strong>(.*?)</p>\s*$', section,
                        re.DOTALL)
    if left:
        assert missing, f"{vendor_id}: products left out of the charts are not listed"
        for product in left:
            assert html.escape(product.name, quote=False) in missing.group(1)
    else:
        assert missing is None


def test_the_answers_charted_are_listed(site: Path) -> None:
    policy = refundlib.get_policy("recatch")
    _, figure = figures(article(read(site, "/vendors/recatch/")))[0]
    answers = re.search(r'<details class="refund-chart-answers"[^>]*>(.*?)</details>', figure, re.DOTALL)
    assert answers
    listed = [a["data-fact"] for tag, a in scan(answers.group(1)).elements if tag == "li"]
    assert listed == [f.id for f in policy.facts]
    for fact in policy.facts:
        assert html.escape(fact.question, quote=False) in answers.group(1)


# -- the gap report ------------------------------------------------------------------------------

def gaps_section(page: str) -> str:
    return article(page).split('<h2 id="gaps-and-ambiguities"', 1)[1].split("<h2", 1)[0]


@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_gaps_list_exactly_the_lint_findings(site: Path, policies: list[Policy], vendor_id: str) -> None:
    policy = refundlib.get_policy(vendor_id)
    findings = lint(policy, [p for p in policies if p.id != vendor_id])
    page = read(site, f"/vendors/{vendor_id}/")
    section = gaps_section(page)
    items = re.findall(r'<li class="refund-finding" data-kind="([^"]+)" data-subject="([^"]+)">(.*?)</li>\n?(?=<li '
                       r'class="refund-finding"|</ol>)', section, re.DOTALL)
    shown = [(kind, html.unescape(subject)) for kind, subject, _ in items]
    assert shown == [(str(f.kind), f.subject) for f in findings]
    notes = {n.id for n in policy.notes}
    ids = scan(page).ids
    for (_, _, body), finding in zip(items, findings, strict=True):
        assert html.escape(finding.message, quote=False) in body
        for quote in finding.clauses:
            assert f'href="#clause-{quote.clause}"' in body and f"clause-{quote.clause}" in ids
            assert html.escape(quote.text, quote=False) in body
        flagged = [r for r in finding.refs if r in notes]
        assert re.findall(r'<a href="#note-([^"]+)"', body) == flagged
        assert all(f"note-{n}" in ids for n in flagged)
        if not flagged:
            assert "No flag above says this." in body
    if not findings:
        assert "finds nothing" in section


def test_every_flag_has_an_anchor(site: Path) -> None:
    for policy in refundlib.all_policies():
        ids = scan(read(site, f"/vendors/{policy.id}/")).ids
        assert {f"note-{n.id}" for n in policy.notes} <= ids


# -- the plugin's settings -------------------------------------------------------------------------

def test_default_purchases_are_valid() -> None:
    option = ChartPurchases(ChartPurchase(), default=DEFAULT_PURCHASES)
    assert option.validate(None) == DEFAULT_PURCHASES


@pytest.mark.parametrize(("value", "message"), [
    ({**ANNUAL_PURCHASE, "amount_paid": 1200.5}, "amount_paid"),
    ({**ANNUAL_PURCHASE, "billing": "weekly"}, "billing: expected one of monthly, annual, one_time"),
    ({**ANNUAL_PURCHASE, "product": "plan"}, "product: expected one of the purchase fields"),
    ({k: v for k, v in ANNUAL_PURCHASE.items() if k != "currency"}, "currency: expected an ISO 4217 currency code"),
    ({**ANNUAL_PURCHASE, "list_price": "100.00"},
     "list_price: expected the price before any discount, at least amount_paid"),
    ({**ANNUAL_PURCHASE, "currency": "XYZ"}, "currency"),
    ({**ANNUAL_PURCHASE, "purchased_on": "2026-02-30"}, "purchased_on"),
    ({**ANNUAL_PURCHASE, "first_payment": "maybe"}, "first_payment"),
    ({**ANNUAL_PURCHASE, "facts": {"credits_used": 1.5}}, "facts.credits_used"),
    ("annual", "scenario: expected a JSON object with billing"),
])
def test_a_bad_purchase_is_refused_naming_the_field(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        ChartPurchase().validate(value)


def test_yaml_dates_are_accepted_and_an_empty_list_is_not() -> None:
    purchase = ChartPurchase().validate({**ANNUAL_PURCHASE, "purchased_on": datetime.date(2026, 3, 1)})
    assert purchase["purchased_on"] == "2026-03-01"
    with pytest.raises(ValidationError, match="at least one purchase"):
        ChartPurchases(ChartPurchase(), default=DEFAULT_PURCHASES).validate([])


def test_each_series_is_computed_once_per_build(policies: list[Policy]) -> None:
    site = pages.Site(policies, vendor_urls={p.id: f"vendors/{p.id}/" for p in policies})
    site.render("compare/", "compare-chart", None)
    after_compare = site.charts.evaluations
    for policy in policies:
        site.render(f"vendors/{policy.id}/", "vendor-chart", policy.id)
    annual = sum(len(s.points) for s in (expected_series(p, ANNUAL_PURCHASE) for p in policies) if s)
    monthly = sum(len(s.points) for s in (expected_series(p, MONTHLY_PURCHASE) for p in policies) if s)
    assert after_compare == annual
    assert site.charts.evaluations == annual + monthly  # the vendor pages reuse the compare page's series


def test_a_purchase_no_vendor_sells_is_not_an_error(policies: list[Policy]) -> None:
    purchase = {**ANNUAL_PURCHASE, "billing": "one_time"}
    site = pages.Site([refundlib.get_policy("recatch")], vendor_urls={"recatch": "vendors/recatch/"},
                      chart_purchases=[purchase])
    out = site.render("compare/", "compare-chart", None)
    assert "reCatch sells nothing paid once" in out and "<svg" not in out
    out = site.render("vendors/recatch/", "vendor-chart", "recatch")
    assert "<svg" not in out and "sells nothing paid once" in out


def test_configured_purchase_is_charted(build_variant: Callable) -> None:
    proc = build_variant("plugins:\n  - search\n  - refund-policies:\n"
                         f"      node_modules: {REPO_ROOT / 'node_modules'}\n"
                         "      chart_scenarios:\n"
                         "        - billing: monthly\n"
                         "          purchased_on: 2026-02-01\n"
                         "          amount_paid: '40.00'\n"
                         "          list_price: '50.00'\n"
                         "          currency: EUR\n"
                         "          first_payment: false\n"
                         "          facts: {service_plan_used: true}\n")
    assert proc.returncode == 0, proc.stderr
    site = Path(proc.args[proc.args.index("--site-dir") + 1])
    purchase = ChartPurchase().validate({"billing": "monthly", "purchased_on": "2026-02-01", "amount_paid": "40.00",
                                         "list_price": "50.00", "currency": "EUR", "first_payment": False,
                                         "facts": {"service_plan_used": True}})
    (attrs, figure), = figures(article(read(site, "/compare/")))
    expected = []
    for policy in refundlib.all_policies():
        product = pick_product(policy, purchase)
        if product is not None:
            facts = {**plain_answers(policy, product),
                     **{k: v for k, v in purchase["facts"].items() if k in {f.id for f in policy.facts}}}
            expected.append(refund_series(policy, {**purchase, "product": product, "facts": facts},
                                          lenient_facts=True))
    check_figure(attrs, figure, expected)
    assert json.loads(attrs["data-chart-scenario"])["facts"]["service_plan_used"] is True
    assert "SoftDukan sells nothing billed monthly" in text_of(figure)
    assert "a renewal payment of 40.00 EUR, billed monthly discounted from a list price of 50.00 EUR" in text_of(figure)
    assert len(figures(article(read(site, "/vendors/kino/")))) == 1


def test_a_bad_purchase_stops_the_build_naming_the_option(build_variant: Callable) -> None:
    proc = build_variant("plugins:\n  - search\n  - refund-policies:\n"
                         f"      node_modules: {REPO_ROOT / 'node_modules'}\n"
                         "      chart_scenarios:\n"
                         "        - {billing: annual, purchased_on: 2026-01-01, amount_paid: 12.5, currency: USD}\n")
    assert proc.returncode != 0
    assert "chart_scenarios" in proc.stderr and "amount_paid" in proc.stderr
