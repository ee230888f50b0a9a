"""Refund over time, drawn when the site is built: inline SVG that needs no script.

A chart puts one purchase (an entry of the plugin's ``chart_scenarios``) to one or more
vendors, once for every day the refund could be requested
(:func:`refundlib.chart.refund_series`), and draws the verdicts with
:func:`refundlib.chart_svg.render_svg`. Each vendor gets its first charged product sold
with the purchase's billing (as on the compare page); a vendor selling nothing billed that
way is listed as not charted.

Questions the purchase does not answer are answered "no", counts 0
(:func:`refundlib.chart.plain_answers`): the plain change-of-mind case. Left unknown, they
would draw most lines dashed ("depends on an answer"); the caption says so and lists every
answer. Each vendor's series is computed once per build (:class:`Charts` keeps them), however
many pages show it.

The figure carries what the calculator needs to redraw it for another purchase
(``data-chart-vendors``, ``data-chart-scenario``: see docs/site-contract.md, "Chart").
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise
from typing import Any

from mkdocs.exceptions import PluginError

from refundlib import words
from refundlib.chart import Point, Series, plain_answers, refund_series
from refundlib.chart_svg import DAY_STEPS, render_svg
from refundlib.compare import pick_product
from refundlib.errors import RefundlibError
from refundlib.model import Billing, Policy
from refundlib.money import format_amount

from .html import element, join, text

# Why the questions are answered "no": the caption of the first chart of a page says it.
ANSWERS_SENTENCE = (
    "{every} is answered “no” (counts: 0): not used, nothing went wrong, the plain change-of-mind case. So a line "
    "is solid where the policy promises a refund and dashed only where the vendor decides or caps it; left "
    "unknown, the answers would dash most of it as “depending on an answer”. Using the product, a renewal or a "
    "discount can lower the refund or end it.")
PURCHASE_KEYS = ("billing", "purchased_on", "amount_paid", "list_price", "currency", "first_payment")


@dataclass(frozen=True)
class Chart:
    """One purchase put to some vendors: what is drawn, and what the caption says about it."""

    index: int  # position of the purchase in chart_scenarios
    purchase: Mapping[str, Any]
    series: tuple[Series, ...]
    scenarios: tuple[dict[str, Any], ...]  # per series: the single-vendor scenario evaluated
    not_charted: tuple[Policy, ...]  # selling nothing billed this way

    @property
    def billing(self) -> Billing:
        return Billing(self.purchase["billing"])

    @property
    def vendors(self) -> list[str]:
        return [s.vendor for s in self.series]

    def scenario(self) -> dict[str, Any]:
        """The chart as one scenario for :func:`refundlib.chart.chart_series` (the figure's ``data-chart-scenario``).

        One vendor: its scenario, with ``product``. Several: the purchase, every vendor's
        answers merged into ``facts`` and its product in ``products`` (evaluation is lenient:
        a vendor ignores the facts it does not define).
        """
        if len(self.scenarios) == 1:
            return dict(self.scenarios[0])
        facts: dict[str, Any] = {}
        for series, scenario in zip(self.series, self.scenarios, strict=True):
            for fact_id, answer in scenario["facts"].items():
                if fact_id in facts and facts[fact_id] != answer:
                    raise PluginError(f"refund-policies: chart_scenarios[{self.index}]: the fact id {fact_id!r} is "
                                      f"answered {facts[fact_id]!r} for one vendor and {answer!r} for {series.vendor}; "
                                      "answer it in the purchase's facts")
                facts[fact_id] = answer
        base = {k: self.purchase[k] for k in PURCHASE_KEYS if k in self.purchase}
        return {**base, "facts": facts, "products": {s.vendor: s.product for s in self.series}}


@dataclass
class Charts:
    """The charts of one build: the configured purchases and every series computed so far."""

    purchases: Sequence[Mapping[str, Any]]
    _series: dict[tuple[str, str], Series] = field(default_factory=dict)
    evaluations: int = 0  # verdicts computed in this build (each series is one per request day)
    seconds: float = 0.0  # time spent computing them

    def vendor_scenario(self, policy: Policy, purchase: Mapping[str, Any]) -> dict[str, Any] | None:
        """The single-vendor scenario charted for ``purchase``, or None when the vendor sells nothing billed so."""
        product = pick_product(policy, {"billing": purchase["billing"]})
        if product is None:
            return None
        defined = {f.id for f in policy.facts}
        given = {k: v for k, v in purchase.get("facts", {}).items() if k in defined}
        base = {k: purchase[k] for k in PURCHASE_KEYS if k in purchase}
        return {**base, "product": product, "facts": {**plain_answers(policy, product), **given}}

    def series(self, policy: Policy, scenario: dict[str, Any], index: int) -> Series:
        key = (policy.id, json.dumps(scenario, sort_keys=True))
        found = self._series.get(key)
        if found is None:
            started = time.perf_counter()
            try:
                found = refund_series(policy, scenario, lenient_facts=True)
            except RefundlibError as error:
                raise PluginError(f"refund-policies: chart_scenarios[{index}] for {policy.id}: {error}") from None
            self._series[key] = found
            self.evaluations += len(found.points)
            self.seconds += time.perf_counter() - started
        return found

    def chart(self, policies: Sequence[Policy], index: int) -> Chart:
        purchase = self.purchases[index]
        charted, scenarios, missing = [], [], []
        for policy in policies:
            scenario = self.vendor_scenario(policy, purchase)
            if scenario is None:
                missing.append(policy)
                continue
            charted.append(self.series(policy, scenario, index))
            scenarios.append(scenario)
        return Chart(index, purchase, tuple(charted), tuple(scenarios), tuple(missing))


# -- words ------------------------------------------------------------------------------------

def _answer(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value in (None, "unknown"):
        return "not known"
    return str(value)


def title(chart: Chart) -> str:
    purchase = chart.purchase
    paid = (f"{purchase['amount_paid']} {purchase['currency']} {words.billed(purchase['billing'])} "
            f"on {purchase['purchased_on']}")
    if len(chart.series) == 1:
        return f"{chart.series[0].product_name}: {paid}"
    return f"Refund by request day: {paid}"


# -- the figure ---------------------------------------------------------------------------------

def figure(chart: Chart, policies: Mapping[str, Policy], *, figure_id: str, calculator: str,
           first: bool = True) -> str:
    """``<figure class="refund-chart">``: the SVG, then a caption with the purchase, the answers and the numbers.

    ``calculator`` is the HTML of a link to the calculator that redraws the chart. A chart
    after the first of its page (``first=False``) refers to the first one for the answers.
    """
    svg = render_svg(chart.series, title=title(chart), id_prefix=figure_id)
    # data-search-exclude: Material's search index skips the drawing and the tables (axis numbers, repeated questions).
    drawing = element("div", svg, class_="refund-chart-drawing", role="region", tabindex="0",
                      aria_label=f"Chart: {title(chart)} (scrolls sideways on a small screen)", data_search_exclude="")
    caption = join([
        element("p", _purchase_sentence(chart)),
        element("p", _answers_sentence(chart) if first else "The questions are answered as for the chart above."),
        _overlaps(chart),
        _not_charted(chart),
        element("p", f"For your own purchase and answers, {calculator} redraws this chart.") if first else "",
        _answers(chart, policies),
        _numbers(chart),
    ])
    return element("figure", drawing + "\n" + element("figcaption", caption), class_="refund-chart", id=figure_id,
                   data_chart_vendors=" ".join(chart.vendors),
                   data_chart_scenario=json.dumps(chart.scenario(), ensure_ascii=False, separators=(",", ":")))


def _purchase_sentence(chart: Chart) -> str:
    purchase = text(words.purchase_words(chart.purchase))
    until = ", until the paid term ends" if chart.billing != Billing.ONE_TIME else ""
    if len(chart.series) == 1:
        product = f"the {text(chart.series[0].product_name)}"
    else:
        products = "; ".join(text(s.product_name if s.product_name.startswith(s.name) else f"{s.name} {s.product_name}")
                             for s in chart.series)
        product = f"each vendor's first product sold that way ({products})"
    return (f"{words.CHART_LEADS['charted']}{purchase}, for {product}. Along the bottom: the day the refund is "
            f"requested{until}.")


def _answers_sentence(chart: Chart) -> str:
    every = "Every question the policy asks" if len(chart.series) == 1 else "Every question each policy asks"
    if chart.purchase.get("facts"):
        every += " that the site's configuration leaves unanswered"
    return ANSWERS_SENTENCE.format(every=every)


def _overlaps(chart: Chart) -> str:
    """Name the vendors whose lines coincide (same amount and kind every day): one hides the other."""
    if len(chart.series) < 2:
        return ""
    groups: dict[tuple[object, ...], list[str]] = {}
    for series in chart.series:
        groups.setdefault(tuple((p.kind, p.value) for p in series.points), []).append(series.name)
    same = [names for names in groups.values() if len(names) > 1]
    if not same:
        return ""
    sentences = " ".join(f"{text(', '.join(names[:-1]))} and {text(names[-1])} give the same amount every day: "
                         "their lines coincide." for names in same)
    return element("p", sentences)


def _not_charted(chart: Chart) -> str:
    if not chart.not_charted:
        return ""
    billed = words.billed(chart.billing)
    names = "; ".join(f"{text(p.name)} sells nothing {billed}" for p in chart.not_charted)
    return element("p", f"{element('strong', 'Not charted:')} {names}.", class_="refund-chart-missing")


def _answers(chart: Chart, policies: Mapping[str, Policy]) -> str:
    groups = []
    for series, scenario in zip(chart.series, chart.scenarios, strict=True):
        policy = policies[series.vendor]
        items = []
        for fact in policy.facts:
            if fact.products and series.product not in fact.products:
                continue
            if fact.id in scenario["facts"]:
                answer = _answer(scenario["facts"][fact.id])
            elif fact.default is not None:
                answer = f"{_answer(fact.default)} (the policy file's default)"
            else:
                answer = "not known"
            items.append(element("li", f"{text(fact.question)} {element('strong', text(answer))}",
                                 data_fact=fact.id))
        listed = element("ul", join(items)) if items else element("p", "It asks no question about this product.")
        groups.append(listed if len(chart.series) == 1 else element("li", f"{text(policy.name)}:\n{listed}"))
    body = groups[0] if len(chart.series) == 1 else element("ul", join(groups))
    return element("details", element("summary", "The answers charted") + "\n" + body,
                   class_="refund-chart-answers", data_search_exclude="")


def sample_days(series_list: Sequence[Series]) -> list[int]:
    """The days the chart's table shows: the axis ticks, and the last day before and first day of every change."""
    last = max(s.last_day for s in series_list)
    step = next((s for s in DAY_STEPS if last <= 12 * s), DAY_STEPS[-1])
    days = set(range(0, last + 1, step))
    for series in series_list:
        days |= {0, series.last_day}
        for before, point in pairwise(series.points):
            if (before.kind, before.rule) != (point.kind, point.rule):
                days |= {before.day, point.day}
    return sorted(days)


def _cell(point: Point | None, vendor: str, day: int) -> str:
    if point is None:
        return element("td", "—", data_vendor=vendor, data_day=str(day), class_="refund-unstated")
    value = format_amount(point.value)
    shown = text(words.POINT_KINDS[point.kind].format(amount=value) if value is not None else "not known")
    return element("td", shown, data_vendor=vendor, data_day=str(day), data_kind=str(point.kind),
                   data_value=format_amount(point.value) or "")


def _numbers(chart: Chart) -> str:
    currency = chart.purchase["currency"]
    head = element("tr", join([element("th", "Request day", scope="col"), element("th", "Date", scope="col")]
                              + [element("th", f"{text(s.name)} ({text(currency)})", scope="col")
                                 for s in chart.series]))
    rows = []
    start = chart.series[0].purchased_on
    for day in sample_days(chart.series):
        cells = [element("th", str(day), scope="row"), element("td", (start + timedelta(days=day)).isoformat())]
        cells += [_cell(s.points[day] if day <= s.last_day else None, s.vendor, day) for s in chart.series]
        rows.append(element("tr", join(cells), data_day=str(day)))
    table = element("table", element("thead", head) + element("tbody", join(rows)), class_="refund-chart-table")
    note = element("p", "The days where a line changes, and the axis marks. A dash: after the paid term.")
    return element("details", join([element("summary", "The chart's numbers"), note,
                                    element("div", table, class_="refund-scroll", role="region",
                                            aria_label=f"The numbers of the chart {title(chart)}", tabindex="0")]),
                   class_="refund-chart-numbers", data_search_exclude="")


# -- the sections -----------------------------------------------------------------------------

def vendor_section(policy: Policy, charts: Charts, policies: Mapping[str, Policy], calculator: str) -> str:
    """A vendor page's charts: one per configured purchase it sells something for, then what is left out."""
    figures: list[str] = []
    shown: set[str] = set()  # product ids
    for index, purchase in enumerate(charts.purchases):
        chart = charts.chart([policy], index)
        if not chart.series:
            continue
        same_answers = any(p.get("facts", {}) == purchase.get("facts", {}) for p in charts.purchases[:index])
        figures.append(figure(chart, policies, figure_id=f"chart-{index + 1}-{purchase['billing']}",
                              calculator=calculator, first=not shown or not same_answers))
        shown.add(chart.series[0].product)
    billings = " or ".join(dict.fromkeys(words.billed(p["billing"]) for p in charts.purchases))
    left = [p for p in policy.products if p.charged and p.id not in shown]
    if left:
        names = "; ".join(f"{text(p.name)} ({' or '.join(words.billed(b) for b in p.billing)})" for p in left)
        figures.append(element("p", f"{element('strong', 'Not charted:')} {names}. This site charts purchases "
                                    f"{billings}, one product each; the calculator works out any of them.",
                               class_="refund-chart-missing"))
    if not shown:
        figures.insert(0, element("p", f"{text(policy.name)} sells nothing {billings}: "
                                       "the purchases this site charts."))
    return join(figures)


def compare_section(policies: Sequence[Policy], charts: Charts, calculator: str) -> str:
    """The compare page's chart: the first configured purchase, one line per vendor selling something billed so."""
    chart = charts.chart(policies, 0)
    if not chart.series:
        return join([element("p", "No vendor sells anything "
                                  f"{words.billed(chart.billing)}, the purchase this site charts."),
                     _not_charted(chart)])
    return figure(chart, {p.id: p for p in policies}, figure_id=f"chart-1-{chart.purchase['billing']}",
                  calculator=calculator)
