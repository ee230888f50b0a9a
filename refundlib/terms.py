"""A policy's refund terms in one plain sentence, derived from its rules (never written per vendor).

Each rule that refunds (fully, partly or at the vendor's discretion) and limits the request
to a window (``days_since_purchase <= N``, ``within_hours(H)``) gives one part: "a full
refund within 7 days, for Pro Monthly, on conditions". A policy with no such rule says whether it refunds
anything as of right. The vendor page opens with this sentence, above the calculator.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .exprtree import Call, Compare, Literal, Name
from .exprwalk import iter_nodes
from .model import Outcome, Policy, Rule
from .words import WINDOW_OUTCOMES, phrase_list

_REFUNDING = (Outcome.FULL, Outcome.PARTIAL, Outcome.DISCRETIONARY)
_AT_MOST = {"<=": 0, "<": -1}  # days_since_purchase <= N: the last day is N; < N: N - 1


@dataclass(frozen=True, slots=True)
class Window:
    outcome: Outcome
    length: str  # "7 days", "48 hours"
    products: tuple[str, ...]  # product names; all the policy's charged products when the rule names none
    conditional: bool  # the rule requires more than the window


def _window(rule: Rule) -> str | None:
    """How long the rule's requirements leave to ask ("14 days", "48 hours"), if one bounds the day count."""
    for requirement in rule.requires:
        for node in iter_nodes(requirement.test.tree):
            if isinstance(node, Call) and node.function == "within_hours" and isinstance(node.args[0], Literal):
                return f"{node.args[0].value} hours"
            if (isinstance(node, Compare) and node.op in _AT_MOST and node.left == Name(name="days_since_purchase")
                    and isinstance(node.right, Literal) and isinstance(node.right.value, Fraction)):
                days = node.right.value + _AT_MOST[node.op]
                return f"{days} day{'s' if days != 1 else ''}"
    return None


def refund_windows(policy: Policy) -> list[Window]:
    """The windows of the policy's refunding rules, in the policy's order."""
    charged = tuple(p.id for p in policy.products if p.charged)
    found = []
    for rule in policy.rules:
        length = _window(rule) if rule.outcome in _REFUNDING else None
        if length is not None:
            names = tuple(policy.product(p).name for p in (rule.products or charged))
            found.append(Window(outcome=rule.outcome, length=length, products=names,
                                conditional=len(rule.requires) > 1))
    return found


def lead_sentence(policy: Policy) -> str:
    """'A full refund within 7 days, for Pro Monthly, on conditions; a refund at KINO's discretion …'."""
    windows = refund_windows(policy)
    all_names = {p.name for p in policy.products if p.charged}
    parts = []
    for window in windows:
        scope = "" if set(window.products) == all_names else f", for {phrase_list(window.products)}"
        terms = ", on conditions" if window.conditional else ""
        parts.append(f"{WINDOW_OUTCOMES[window.outcome].format(vendor=policy.name)} within {window.length}"
                     f"{scope}{terms}")
    if parts:
        sentence = "; ".join(parts) + "."
    elif any(rule.outcome in (Outcome.FULL, Outcome.PARTIAL) for rule in policy.rules):
        sentence = "a refund in some cases, with no time limit stated."
    elif any(rule.outcome is Outcome.DISCRETIONARY for rule in policy.rules):
        sentence = f"no refund as of right; a refund only at {policy.name}'s discretion, in some cases."
    else:
        sentence = "no refund."
    return sentence[0].upper() + sentence[1:]
