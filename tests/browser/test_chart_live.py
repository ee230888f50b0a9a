"""The calculator redraws "Refund over time" for the reader's purchase, in real headless Chromium.

The site draws its charts at build time (site_plugins/charts.py, CPython). Once the form holds a
purchase the library accepts, the calculator asks refundlib (Pyodide, in the worker) for the chart
of that purchase and puts it in the page's figure. What it draws must be what CPython draws for
the same purchase: ``refundlib.chart.refund_series`` / ``chart_series`` put through
``refundlib.chart_svg.render_svg``, compared element by element (every path's ``d``, every
segment's ``data-kind``/``data-from``/``data-to``, the labels, the title and description).

Pages are the session's shared ones (conftest ``shared``: no console error, no CSP violation, no
request outside the test server). Every wait is an ``expect`` or a poll from Python: the pages'
CSP forbids the string evaluation that ``wait_for_function`` needs.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import Locator, Page, expect

import refundlib
from calculator_helpers import (
    COMPARE_SCENARIOS,
    RUNTIME_TIMEOUT_MS,
    assert_accessible,
    compare_page,
    compare_scenario,
    fill_compare_form,
    fill_vendor_form,
    form_scenario,
    ordered,
    permalink_hash,
    start_over,
    vendor_page,
    wait_for_verdict,
)
from refundlib.chart import chart_series, refund_series
from refundlib.chart_svg import CHART_HEIGHT, CHART_WIDTH, chart_title, describe, render_svg, runs
from refundlib.compare import compare

WIDTH, HEIGHT = CHART_WIDTH, CHART_HEIGHT  # the size of every chart the site shows
CHART_TIMEOUT_S = 60  # a chart once the verdict is there (Pyodide, a slow CI machine)
SVG = "{http://www.w3.org/2000/svg}"

# What the calculator's chart shows, in the browser: the same reading as ``drawing_of`` below.
_DRAWING = """(figure) => {
  const svg = figure.querySelector(":scope > .refund-chart-drawing > svg");
  if (!svg) return null;
  const byId = (id) => figure.ownerDocument.getElementById(id);
  return {
    labelledby: (svg.getAttribute("aria-labelledby") || "").split(/\\s+/).map((id) => {
      const node = byId(id);
      return node && svg.contains(node) ? node.localName : null;
    }),
    elements: [...svg.querySelectorAll("*")].map((node) => [
      node.localName,
      Object.fromEntries([...node.attributes].filter((a) => a.name !== "id").map((a) => [a.name, a.value])),
      node.children.length ? null : node.textContent,
    ]),
    root: Object.fromEntries([...svg.attributes].filter((a) => !["aria-labelledby", "xmlns"].includes(a.name))
      .map((a) => [a.name, a.value])),
  };
}"""

# A log kept by the page of when each verdict and each live chart appeared, and for which purchase.
_WATCH = """() => {
  if (window.__liveLog) { window.__liveLog.length = 0; return; }
  window.__liveLog = [];
  const note = (what, node) => window.__liveLog.push({ what, hash: location.hash, t: performance.now(),
    state: node.dataset.state || node.dataset.chartState || "", scenario: node.getAttribute("data-chart-scenario") });
  new MutationObserver((records) => {
    for (const r of records) {
      const node = r.target;
      if (node.matches(".refund-verdict") && node.dataset.state === "done") note("verdict", node);
      if (node.matches("figure.refund-chart") && node.dataset.chartState === "live") note("chart", node);
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-state", "data-chart-state"] });
}"""

# The figure as the server sent it, next to the figure as it is now (minus the calculator's state hooks).
_AS_BUILT = """async (id) => {
  const html = await (await fetch(location.pathname)).text();
  const built = new DOMParser().parseFromString(html, "text/html").getElementById(id);
  const now = document.getElementById(id).cloneNode(true);
  now.removeAttribute("data-chart-state");
  now.removeAttribute("aria-busy");
  return [built.outerHTML, now.outerHTML];
}"""


def drawing_of(svg_text: str) -> dict[str, Any]:
    """``_DRAWING`` for an SVG text drawn by CPython."""
    root = ET.fromstring(svg_text)
    ids = {node.get("id"): node.tag.removeprefix(SVG) for node in root.iter() if node.get("id")}

    def text(node: ET.Element) -> str | None:
        return None if len(node) else (node.text or "")

    return {
        "labelledby": [ids.get(i) for i in root.get("aria-labelledby", "").split()],
        "elements": [[node.tag.removeprefix(SVG), {k: v for k, v in node.attrib.items() if k != "id"}, text(node)]
                     for node in root.iter() if node is not root],
        "root": {k: v for k, v in root.attrib.items() if k != "aria-labelledby"},
    }


def cpython_svg(series: list) -> str:
    """What the bridge call "chart" draws for these series, at the site's size."""
    return render_svg(series, width=WIDTH, height=HEIGHT, title=chart_title(series))


def without_request_date(scenario: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in scenario.items() if k != "requested_on"}


def wait_for_chart(figure: Locator, scenario: Mapping[str, Any], timeout_s: float = CHART_TIMEOUT_S) -> float:
    """Wait until ``figure`` shows the live chart of ``scenario`` (its data-chart-scenario).

    Returns the seconds waited.
    """
    started = time.monotonic()
    seen: tuple[str | None, str | None] = (None, None)
    while time.monotonic() - started < timeout_s:
        if figure.count() == 1:
            seen = (figure.get_attribute("data-chart-state"), figure.get_attribute("data-chart-scenario"))
            if seen[0] == "live" and seen[1] and json.loads(seen[1]) == dict(scenario):
                return time.monotonic() - started
        figure.page.wait_for_timeout(50)
    raise AssertionError(f"no live chart of {dict(scenario)} after {timeout_s} s; the figure shows {seen}")


def assert_draws(figure: Locator, series: list) -> None:
    """The figure's SVG is CPython's drawing of ``series``, element by element, and says what they are."""
    shown = figure.evaluate(_DRAWING)
    assert shown is not None, "the figure has no drawing"
    expected = drawing_of(cpython_svg(series))
    assert shown["labelledby"] == ["title", "desc"], shown["labelledby"]
    assert shown["root"] == expected["root"]
    assert shown["root"]["role"] == "img"
    assert (shown["root"]["width"], shown["root"]["height"]) == (str(WIDTH), str(HEIGHT))
    assert shown["elements"] == expected["elements"]
    # Read independently of the drawing code: one line per vendor, one segment per run of days.
    lines = figure.locator("svg g.series")
    expect(lines).to_have_count(len(series))
    for index, one in enumerate(series):
        line = lines.nth(index)
        assert line.get_attribute("data-vendor") == one.vendor
        assert line.get_attribute("aria-label") == describe(one)
        expect(line.locator("text.label")).to_have_text(one.name)
        segments = line.locator("path.segment").evaluate_all(
            "(paths) => paths.map((p) => [p.getAttribute('data-kind'), Number(p.getAttribute('data-from')), "
            "Number(p.getAttribute('data-to'))])")
        assert segments == [[str(kind), points[0].day, points[-1].day] for kind, points in runs(one)], one.vendor
    expect(figure.locator("svg > title")).to_have_text(chart_title(series))


def assert_as_built(page: Page, figure_id: str, *, default_purchase: bool = False) -> None:
    """The figure is (again) exactly what the site built: its drawing, caption and data attributes; with
    ``default_purchase`` (the reader's purchase is charted in another figure), its caption says so."""
    built, now = page.evaluate(_AS_BUILT, figure_id)
    if default_purchase:
        assert "<figcaption><p>Default purchase: " in now
        now = now.replace("<figcaption><p>Default purchase: ", "<figcaption><p>Charted: ", 1)
    assert now == built


def check_log(page: Page) -> list[float]:
    """Every live chart was drawn after the verdict for the same purchase, and for the purchase the form
    (the URL) held then: none for a purchase already changed. Returns the delays verdict -> chart (s)."""
    log = page.evaluate("() => window.__liveLog.slice()")
    delays = []
    for index, entry in enumerate(log):
        if entry["what"] != "chart":
            continue
        assert entry["hash"].startswith("#s="), entry
        in_form = json.loads(unquote(entry["hash"][3:]))
        drawn = json.loads(entry["scenario"])
        if "products" in in_form:  # the compare page charts the vendors with a verdict, with their products
            assert {k: v for k, v in drawn.items() if k != "products"} == without_request_date(
                {k: v for k, v in in_form.items() if k != "products"}), (drawn, in_form)
            assert all(in_form["products"][v] == p for v, p in drawn["products"].items()), (drawn, in_form)
        else:
            assert drawn == without_request_date(in_form), (drawn, in_form)
        verdicts = [e for e in log[:index] if e["what"] == "verdict" and e["hash"] == entry["hash"]]
        assert verdicts, f"a chart was drawn before the verdict for its purchase: {entry}"
        delays.append((entry["t"] - verdicts[-1]["t"]) / 1000)
    return delays


def watch(page: Page) -> None:
    page.evaluate(_WATCH)


# --- vendor pages ---------------------------------------------------------------------------------

VENDOR_CASES = {
    # name: (vendor, what a person enters, the figure it goes to)
    "KINO Pro Monthly, first payment not known": (
        "kino", {"product": "pro_monthly", "purchased_on": "2026-03-01", "requested_on": "2026-03-04",
                 "amount_paid": "30.00", "currency": "USD"}, "chart-2-monthly"),
    "reCatch annual, discounted, some answers": (
        "recatch", {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
                    "requested_on": "2026-07-01", "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
                    "first_payment": True, "facts": {"one_time_copy_used": True}}, "chart-1-annual"),
}


@pytest.mark.parametrize("name", VENDOR_CASES)
def test_vendor_chart_is_redrawn_for_the_purchase(shared, site_server: str, name: str) -> None:
    vendor, entered, figure_id = VENDOR_CASES[name]
    page = vendor_page(shared, site_server, vendor)
    section = page.locator(f'section.refund-calculator[data-vendor="{vendor}"]')
    start_over(section)
    expect(section.locator(".refund-verdict")).to_have_attribute("data-state", "error", timeout=RUNTIME_TIMEOUT_MS)
    watch(page)
    fill_vendor_form(section, vendor, entered)

    sent = form_scenario(vendor, entered)
    wait_for_verdict(page, sent)
    charted = ordered(without_request_date(sent))
    figure = page.locator(f"figure#{figure_id}")
    wait_for_chart(figure, charted)
    series = refund_series(refundlib.get_policy(vendor), charted, lenient_facts=True)
    assert [series] == chart_series([vendor], charted)
    assert_draws(figure, [series])
    assert figure.get_attribute("data-chart-vendors") == vendor
    expect(figure).to_have_attribute("aria-busy", "false")

    # The caption says whose purchase it is; the site's other figures say theirs is the default one.
    caption = figure.locator(":scope > figcaption")
    expect(caption.locator("p").first).to_contain_text(
        f"Your purchase: a {'first ' if entered.get('first_payment') else ''}payment of {series.amount_paid:f} USD")
    expect(caption).to_contain_text(f"for the {series.product_name}")
    day = (refundlib.purchase_fields.parse_date(sent["requested_on"], "requested_on") - series.purchased_on).days
    expect(caption).to_contain_text(f"Your request date, {sent['requested_on']}, is day {day}.")
    drawing = figure.locator(":scope > .refund-chart-drawing")
    expect(drawing).to_have_attribute("aria-label", f"Chart: your purchase: {chart_title([series])} "
                                                    "(scrolls sideways on a small screen)")
    ids = figure.locator("svg").get_attribute("aria-labelledby").split()
    assert ids == [f"{figure_id}-title", f"{figure_id}-desc"]
    for other in page.locator("figure.refund-chart").all():
        if other.get_attribute("id") == figure_id:
            continue
        expect(other).not_to_have_attribute("data-chart-state", "live")
        expect(other.locator(":scope > figcaption > p").first).to_contain_text("Default purchase: ")
    note = section.locator(".refund-chart-note")
    expect(note).to_be_visible()
    expect(note.get_by_role("link")).to_have_attribute("href", f"#{figure_id}")
    assert_accessible(page)
    delays = check_log(page)
    assert delays, "no chart was drawn"
    print(f"\n{name}: chart {max(delays):.2f} s after the verdict (incl. the 0.3 s pause)")

    # Changing only the request date keeps the drawing (the chart has every request day) and says the new day.
    later = {**entered, "requested_on": "2026-03-20" if entered["purchased_on"] == "2026-03-01" else "2026-09-01"}
    section.get_by_label("Date of the refund request", exact=True).fill(later["requested_on"])
    wait_for_verdict(page, form_scenario(vendor, later))
    new_day = (refundlib.purchase_fields.parse_date(later["requested_on"], "requested_on") - series.purchased_on).days
    expect(caption).to_contain_text(f"Your request date, {later['requested_on']}, is day {new_day}.")
    assert_draws(figure, [series])

    # Started over: no valid purchase, so every figure is again what the site built.
    start_over(section)
    expect(figure).to_have_attribute("data-chart-state", "default", timeout=RUNTIME_TIMEOUT_MS)
    for built in page.locator("figure.refund-chart").all():
        assert_as_built(page, built.get_attribute("id"))
    expect(note).to_be_hidden()


def test_one_time_purchase_gets_its_own_figure_from_a_permalink(shared, site_server: str) -> None:
    """A purchase no build-time figure is billed like (KINO's credit pack, paid once) gets a new figure,
    above the site's; a link to a monthly purchase then redraws the monthly figure and drops it."""
    vendor = "kino"
    once = {"product": "credit_pack", "purchased_on": "2026-02-10", "requested_on": "2026-02-12",
            "amount_paid": "50.00", "currency": "USD", "billing": "one_time", "first_payment": True,
            "facts": {"credits_used": "0"}}
    page = shared.page("link")
    page.goto(f"{site_server}vendors/{vendor}/" + permalink_hash(once))
    watch(page)
    wait_for_verdict(page, once)
    mine = page.locator("figure#chart-yours")
    wait_for_chart(mine, without_request_date(once))
    assert_draws(mine, [refund_series(refundlib.get_policy(vendor), once, lenient_facts=True)])
    ids = page.locator("figure.refund-chart").evaluate_all("(f) => f.map((x) => x.id)")
    assert ids == ["chart-yours", "chart-1-annual", "chart-2-monthly"]
    expect(mine).to_have_class("refund-chart")
    expect(mine.locator(":scope > figcaption")).to_contain_text("paid once")
    for built in ("chart-1-annual", "chart-2-monthly"):
        assert_as_built(page, built, default_purchase=True)
    assert_accessible(page)

    monthly = {"product": "pro_monthly", "purchased_on": "2026-04-01", "requested_on": "2026-04-02",
               "amount_paid": "30.00", "currency": "USD", "billing": "monthly", "first_payment": False}
    page.evaluate("(hash) => { location.hash = hash; }", permalink_hash(monthly))
    wait_for_verdict(page, monthly)
    figure = page.locator("figure#chart-2-monthly")
    wait_for_chart(figure, without_request_date(monthly))
    assert_draws(figure, [refund_series(refundlib.get_policy(vendor), monthly, lenient_facts=True)])
    expect(mine).to_have_count(0)
    caption = figure.locator(":scope > figcaption > p").first
    expect(caption).to_contain_text("Your purchase: a renewal payment of 30.00 USD")
    assert_as_built(page, "chart-1-annual", default_purchase=True)
    check_log(page)


def test_fast_changes_draw_only_the_latest_purchase(shared, site_server: str) -> None:
    """Typing on while charts are computed: each chart drawn is the one of the purchase in the form at that
    moment, after its verdict; the last one drawn is the last purchase entered."""
    vendor = "recatch"
    entered = {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
               "requested_on": "2026-02-01", "amount_paid": "100.00", "currency": "USD", "first_payment": True}
    page = vendor_page(shared, site_server, vendor)
    section = page.locator(f'section.refund-calculator[data-vendor="{vendor}"]')
    start_over(section)
    watch(page)
    fill_vendor_form(section, vendor, entered)
    amount = section.get_by_label("Amount paid", exact=True)
    for value, pause_ms in (("200.00", 40), ("300.00", 250), ("400.00", 450), ("500.00", 700), ("600.00", 0)):
        amount.fill(value)
        page.wait_for_timeout(pause_ms)
    final = {**entered, "amount_paid": "600.00"}
    sent = form_scenario(vendor, final)
    wait_for_verdict(page, sent)
    figure = page.locator("figure#chart-1-annual")
    wait_for_chart(figure, ordered(without_request_date(sent)))
    assert_draws(figure, [refund_series(refundlib.get_policy(vendor), sent, lenient_facts=True)])
    page.wait_for_timeout(1500)  # nothing stale arrives afterwards
    assert json.loads(figure.get_attribute("data-chart-scenario"))["amount_paid"] == "600.00"
    check_log(page)
    start_over(section)
    expect(figure).to_have_attribute("data-chart-state", "default", timeout=RUNTIME_TIMEOUT_MS)


# --- the compare page -----------------------------------------------------------------------------

def charted_compare(sent: Mapping[str, Any]) -> tuple[list[str], dict[str, Any], list[str]]:
    """What the compare page charts for ``sent``: the vendors with a verdict, the scenario without the
    request date and with their products, and the names of the others."""
    results = compare(sent)
    vendors = [r.vendor for r in results if r.decision is not None]
    scenario = without_request_date(sent)
    scenario["products"] = {v: sent["products"][v] for v in vendors}
    return vendors, scenario, [r.name for r in results if r.decision is None]


CHARTED_COMPARE = [name for name in COMPARE_SCENARIOS
                   if name != "annual with a discount, six months in, some answers unknown"]


@pytest.mark.parametrize("name", CHARTED_COMPARE)
def test_compare_chart_is_redrawn_for_the_purchase(shared, site_server: str, name: str) -> None:
    page = compare_page(shared, site_server)
    section = page.locator("section.refund-compare")
    vendors_on_page = section.get_attribute("data-vendors").split()
    start_over(section)
    watch(page)
    entered = COMPARE_SCENARIOS[name]
    fill_compare_form(section, vendors_on_page, entered)
    sent = compare_scenario(vendors_on_page, entered)
    wait_for_verdict(page, sent, selector="section.refund-compare .refund-verdict")

    vendors, scenario, left_out = charted_compare(sent)
    figure = page.locator("figure.refund-chart").first
    figure_id = figure.get_attribute("id")
    wait_for_chart(figure, scenario)
    assert figure.get_attribute("data-chart-vendors") == " ".join(vendors)
    series = chart_series(vendors, scenario)
    assert_draws(figure, series)
    assert figure.get_attribute("id") == figure_id == "chart-1-annual"  # the figure keeps its id
    caption = figure.locator(":scope > figcaption")
    expect(caption.locator("p").first).to_contain_text("Your purchase: ")
    for name_left_out in left_out:
        expect(caption.locator(".refund-chart-missing")).to_contain_text(name_left_out)
    delays = check_log(page)
    assert delays
    assert_accessible(page)
    print(f"\ncompare, {name}: {len(vendors)} vendors charted {max(delays):.2f} s after the verdicts")

    start_over(section)
    expect(figure).to_have_attribute("data-chart-state", "default", timeout=RUNTIME_TIMEOUT_MS)
    assert_as_built(page, figure_id)


def test_chart_error_is_shown_under_the_default_chart(shared, site_server: str) -> None:
    """A purchase the verdict accepts but the chart does not (KINO asks how many credits were used on the
    days a refund depends on it; the form leaves it open): the library's message under the chart, and the
    chart the site drew stays."""
    page = compare_page(shared, site_server)
    section = page.locator("section.refund-compare")
    vendors_on_page = section.get_attribute("data-vendors").split()
    start_over(section)
    entered = COMPARE_SCENARIOS["annual with a discount, six months in, some answers unknown"]
    fill_compare_form(section, vendors_on_page, entered)
    sent = compare_scenario(vendors_on_page, entered)
    wait_for_verdict(page, sent, selector="section.refund-compare .refund-verdict")

    vendors, scenario, _ = charted_compare(sent)
    with pytest.raises(refundlib.ScenarioError) as raised:
        chart_series(vendors, scenario)
    figure = page.locator("figure.refund-chart").first
    expect(figure).to_have_attribute("data-chart-state", "error", timeout=CHART_TIMEOUT_S * 1000)
    problem = figure.locator(".refund-chart-problem")
    question = refundlib.get_policy("kino").fact(raised.value.field.removeprefix("facts.")).question
    assert question in raised.value.expected
    expect(problem).to_have_text(f"Not redrawn for your purchase: the chart needs {raised.value.expected}. "
                                 "The chart shows the site's default purchase.")
    expect(section.locator(".refund-chart-note")).to_contain_text(f"the chart needs {raised.value.expected}.")
    # Under the drawing (the site's own), first in its caption.
    assert figure.evaluate("(f) => f.querySelector(':scope > figcaption').firstElementChild.className") \
        == "refund-chart-problem"
    built, now = page.evaluate(_AS_BUILT, figure.get_attribute("id"))
    assert now.replace(problem.evaluate("(p) => p.outerHTML"), "") == built
    assert_accessible(page)

    start_over(section)
    expect(figure).to_have_attribute("data-chart-state", "default", timeout=RUNTIME_TIMEOUT_MS)
    expect(problem).to_have_count(0)
    assert_as_built(page, figure.get_attribute("id"))
