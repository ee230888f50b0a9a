"""The evaluator: one policy, one scenario, one explained :class:`Decision`.

The policy is a decision list. In order:

1. a product that is never charged has nothing to refund;
2. a blanket exclusion that holds means no refund, whatever else applies;
3. the first rule whose requirements all hold decides the outcome, amount and destination;
4. fees on the destination are taken from the amount;
5. if no rule holds, nothing is refunded.

An answer of "unknown" never becomes a guess: when a test cannot be decided without it,
the evaluation forks on that answer and the result is a conditional decision listing
each outcome with the answer that leads to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .decision import Assumption, Branch, Decision, Quote, Step, StepKind, quotes
from .errors import ScenarioError
from .expr import Expression, Function, Unknown, Value
from .model import Destination, Exclusion, Outcome, Policy, Rule
from .money import round_to_minor_unit
from .registry import get_policy
from .scenario import BUILTIN_NAMES, Scenario, functions_for, parse_scenario

FIRST_PAYMENT_QUESTION = "Is this the first payment of the subscription (not a renewal)?"
DESTINATION_WORDS = {
    Destination.ORIGINAL_PAYMENT_METHOD: "to your original payment method",
    Destination.ACCOUNT_BALANCE: "to your account balance (deposit)",
    Destination.CREDITS: "as credits to your account",
    None: "(the policy does not say where the money goes)",
}


def evaluate(vendor_id: str, scenario: Mapping[str, object], *, policy: Policy | None = None,
             lenient_facts: bool = False) -> Decision:
    """Decide what ``scenario`` gets back under the vendor's policy.

    Raises :class:`~refundlib.errors.ScenarioError` (or another ``RefundlibError``) for bad input.
    """
    policy = policy or get_policy(vendor_id)
    parsed = parse_scenario(policy, scenario, lenient_facts=lenient_facts)
    return _decide(policy, parsed, {})


def decide(policy: Policy, scenario: Scenario) -> Decision:
    """:func:`evaluate` for a scenario already validated by :func:`~refundlib.scenario.parse_scenario`."""
    return _decide(policy, scenario, {})


class _Fork(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def question_for(policy: Policy, key: str) -> str:
    if key == "first_payment":
        return FIRST_PAYMENT_QUESTION
    if key.startswith("within_hours:"):
        return f"Was the request made within {key.partition(':')[2]} hours of the purchase, by the clock?"
    return policy.fact(key).question


def _verdict(decision: Decision) -> tuple[object, ...]:
    return decision.outcome, decision.amount, decision.amount_max, decision.destination, decision.automatic


def _decide(policy: Policy, scenario: Scenario, assumed: dict[str, bool]) -> Decision:
    try:
        return _Run(policy, scenario, assumed).decide()
    except _Fork as fork:
        key = fork.key
    question = question_for(policy, key)
    leaves: list[Branch] = []
    for answer in (True, False):
        this = Assumption(key, question, answer)
        decision = _decide(policy, scenario, {**assumed, key: answer})
        if decision.branches:
            leaves.extend(Branch((this, *b.assuming), b.decision) for b in decision.branches)
        else:
            leaves.append(Branch((this,), decision))
    first = leaves[0].decision
    if all(_verdict(leaf.decision) == _verdict(first) for leaf in leaves):
        same = Step(StepKind.ANSWER, f"You answered “I don't know” to “{question}”; either answer leads to this verdict.",
                    ref=key)
        flag_ids = {note.id for leaf in leaves for note in leaf.decision.flags}
        return Decision(**{**_fields(first), "steps": (*first.steps, same),
                           "flags": tuple(n for n in policy.notes if n.id in flag_ids)})
    bounds = [leaf.decision.amount if leaf.decision.amount is not None else leaf.decision.amount_max
              for leaf in leaves]
    destinations = {leaf.decision.destination for leaf in leaves}
    flags = {note.id: note for leaf in leaves for note in leaf.decision.flags}
    asked = list(dict.fromkeys(a.question for leaf in leaves for a in leaf.assuming))
    return Decision(
        policy=policy, vendor=policy.id, product=scenario.product, outcome=Outcome.CONDITIONAL, amount=None,
        amount_max=None if None in bounds else max(bounds),  # type: ignore[type-var]
        currency=scenario.currency, destination=destinations.pop() if len(destinations) == 1 else None,
        automatic=False, rule="",
        summary="It depends on " + "; ".join(f"“{q}”" for q in asked) + ": see each answer below.",
        steps=(Step(StepKind.ANSWER, "You answered “I don't know” to a question the verdict depends on: "
                    + "; ".join(f"“{q}”" for q in asked), ref=key),),
        flags=tuple(n for n in policy.notes if n.id in flags), branches=tuple(leaves))


def _fields(decision: Decision) -> dict[str, object]:
    return {name: getattr(decision, name) for name in Decision.__slots__}  # type: ignore[attr-defined]


def _show(value: Value) -> str:
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


class _Run:
    """One pass of the decision list under a fixed set of assumed answers."""

    def __init__(self, policy: Policy, scenario: Scenario, assumed: dict[str, bool]) -> None:
        self.policy, self.scenario, self.assumed = policy, scenario, assumed
        self.steps: list[Step] = []
        self.touched: set[str] = {scenario.product}
        self.answered: set[str] = set()
        base = functions_for(scenario)
        within = base["within_hours"]
        self.functions: dict[str, Function] = {
            **base, "within_hours": Function(within.params, within.result, lambda hours: self._resolve(within.call(hours)))}

    # -- reading values -------------------------------------------------------------------
    def _resolve(self, value: Value) -> Value:
        if isinstance(value, Unknown) and len(value.keys) == 1:
            (key,) = value.keys
            if key in self.assumed:
                self._note_assumption(key)
                return self.assumed[key]
        return value

    def _note_assumption(self, key: str) -> None:
        if key not in self.answered:
            self.answered.add(key)
            answer = "yes" if self.assumed[key] else "no"
            self.steps.append(Step(StepKind.ANSWER, f"Not known: “{question_for(self.policy, key)}”. "
                                   f"This answer assumes {answer}.", ref=key))

    def lookup(self, name: str) -> Value:
        if name in BUILTIN_NAMES:
            return self._resolve(self.scenario.builtin(name))
        fact = self.policy.fact(name)
        self.touched.add(name)
        if name in self.scenario.facts:
            value = self.scenario.facts[name]
            if value is None:
                return self._resolve(Unknown(frozenset({name})))
        elif fact.default is not None:
            value = fact.default
            if name not in self.answered:
                self.answered.add(name)
                self.steps.append(Step(StepKind.ANSWER, f"Not answered: “{fact.question}”. Taken as "
                                       f"{_show(value if isinstance(value, bool) else Fraction(value))}, the default.",
                                       quotes(self.policy, fact.cites), ref=name))
        elif fact.type == "bool":
            return self._resolve(Unknown(frozenset({name})))
        else:
            raise ScenarioError(f"facts.{name}", f"a number answering “{fact.question}”")
        return value if isinstance(value, bool) else Fraction(value)

    def test(self, expression: Expression) -> bool:
        value = expression.evaluate(self.lookup, self.functions)
        if isinstance(value, Unknown):
            raise _Fork(sorted(value.keys)[0])
        return bool(value)

    def number(self, expression: Expression) -> Fraction:
        value = expression.evaluate(self.lookup, self.functions)
        if isinstance(value, Unknown):
            raise _Fork(sorted(value.keys)[0])
        return value  # type: ignore[return-value]

    def detail(self, expression: Expression) -> str:
        names = set(expression.names)
        if "within_hours(" in expression.text:  # the hour window is judged from the day count
            names.add("days_since_purchase")
        return ", ".join(f"{name} = {_show(self.lookup(name))}" for name in sorted(names))

    def money(self, value: Fraction) -> str:
        return f"{round_to_minor_unit(value, self.scenario.currency)} {self.scenario.currency}"

    # -- the decision list -------------------------------------------------------------------
    def applies(self, item: Rule | Exclusion) -> bool:
        return not item.products or self.scenario.product in item.products

    def decide(self) -> Decision:
        product = self.policy.product(self.scenario.product)
        if not product.charged:
            self.steps.append(Step(StepKind.PRODUCT, f"{product.name} is never charged, so there is nothing to refund.",
                                   quotes(self.policy, product.cites), ref=product.id))
            return self.finish(Outcome.NONE, Fraction(0), None, None, "", "Nothing was charged, so nothing is refunded.")
        if self.scenario.amount_paid == 0:
            self.steps.append(Step(StepKind.PRODUCT, "You paid nothing, so there is nothing to refund.", ref=product.id))
            return self.finish(Outcome.NONE, Fraction(0), None, None, "", "Nothing was paid, so nothing is refunded.")
        for exclusion in filter(self.applies, self.policy.exclusions):
            if self.test(exclusion.when):
                self.touched.add(exclusion.id)
                self.steps.append(Step(StepKind.EXCLUSION, exclusion.label, quotes(self.policy, exclusion.cites),
                                       met=True, detail=self.detail(exclusion.when), ref=exclusion.id))
                return self.finish(Outcome.NONE, Fraction(0), None, None, exclusion.id, f"No refund: {exclusion.label}.")
        for rule in filter(self.applies, self.policy.rules):
            if all(self.requirement(rule, index) for index in range(len(rule.requires))):
                return self.grant(rule)
        self.steps.append(Step(StepKind.FALLBACK, "No clause of the policy grants a refund in this situation."))
        return self.finish(Outcome.NONE, Fraction(0), None, None, "", "No refund: no clause of the policy grants one here.")

    def requirement(self, rule: Rule, index: int) -> bool:
        requirement = rule.requires[index]
        held = self.test(requirement.test)
        if requirement.id:  # a note may point at this very condition (e.g. an unclear window)
            self.touched.add(requirement.id)
        self.steps.append(Step(StepKind.REQUIREMENT, f"{rule.label}: {requirement.says}",
                               quotes(self.policy, requirement.cites), met=held,
                               detail=self.detail(requirement.test), ref=rule.id))
        return held

    def clamp(self, value: Fraction) -> Fraction:
        return min(max(value, Fraction(0)), self.scenario.builtin("amount_paid"))  # type: ignore[type-var]

    def grant(self, rule: Rule) -> Decision:
        self.touched.add(rule.id)
        paid: Fraction = self.scenario.builtin("amount_paid")  # type: ignore[assignment]
        self.steps.append(Step(StepKind.RULE, rule.label, quotes(self.policy, rule.cites), met=True, ref=rule.id))
        amount: Fraction | None = None
        bound: Fraction | None = None
        if rule.outcome == Outcome.FULL:
            amount = paid
        elif rule.outcome == Outcome.NONE:
            amount = Fraction(0)
        else:
            if rule.amount is not None:
                amount = self.formula(rule.amount, "Amount")
            if rule.amount_max is not None:
                bound = self.formula(rule.amount_max, "Upper bound")
            elif rule.outcome == Outcome.DISCRETIONARY:
                bound = paid
        destination = rule.destination
        for fee in self.policy.fees:
            if destination == fee.applies_to and rule.outcome != Outcome.NONE and self.test(fee.when):
                self.touched.add(fee.id)
                base = amount if amount is not None else bound
                kept = Fraction(1) - Fraction(fee.rate)
                amount = None if amount is None else amount * kept
                bound = None if bound is None else bound * kept
                self.steps.append(Step(StepKind.FEE, f"{fee.label}: {self.money(base * Fraction(fee.rate))} "
                                       f"is deducted, leaving {self.money(base * kept)}.",
                                       quotes(self.policy, fee.cites), detail=self.detail(fee.when), ref=fee.id))
                destination = fee.destination_after
        outcome = rule.outcome
        if outcome == Outcome.PARTIAL and (amount if amount is not None else bound) == 0:
            self.steps.append(Step(StepKind.AMOUNT, "Nothing of the paid amount is left to refund.", ref=rule.id))
            return self.finish(Outcome.NONE, Fraction(0), None, None, rule.id,
                               "No refund: nothing of the paid amount is left to refund.")
        if rule.request:
            self.touched.add(rule.request)
        self.touched.update(rule.timings)
        return self.finish(outcome, amount, bound, destination, rule.id, rule.label, rule)

    def formula(self, expression: Expression, what: str) -> Fraction:
        raw = self.number(expression)
        value = self.clamp(raw)
        note = "" if value == raw else f"; kept between 0 and the amount paid ({self.money(raw)} before that)"
        self.steps.append(Step(StepKind.AMOUNT, f"{what}: {expression.text} = {self.money(value)}{note}",
                               detail=self.detail(expression)))
        return value

    def finish(self, outcome: Outcome, amount: Fraction | None, bound: Fraction | None,
               destination: Destination | None, rule_id: str, label: str, rule: Rule | None = None) -> Decision:
        currency = self.scenario.currency
        rounded = None if amount is None else round_to_minor_unit(amount, currency)
        rounded_max = None if bound is None else round_to_minor_unit(bound, currency)
        summary = _summary(outcome, rounded, rounded_max, currency, destination, label)
        request = self.policy.request(rule.request) if rule and rule.request and outcome != Outcome.NONE else None
        timings = tuple(self.policy.timing(t) for t in rule.timings) if rule and outcome != Outcome.NONE else ()
        return Decision(
            policy=self.policy, vendor=self.policy.id, product=self.scenario.product, outcome=outcome,
            amount=rounded, amount_max=rounded_max, currency=currency,
            destination=destination if outcome != Outcome.NONE else None,
            automatic=bool(rule and rule.automatic and outcome != Outcome.NONE), rule=rule_id, summary=summary,
            steps=tuple(self.steps), request=request, timings=timings,
            flags=tuple(self.policy.notes_for(self.touched)))


def _summary(outcome: Outcome, amount: Decimal | None, bound: Decimal | None, currency: str,
             destination: Destination | None, label: str) -> str:
    where = DESTINATION_WORDS[destination]
    if outcome == Outcome.FULL:
        return f"Full refund of {amount} {currency} {where}."
    if outcome == Outcome.PARTIAL and amount is not None:
        return f"Partial refund of {amount} {currency} {where}."
    if outcome == Outcome.PARTIAL:
        return f"Partial refund of at most {bound} {currency} {where}; the policy does not let the exact amount be computed."
    if outcome == Outcome.DISCRETIONARY:
        return f"The vendor may refund up to {bound} {currency} {where}, at its discretion: nothing is guaranteed."
    sentence = label if label.startswith(("No refund", "Nothing")) else f"No refund: {label}"
    return sentence if sentence.endswith(".") else sentence + "."


__all__ = ["decide", "evaluate", "question_for", "Quote"]
