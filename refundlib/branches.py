"""Verdicts that depend on an unknown answer: the questions, and one decision from both answers'.

The evaluator (:mod:`refundlib.evaluator`) decides once per answer; :func:`merge` makes the
decision a purchaser sees: the shared verdict if both answers lead to it, else a conditional
one listing each answer's branch. :func:`summary` words a verdict in one sentence.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .decision import Assumption, Branch, Decision, Explanation, Step, StepKind
from .expr import Unknown, Value
from .model import Destination, Note, Outcome, Policy
from .scenario import Scenario
from .words import DESTINATIONS, FIRST_PAYMENT_QUESTION

# The outcomes as module names (the evaluator imports them too): reading ``Outcome.NONE`` from
# the enum class costs a lookup through the enum's metaclass (1 k instructions under CPython
# 3.11) on every test of every evaluation; members are singletons, so ``is`` compares them.
_NONE, _FULL, _PARTIAL, _DISCRETIONARY, _CONDITIONAL = (Outcome.NONE, Outcome.FULL, Outcome.PARTIAL,
                                                        Outcome.DISCRETIONARY, Outcome.CONDITIONAL)

# Where the money goes, in a summary; when the policy does not say, the summary says so in brackets.
DESTINATION_WORDS = {**DESTINATIONS, None: f"({DESTINATIONS[None]})"}


def question_for(policy: Policy, key: str) -> str:
    if key == "first_payment":
        return FIRST_PAYMENT_QUESTION
    if key.startswith("within_hours:"):
        return f"Was the request made within {key.partition(':')[2]} hours of the purchase, by the clock?"
    return policy.fact(key).question


def verdict(decision: Decision) -> tuple[object, ...]:
    return decision.outcome, decision.amount, decision.amount_max, decision.destination, decision.automatic


def merge(policy: Policy, scenario: Scenario, key: str, yes: Decision, no: Decision) -> Decision:
    """One decision from the decisions for each answer to ``key``: either's, if they agree."""
    question = question_for(policy, key)
    leaves: list[Branch] = []
    for answer, decision in ((True, yes), (False, no)):
        this = Assumption(key=key, question=question, answer=answer)
        if decision.branches:
            leaves += [Branch(assuming=(this, *b.assuming), decision=b.decision) for b in decision.branches]
        else:
            leaves.append(Branch(assuming=(this,), decision=decision))
    decisions = [leaf.decision for leaf in leaves]
    first = decisions[0]
    flags = _flags(policy, decisions)
    if all(verdict(decision) == verdict(first) for decision in decisions):
        def steps() -> tuple[Step, ...]:
            return (*first.steps, Step(kind=StepKind.ANSWER, ref=key, text=f"You answered “I don't know” to "
                                       f"“{question}”; either answer leads to this verdict."))

        return Decision(policy=first.policy, vendor=first.vendor, product=first.product, outcome=first.outcome,
                        amount=first.amount, amount_max=first.amount_max, currency=first.currency,
                        destination=first.destination, automatic=first.automatic, rule=first.rule,
                        summary=first.summary, explanation=Explanation(None, steps), request=first.request,
                        timings=first.timings, flags=flags, branches=first.branches)
    bounds = [d.amount if d.amount is not None else d.amount_max for d in decisions]
    known = [b for b in bounds if b is not None]
    destination = first.destination
    if any(d.destination is not destination for d in decisions):
        destination = None
    asked = "; ".join(f"“{q}”" for q in dict.fromkeys(a.question for leaf in leaves for a in leaf.assuming))

    def because() -> tuple[Step, ...]:
        return (Step(kind=StepKind.ANSWER, ref=key,
                     text=f"You answered “I don't know” to a question the verdict depends on: {asked}"),)

    return Decision(
        policy=policy, vendor=policy.id, product=scenario.product, outcome=_CONDITIONAL, amount=None,
        amount_max=max(known) if len(known) == len(bounds) else None,
        currency=scenario.currency, destination=destination, automatic=False, rule="",
        summary=f"It depends on {asked}: see each answer below.", explanation=Explanation(None, because),
        request=None, timings=(), flags=flags, branches=tuple(leaves))


def _flags(policy: Policy, decisions: list[Decision]) -> tuple[Note, ...]:
    """Every note flagged by any of the decisions, in the policy's order."""
    first = decisions[0].flags
    if all(d.flags is first for d in decisions):  # Policy.notes_for gives the same tuple for the same notes
        return first
    ids = {note.id for d in decisions for note in d.flags}
    return tuple(n for n in policy.notes if n.id in ids)


def show(value: Value) -> str:
    if isinstance(value, Unknown):
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{value.numerator}/{value.denominator} (≈ {exact:.4f})"
    return str(value)


def summary(outcome: Outcome, amount: Decimal | None, bound: Decimal | None, currency: str,
             destination: Destination | None, label: str) -> str:
    where = DESTINATION_WORDS[destination]
    if outcome is _FULL:
        return f"Full refund of {amount} {currency} {where}."
    if outcome is _PARTIAL and amount is not None:
        return f"Partial refund of {amount} {currency} {where}."
    if outcome is _PARTIAL:
        return (f"Partial refund of at most {bound} {currency} {where}; "
                "the policy does not let the exact amount be computed.")
    if outcome is _DISCRETIONARY:
        return f"The vendor may refund up to {bound} {currency} {where}, at its discretion: nothing is guaranteed."
    sentence = label if label.startswith(("No refund", "Nothing")) else f"No refund: {label}"
    return sentence if sentence.endswith(".") else sentence + "."
