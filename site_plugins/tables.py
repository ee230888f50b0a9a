"""Tables across vendors: the summary on the home page and the comparison matrix.

Both are wide, so they sit in a wrapper that scrolls sideways on a phone; in the matrix
the first column (the term) stays in place (see docs/stylesheets/refund.css).
"""

from __future__ import annotations

from refundlib import words
from refundlib.model import Policy, Topic

from .html import Links, cites, element, join, text
from .vendor_page import CALCULATOR_SCRIPT


def _scroller(table: str, label: str) -> str:
    # Focusable, labelled region: keyboard users can scroll it too.
    return element("div", table, class_="refund-scroll", role="region", aria_label=label, tabindex="0")


def _topic_cell(policy: Policy, topic: Topic, links: Links, *, unstated: str = words.NOT_STATED_SHORT) -> str:
    summary = policy.topic(topic)
    if summary is None:
        return element("td", unstated, class_="refund-unstated")
    return element("td", f"{text(summary.summary)} {cites(policy, summary.cites, links)}")


def _updated_cell(policy: Policy, links: Links) -> str:
    shown = text(policy.last_updated_as_published or words.NO_DATE)
    source = element("a", "[policy text]", href=links.vendor(policy.id) + "#policy-text", class_="refund-cite",
                     aria_label=f"{policy.name}: the policy text")
    date = f' data-date="{policy.last_updated.isoformat()}"' if policy.last_updated else ""
    return f"<td{date}>{shown} {element('span', source, class_='refund-cites')}</td>"


def summary_table(policies: list[Policy], links: Links) -> str:
    """Home page: one row per vendor."""
    head = element("tr", join(element("th", label, scope="col") for label in (
        "Vendor", "Sells", "Full refund", "Where the money goes", words.LAST_UPDATED)))
    rows = []
    for policy in policies:
        rows.append(element("tr", join([
            element("th", element("a", text(policy.name), href=links.vendor(policy.id)), scope="row"),
            element("td", text(policy.sells)),
            _topic_cell(policy, Topic.FULL_REFUND, links),
            _topic_cell(policy, Topic.DESTINATION, links),
            _updated_cell(policy, links),
        ])))
    table = element("table", element("thead", head) + element("tbody", join(rows)), class_="refund-summary")
    return _scroller(table, "Vendors at a glance")


def compare_matrix(policies: list[Policy], links: Links) -> str:
    """Compare page: one row per comparison term (and the last update), one column per vendor."""
    head = element("tr", join([element("th", "Term", scope="col", class_="refund-term")] + [
        element("th", element("a", text(p.name), href=links.vendor(p.id)), scope="col", data_vendor=p.id)
        for p in policies]))
    rows = []
    for topic in Topic:
        cells = [element("th", text(words.topic_label(topic)), scope="row", class_="refund-term")]
        cells += [_topic_cell(p, topic, links) for p in policies]
        rows.append(element("tr", join(cells), data_topic=str(topic)))
    cells = [element("th", words.LAST_UPDATED, scope="row", class_="refund-term")]
    cells += [_updated_cell(p, links) for p in policies]
    rows.append(element("tr", join(cells), data_topic="last_updated"))
    table = element("table", element("thead", head) + element("tbody", join(rows)), class_="refund-matrix")
    return _scroller(table, "Refund terms, one column per vendor")


def compare_calculator(policies: list[Policy], links: Links) -> str:
    """Compare page: the same situation put to every vendor (rendered by the calculator script)."""
    noscript = element("noscript", element(
        "p", "Putting one situation to every vendor needs JavaScript. Everything else works without it: the "
             "table above, and each vendor page's terms, decision list and policy text."))
    section = element("section", noscript, class_="refund-compare", data_vendors=" ".join(p.id for p in policies),
                      data_clause_href=links.clause_prefix())
    return join([section, element("script", "", type="module", src=links.asset(CALCULATOR_SCRIPT))])
