"""One vendor's page: its name and terms in one sentence, the calculator, then the terms at a glance,
refund over time, the decision list, flags, gaps and ambiguities, and the policy text.

The calculator comes first because the customer's question comes first: what would I get back?

:func:`markdown` is the page source mkdocs sees (fixed headings and placeholders only);
the other functions render the HTML that replaces each placeholder.
"""

from __future__ import annotations

import json

from refundlib import words
from refundlib.lint import Finding
from refundlib.model import Exclusion, Fee, Outcome, Policy, Rule, Topic
from refundlib.terms import lead_sentence

from .html import Links, cites, clause_anchor, element, external_link, join, quote, text
from .placeholders import marker

CALCULATOR_SCRIPT = "assets/refund/calculator.js"

SECTIONS = (
    ("vendor-header", None),
    ("vendor-calculator", "Work out your refund"),
    ("vendor-glance", "At a glance"),
    ("vendor-chart", "Refund over time"),
    ("vendor-decision", "How the verdict is decided"),
    ("vendor-flags", "Flags"),
    ("vendor-gaps", "Gaps and ambiguities"),
    ("vendor-text", "The policy text"),
)


def markdown(policy: Policy) -> str:
    """The generated Markdown source of ``vendors/<id>.md``."""
    parts = ["---", f"title: {json.dumps(text(policy.name))}", "---", ""]
    for kind, heading in SECTIONS:
        if heading:
            parts += [f"## {heading}", ""]
        parts += [marker(kind, policy.id), ""]
    return "\n".join(parts)


# -- header ------------------------------------------------------------------------------

def header(policy: Policy, links: Links) -> str:
    """The vendor's name and its refund terms in one sentence (refundlib.terms), above the calculator."""
    return join([element("h1", text(policy.name)), element("p", text(lead_sentence(policy)), class_="refund-lead")])


def facts(policy: Policy, links: Links) -> str:
    updated = policy.last_updated_as_published or words.NO_DATE
    source = external_link(policy.source_url) if policy.source_url else "Not recorded"
    facts = join([
        element("dt", "Sells") + element("dd", text(policy.sells)),
        element("dt", "Policy published at") + element("dd", source),
        element("dt", words.LAST_UPDATED) + element("dd", text(updated)),
        element("dt", "Products") + element("dd", products(policy, links)),
    ])
    return element("dl", facts, class_="refund-facts")


def products(policy: Policy, links: Links) -> str:
    items = []
    for product in policy.products:
        billing = " or ".join(words.BILLING.get(b, str(b)) for b in product.billing)
        charged = f"billed {billing}" if product.charged else "never charged: nothing to refund"
        description = f" {text(product.description)}" if product.description else ""
        items.append(element("li", f"{element('strong', text(product.name))} ({charged}).{description} "
                                   f"{cites(policy, product.cites, links)}"))
    return element("ul", join(items), class_="refund-products")


# -- at a glance ---------------------------------------------------------------------------

def glance(policy: Policy, links: Links) -> str:
    """What the vendor sells and where the policy is published, then each comparison term."""
    rows = []
    for topic in Topic:
        summary = policy.topic(topic)
        rows.append(element("dt", text(words.topic_label(topic)), id=f"term-{topic}"))
        if summary is None:
            rows.append(element("dd", words.NOT_STATED, class_="refund-unstated"))
        else:
            rows.append(element("dd", f"{text(summary.summary)} {cites(policy, summary.cites, links)}"))
    return join([facts(policy, links), element("dl", join(rows), class_="refund-glance")])


# -- the decision list ----------------------------------------------------------------------

def decision(policy: Policy, links: Links) -> str:
    intro = element("p", "The policy is read as a decision list, checked in this order. A product that is never "
                         "charged has nothing to refund; the first exclusion that holds means no refund; otherwise "
                         "the first rule whose conditions all hold decides the outcome, the amount and where the "
                         "money goes; if none holds, nothing is refunded.")
    steps = [_exclusion(policy, e, links) for e in policy.exclusions]
    steps += [_rule(policy, r, links) for r in policy.rules]
    steps.append(element("li", element("p", "Otherwise: no refund. No clause of the policy grants one."),
                         class_="refund-step refund-step--fallback"))
    parts = [intro, element("ol", join(steps), class_="refund-decision")]
    if policy.fees:
        parts.append(element("p", element("strong", "Fees taken from a refund")))
        parts.append(element("ul", join(_fee(policy, f, links) for f in policy.fees), class_="refund-fees"))
    return join(parts)


