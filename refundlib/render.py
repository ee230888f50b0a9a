"""Plain-text rendering of decisions and policies, for the CLI. Deciding happens elsewhere."""

from __future__ import annotations

import textwrap

from .compare import ComparisonResult
from .decision import Decision, Quote, Step
from .model import Outcome, Policy
from .words import CHANNELS, OUTCOMES, TIMINGS, capitalized, note_kind_label


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def _quotes(quotes: tuple[Quote, ...] | list[dict[str, str]], indent: str) -> list[str]:
    lines = []
    for quote in quotes:
        clause, text = (quote.clause, quote.text) if isinstance(quote, Quote) else (quote["clause"], quote["text"])
        lines += _wrap(f"[{clause}] “{text}”", indent)
    return lines


def _step(step: Step, indent: str) -> list[str]:
    mark = {True: "✓", False: "✗", None: "•"}[step.met]
    lines = _wrap(f"{mark} {step.text}", indent)
    if step.detail:
        lines += _wrap(f"({step.detail})", indent + "    ")
    return lines + _quotes(step.quotes, indent + "    ")


def headline(decision: Decision) -> str:
    words = OUTCOMES[decision.outcome].upper()
    if decision.outcome == Outcome.NONE:
        return words
    amount = decision.amount if decision.amount is not None else decision.amount_max
    prefix = "" if decision.amount is not None else "up to "
    money = f": {prefix}{amount} {decision.currency}" if amount is not None else ""
    return words + money


def render_decision(decision: Decision, indent: str = "") -> list[str]:
    lines = [indent + headline(decision), *_wrap(decision.summary, indent)]
    if decision.ask_by is not None:
        lines += _wrap(decision.ask_by.text, indent)
    if decision.automatic:
        lines.append(indent + "No request is needed: this refund is automatic.")
    if decision.branches:
        for branch in decision.branches:
            answers = "; ".join(f"“{a.question}” {'yes' if a.answer else 'no'}" for a in branch.assuming)
            lines += ["", *_wrap(f"If {answers}:", indent)]
            lines += render_decision(branch.decision, indent + "    ")
    else:
        lines += ["", indent + "Why:"]
        for step in decision.steps:
            lines += _step(step, indent + "  ")
    if decision.request is not None and not decision.automatic:
        request = decision.request
        lines += ["", indent + f"How to request it: {capitalized(CHANNELS[request.channel])}"
                  + (f" ({request.address})" if request.address else "")]
        lines += [line for s in request.steps for line in _wrap(f"- {s}", indent + "  ")]
        if request.include:
            lines += _wrap("Include: " + "; ".join(request.include), indent + "  ")
    for timing in decision.timings:
        lines += _wrap(f"{TIMINGS[timing.kind]}: {timing.text}", indent)
    if decision.flags and not indent:
        lines += ["", "Flags (where the policy is unclear, inconsistent or silent):"]
        for note in decision.flags:
            lines += _wrap(f"! [{note_kind_label(note.kind)}] {note.text}", "  ")
            lines += _quotes(tuple(Quote(c, decision.policy.clause(c).text) for c in note.cites), "      ")
    return lines


def render_check(policy: Policy, decision: Decision) -> str:
    product = policy.product(decision.product)
    return "\n".join([f"{policy.name}: {product.name}", "", *render_decision(decision)]) + "\n"


def render_policy(policy: Policy) -> str:
    lines = [f"{policy.name} ({policy.id}): {policy.sells}"]
    if policy.source_url:
        lines.append(f"Source: {policy.source_url}")
    lines.append(f"Last updated: {policy.last_updated_as_published or 'not published'}")
    lines += ["", "Products:"]
    for p in policy.products:
        billing = ", ".join(p.billing)
        lines += _wrap(f"- {p.id}: {p.name} [{billing}]" + ("" if p.charged else " (never charged)"), "  ")
    lines += ["", "Questions (facts):"]
    for f in policy.facts:
        default = "" if f.default is None else f", default {f.default}"
        scope = f", for {', '.join(f.products)}" if f.products else ""
        lines += _wrap(f"- {f.id} ({f.type}{default}{scope}): {f.question}", "  ")
    lines += ["", "Rules, in order (the first whose conditions all hold decides):"]
    for e in policy.exclusions:
        lines += _wrap(f"- exclusion {e.id}: {e.label}  [{', '.join(e.cites)}]", "  ")
    for r in policy.rules:
        lines += _wrap(f"- {r.id} → {r.outcome}: {r.label}  [{', '.join(r.cites)}]", "  ")
    if policy.notes:
        lines += ["", "Flags:"]
        for n in policy.notes:
            lines += _wrap(f"! [{note_kind_label(n.kind)}] {n.text}  [{', '.join(n.cites)}]", "  ")
    lines += ["", "Clauses:"]
    for c in policy.clauses:
        lines += _wrap(f"[{c.id}] {c.text}", "  ")
    return "\n".join(lines) + "\n"


def render_vendors(policies: list[Policy]) -> str:
    width = max(len(p.id) for p in policies)
    return "".join(f"{p.id.ljust(width)}  {p.name}: {p.sells} "
                   f"(updated: {p.last_updated_as_published or 'not published'})\n" for p in policies)


def render_comparison(results: list[ComparisonResult]) -> str:
    lines: list[str] = []
    for result in results:
        lines += [f"== {result.name} ({result.vendor})" + (f": {result.product}" if result.product else "")]
        if result.decision is None:
            lines += _wrap(f"Cannot answer: {result.error}", "  ")
        else:
            lines += [f"  {headline(result.decision)}", *_wrap(result.decision.summary, "  ")]
            for branch in result.decision.branches:
                answers = "; ".join(f"“{a.question}” {'yes' if a.answer else 'no'}" for a in branch.assuming)
                lines += _wrap(f"- if {answers}: {branch.decision.summary}", "    ")
            for note in result.decision.flags:
                lines += _wrap(f"! [{note_kind_label(note.kind)}] {note.text}", "    ")
        lines.append("")
    return "\n".join(lines)