def _applies_to(policy: Policy, product_ids: tuple[str, ...]) -> str:
    if not product_ids:
        return ""
    names = ", ".join(text(policy.product(p).name) for p in product_ids)
    return element("p", f"Only for: {names}.", class_="refund-scope")


def _exclusion(policy: Policy, exclusion: Exclusion, links: Links) -> str:
    body = join([
        element("p", f"{element('strong', 'No refund')} when: {text(exclusion.label)} "
                     f"{cites(policy, exclusion.cites, links)}"),
        _applies_to(policy, exclusion.products),
        element("p", f"Test: {element('code', text(exclusion.when.text))}", class_="refund-test"),
    ])
    return element("li", body, class_="refund-step refund-step--exclusion")


def _rule(policy: Policy, rule: Rule, links: Links) -> str:
    if rule.requires:
        conditions = element("p", "When all of these hold:") + element("ul", join(
            element("li", f"{text(r.says)} {cites(policy, r.cites, links)} "
                          f"{element('code', text(r.test.text), class_='refund-test')}")
            for r in rule.requires))
    else:
        conditions = element("p", "Applies whenever it is reached (no further conditions).")
    body = join([
        element("p", f"{element('strong', text(rule.label))} {cites(policy, rule.cites, links)}"),
        _applies_to(policy, rule.products),
        conditions,
        element("p", _outcome(rule), class_="refund-outcome"),
        _request(policy, rule, links),
    ])
    return element("li", body, class_="refund-step refund-step--rule", data_outcome=str(rule.outcome))


def _outcome(rule: Rule) -> str:
    parts = [f"{element('strong', 'Outcome:')} {text(words.OUTCOMES[rule.outcome])}"]
    if rule.amount is not None:
        parts.append(f"amount {element('code', text(rule.amount.text))}")
    if rule.amount_max is not None:
        parts.append(f"at most {element('code', text(rule.amount_max.text))}")
    elif rule.outcome == Outcome.DISCRETIONARY:
        parts.append("at most the amount paid")
    if rule.outcome != Outcome.NONE:
        parts.append(text(words.DESTINATIONS[rule.destination]))
        if rule.automatic:
            parts.append("paid automatically")
    return "; ".join(parts) + "."


def _request(policy: Policy, rule: Rule, links: Links) -> str:
    parts = []
    if rule.request:
        request = policy.request(rule.request)
        how = words.CHANNELS.get(request.channel, str(request.channel))
        address = f" ({text(request.address)})" if request.address else ""
        parts.append(element("p", f"{element('strong', 'To request it:')} {how}{address}. "
                                  f"{cites(policy, request.cites, links)}"))
        if request.steps:
            parts.append(element("ol", join(element("li", text(s)) for s in request.steps)))
        if request.include:
            parts.append(element("p", "Include: " + "; ".join(text(i) for i in request.include) + "."))
    for timing_id in rule.timings:
        timing = policy.timing(timing_id)
        parts.append(element("p", f"{element('strong', words.TIMINGS[timing.kind] + ':')} {text(timing.text)} "
                                  f"{cites(policy, timing.cites, links)}"))
    return join(parts)


def _fee(policy: Policy, fee: Fee, links: Links) -> str:
    after = f" The rest is paid {text(words.DESTINATIONS[fee.destination_after])}." if fee.destination_after else ""
    return element("li", f"{text(fee.label)}: {(fee.rate * 100).normalize():f}% of a refund paid "
                         f"{text(words.DESTINATIONS[fee.applies_to])}, when "
                         f"{element('code', text(fee.when.text))}.{after} {cites(policy, fee.cites, links)}")


# -- flags ----------------------------------------------------------------------------------

def flags(policy: Policy, links: Links) -> str:
    if not policy.notes:
        return element("p", "We found nothing ambiguous, inconsistent or unstated in this policy.")
    intro = element("p", "Where the policy is ambiguous, inconsistent or silent, and the readings we chose. "
                         "The calculator shows each of these next to any verdict it touches.")
    items = []
    for note in policy.notes:
        kind = element("span", text(words.note_kind_label(note.kind)), class_="refund-flag-kind")
        body = join([element("p", f"{kind} {text(note.text)}"), *(quote(policy, c, links) for c in note.cites)])
        items.append(element("li", body, class_="refund-flag", data_kind=str(note.kind), id=note_anchor(note.id)))
    return join([intro, element("ul", join(items), class_="refund-flags")])


def note_anchor(note_id: str) -> str:
    return f"note-{note_id}"


# -- gaps and ambiguities (refundlib.lint) --------------------------------------------------------

GAPS_INTRO = ("The flags above are our reading of the policy, written by hand; this list is derived, found in the "
              "policy's data by <code>refundlib lint</code>, and names the flags that already say the same.")


def gaps(policy: Policy, links: Links, findings: tuple[Finding, ...]) -> str:
    """Each lint finding: its kind in words, the message, the clauses quoted, the data involved, the flags."""
    if not findings:
        return element("p", "<code>refundlib lint</code> finds nothing undefined, inconsistent, discretionary or "
                            "unstated in this policy.")
    notes = {n.id: n for n in policy.notes}
    items = []
    for finding in findings:
        kind = element("span", text(words.finding_kind_label(finding.kind)), class_="refund-flag-kind")
        involved = [r for r in finding.refs if r not in notes]
        flagged = [notes[r] for r in finding.refs if r in notes]
        parts = [element("p", f"{kind} {text(finding.message)}"),
                 *(quote(policy, q.clause, links) for q in finding.clauses)]
        if involved:
            parts.append(element("p", "Policy data involved: " + ", ".join(element("code", text(r)) for r in involved)
                                 + ".", class_="refund-finding-refs"))
        if flagged:
            parts.append(element("p", "Flagged above: " + "; ".join(
                element("a", f"{text(words.note_kind_label(n.kind))}: {text(_first_words(n.text))}",
                        href=f"#{note_anchor(n.id)}", data_note=n.id) for n in flagged),
                class_="refund-finding-notes"))
        else:
            parts.append(element("p", "No flag above says this.", class_="refund-finding-notes"))
        items.append(element("li", join(parts), class_="refund-finding", data_kind=str(finding.kind),
                             data_subject=finding.subject))
    return join([element("p", GAPS_INTRO), element("ol", join(items), class_="refund-findings")])


def _first_words(sentence: str, count: int = 10) -> str:
    found = sentence.split()
    return " ".join(found[:count]) + ("…" if len(found) > count else "")


# -- calculator -----------------------------------------------------------------------------

def calculator(policy: Policy, links: Links) -> str:
    noscript = element("noscript", element(
        "p", "The calculator needs JavaScript. Everything else on this page works without it: the terms, the "
             "decision list and the policy text above and below say the same, with their sources."))
    section = element("section", noscript, class_="refund-calculator", data_vendor=policy.id,
                      data_clause_href=links.clause_prefix(policy.id))
    return join([section, element("script", "", type="module", src=links.asset(CALCULATOR_SCRIPT))])


# -- the policy text ------------------------------------------------------------------------

def policy_text(policy: Policy, links: Links) -> str:
    capture = policy.capture
    pieces, position = [], capture.policy_start
    for clause in policy.clauses:
        pieces.append(text(capture.text[position:clause.start]))
        pieces.append(element("span", text(capture.text[clause.start:clause.end]), class_="clause",
                              id=clause_anchor(clause.id)))
        position = clause.end
    pieces.append(text(capture.text[position:capture.policy_end]))
    intro = element("p", "The policy exactly as captured. Each sentence the site cites is marked; the citation "
                         "links above lead here.")
    omitted = element("p", f"{element('strong', 'Left out of the capture:')} {text(capture.omitted)}",
                      class_="refund-omitted") if capture.omitted else ""
    return join([intro, omitted, element("div", "".join(pieces), class_="refund-policy-text", id="policy-text")])
