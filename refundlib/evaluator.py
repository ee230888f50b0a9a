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

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache, partial

from .branches import _DISCRETIONARY, _FULL, _NONE, _PARTIAL, merge, question_for, show, summary, verdict
from .decision import Decision, Explanation, Quote, Step, StepKind, quotes
from .errors import MissingFieldError
from .exact import Number, clamp, exact_number, multiply, subtract
from .expr import Expression, Unknown, Value
from .model import Destination, Exclusion, Outcome, Policy, Product, Rule
from .money import round_to_minor_unit
from .purchase import parse_scenario
from .registry import get_policy
from .scenario import BUILTIN_NAMES, FUNCTION_SIGNATURES, Scenario, within_hours


def evaluate(vendor_id: str, scenario: Mapping[str, object], *, policy: Policy | None = None,
             lenient_facts: bool = False, explain: bool = False) -> Decision:
    """Decide what ``scenario`` gets back under the vendor's policy.

    The decision's steps are worded when first read (see :class:`~refundlib.decision.Explanation`);
    pass ``explain=True`` to word them now, in the same pass, when they will be read anyway.
    Raises :class:`~refundlib.errors.ScenarioError` (or another ``RefundlibError``) for bad input.
    """
    policy = policy or get_policy(vendor_id)
    parsed = parse_scenario(policy, scenario, lenient_facts=lenient_facts)
    decision = _decide(policy, parsed, {}, explain)
    from .deadline import ask_by  # it evaluates later days with decide(): imported on first use

    return decision._replace(ask_by=ask_by(policy, parsed, decision))


def decide(policy: Policy, scenario: Scenario, *, explain: bool = False) -> Decision:
    """:func:`evaluate` for a scenario already validated by :func:`~refundlib.purchase.parse_scenario`."""
    return _decide(policy, scenario, {}, explain)


class _Fork(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _decide(policy: Policy, scenario: Scenario, assumed: dict[str, bool], explain: bool) -> Decision:
    """The decision under ``assumed`` answers; where it needs an unknown answer, both answers' decisions.

    A quiet pass (no wording) meets an unknown answer by assuming "yes", noting the question, and
    going on: one pass gives the all-"yes" leaf, then :func:`_unfold` adds each "no" side. A
    worded pass stops at the unknown answer and starts again once per answer, so that its steps
    read as if the answer had been given (the quiet pass's steps are made that way too).
    """
    if not explain:
        forked: list[str] = []
        leaf = _Run(policy, scenario, dict(assumed), False, forked=forked).decide()
        return _unfold(policy, scenario, assumed, forked, leaf)
    try:
        return _Run(policy, scenario, assumed, True).decide()
    except _Fork as fork:
        key = fork.key
    return merge(policy, scenario, key, _decide(policy, scenario, {**assumed, key: True}, True),
                  _decide(policy, scenario, {**assumed, key: False}, True))


def _unfold(policy: Policy, scenario: Scenario, assumed: dict[str, bool], keys: list[str], leaf: Decision
            ) -> Decision:
    """The decision tree over ``keys`` (assumed "yes" in that order to reach ``leaf``)."""
    if not keys:
        return leaf
    key = keys[0]
    yes = _unfold(policy, scenario, {**assumed, key: True}, keys[1:], leaf)
    return merge(policy, scenario, key, yes, _decide(policy, scenario, {**assumed, key: False}, False))


def _explained(policy: Policy, scenario: Scenario, assumed: dict[str, bool], expected: tuple[object, ...]
               ) -> tuple[Step, ...]:
    """The steps of a decision first made without them: the same pass again, wording each step."""
    decision = _Run(policy, scenario, assumed, True).decide()
    if verdict(decision) != expected:  # the two passes run the same code: this would be a bug
        raise RuntimeError(f"{policy.id}: the worded pass gave {verdict(decision)}, not {expected}")
    return decision.steps


@cache
def _exact_rate(rate: Decimal) -> Fraction | int:
    return exact_number(rate)


def plan_for(policy: Policy, product_id: str) -> tuple[Product, tuple[Exclusion, ...], tuple[Rule, ...]]:
    """The product, and the exclusions and rules that apply to it, in order (worked out once per policy)."""
    plans = policy.memo("plan")
    plan = plans.get(product_id)
    if plan is None:
        def applies(item: Rule | Exclusion) -> bool:
            return not item.products or product_id in item.products

        plan = plans[product_id] = (policy.product(product_id), tuple(filter(applies, policy.exclusions)),
                                    tuple(filter(applies, policy.rules)))
    return plan  # type: ignore[return-value]  # the memo's "plan" table holds only what this function puts in it


class _Run:
    """One pass of the decision list under a fixed set of assumed answers.

    With ``explain`` the pass words each step as it goes; without, it only reaches the verdict
    (the same tests in the same order, so the same forks, rule, amounts and flags) and leaves
    the wording to :func:`_explained`, run again only if someone reads the steps.
    """

    __slots__ = ("answered", "assumed", "explain", "forked", "policy", "scenario", "steps", "touched")

    def __init__(self, policy: Policy, scenario: Scenario, assumed: dict[str, bool], explain: bool,
                 forked: list[str] | None = None) -> None:
        """``forked``: a list to assume "yes" for unknown answers and record them in (else: raise _Fork)."""
        self.policy, self.scenario, self.assumed, self.explain = policy, scenario, assumed, explain
        self.forked = forked
        self.touched: set[str] = {scenario.product}
        # Only a worded pass keeps steps, and the answers it has already worded. Typed for that pass: only
        # code under ``if self.explain`` reads them, so the quiet pass neither builds them nor tests for None.
        self.steps: list[Step] = [] if explain else None  # type: ignore[assignment]  # None: not a worded pass
        self.answered: set[str] = set() if explain else None  # type: ignore[assignment]  # None: not a worded pass

    # -- the expression language's functions, for this pass (the run is its own ``Calls`` mapping) --
    def __getitem__(self, name: str) -> Callable[..., Value]:
        return self.within_hours if name == "within_hours" else FUNCTION_SIGNATURES[name].call

    def within_hours(self, hours: Number) -> Value:
        days = self.scenario.builtin("days_since_purchase")
        value = within_hours(days, hours)  # type: ignore[arg-type]  # days_since_purchase is an int (scenario.BUILTINS)
        return self._resolve(value) if value.__class__ is Unknown else value

    # -- reading values -------------------------------------------------------------------
    def _resolve(self, value: Value) -> Value:
        if value.__class__ is Unknown and len(value.keys) == 1:
            (key,) = value.keys
            if key in self.assumed:
                if self.explain:
                    self._note_assumption(key)
                return self.assumed[key]
        return value

    def _note_assumption(self, key: str) -> None:
        if key not in self.answered:
            self.answered.add(key)
            answer = "yes" if self.assumed[key] else "no"
            self.steps.append(Step(kind=StepKind.ANSWER, text=f"Not known: “{question_for(self.policy, key)}”. "
                                   f"This answer assumes {answer}.", ref=key))

    def lookup(self, name: str) -> Value:
        value = self.scenario.computed.get(name)  # a built-in name's value, once computed
        if value is None and name in BUILTIN_NAMES:
            value = self.scenario.builtin(name)
        if value is not None:
            return self._resolve(value) if value.__class__ is Unknown else value
        self.touched.add(name)
        facts = self.scenario.facts
        if name in facts:
            answer = facts[name]
            if answer is None:
                return self._resolve(Unknown(frozenset({name})))
            return answer if answer.__class__ is bool else exact_number(answer)
        fact = self.policy.fact(name)
        default = fact.default
        if default is not None:
            if self.explain and name not in self.answered:
                self.answered.add(name)
                self.steps.append(Step(kind=StepKind.ANSWER, text=f"Not answered: “{fact.question}”. Taken as "
                                       f"{show(default if isinstance(default, bool) else Fraction(default))}, the "
                                       "default.", quotes=quotes(self.policy, fact.cites), ref=name))
            return default if isinstance(default, bool) else exact_number(default)
        if fact.type == "bool":
            return self._resolve(Unknown(frozenset({name})))
        raise MissingFieldError(f"facts.{name}", f"a number answering “{fact.question}”")

    def value(self, expression: Expression) -> Value:
        value = expression.run(self.lookup, self)
        while value.__class__ is Unknown:
            key = sorted(value.keys)[0]
            if self.forked is None:
                raise _Fork(key)
            self.assumed[key] = True
            self.forked.append(key)
            value = expression.run(self.lookup, self)
        return value

    def test(self, expression: Expression) -> bool:
        return bool(self.value(expression))

    def number(self, expression: Expression) -> Number:
        return self.value(expression)  # type: ignore[return-value]  # a number expression (checked on loading)

    def detail(self, expression: Expression) -> str:
        names = set(expression.names)
        if "within_hours(" in expression.text:  # the hour window is judged from the day count
            names.add("days_since_purchase")
        return ", ".join(f"{name} = {show(self.lookup(name))}" for name in sorted(names))

    def money(self, value: Number) -> str:
        return f"{round_to_minor_unit(value, self.scenario.currency)} {self.scenario.currency}"

    # -- the decision list -------------------------------------------------------------------
    def decide(self) -> Decision:
        explain = self.explain
        product, exclusions, rules = plan_for(self.policy, self.scenario.product)
        if not product.charged:
            if explain:
                self.steps.append(Step(kind=StepKind.PRODUCT,
                                       text=f"{product.name} is never charged, so there is nothing to refund.",
                                       quotes=quotes(self.policy, product.cites), ref=product.id))
            return self.finish(_NONE, 0, None, None, "", "Nothing was charged, so nothing is refunded.")
        if self.scenario.amount_paid == 0:
            if explain:
                self.steps.append(Step(kind=StepKind.PRODUCT, text="You paid nothing, so there is nothing to refund.",
                                       ref=product.id))
            return self.finish(_NONE, 0, None, None, "", "Nothing was paid, so nothing is refunded.")
        for exclusion in exclusions:
            if self.test(exclusion.when):
                self.touched.add(exclusion.id)
                if explain:
                    self.steps.append(Step(kind=StepKind.EXCLUSION, text=exclusion.label,
                                           quotes=quotes(self.policy, exclusion.cites),
                                           met=True, detail=self.detail(exclusion.when), ref=exclusion.id))
                return self.finish(_NONE, 0, None, None, exclusion.id, f"No refund: {exclusion.label}.")
        for rule in rules:
            for index in range(len(rule.requires)):
                if not self.requirement(rule, index):
                    break
            else:
                return self.grant(rule)
        if explain:
            self.steps.append(Step(kind=StepKind.FALLBACK,
                                   text="No clause of the policy grants a refund in this situation."))
        return self.finish(_NONE, 0, None, None, "", "No refund: no clause of the policy grants one here.")

    def requirement(self, rule: Rule, index: int) -> bool:
        requirement = rule.requires[index]
        held = self.test(requirement.test)
        if requirement.id:  # a note may point at this very condition (e.g. an unclear window)
            self.touched.add(requirement.id)
        if self.explain:
            self.steps.append(Step(kind=StepKind.REQUIREMENT, text=f"{rule.label}: {requirement.says}",
                                   quotes=quotes(self.policy, requirement.cites), met=held,
                                   detail=self.detail(requirement.test), ref=rule.id))
        return held

    def grant(self, rule: Rule) -> Decision:
        self.touched.add(rule.id)
        paid: Number = self.scenario.builtin("amount_paid")  # type: ignore[assignment]  # a number: scenario.BUILTINS
        if self.explain:
            self.steps.append(Step(kind=StepKind.RULE, text=rule.label, quotes=quotes(self.policy, rule.cites),
                                   met=True, ref=rule.id))
        amount: Number | None = None
        bound: Number | None = None
        if rule.outcome is _FULL:
            amount = paid
        elif rule.outcome is _NONE:
            amount = 0
        else:
            if rule.amount is not None:
                amount = self.formula(rule.amount, "Amount", paid)
            if rule.amount_max is not None:
                bound = self.formula(rule.amount_max, "Upper bound", paid)
            elif rule.outcome is _DISCRETIONARY:
                bound = paid
        destination = rule.destination
        for fee in self.policy.fees:
            if destination == fee.applies_to and rule.outcome is not _NONE and self.test(fee.when):
                self.touched.add(fee.id)
                # A granting rule has an amount or a bound: the loader refuses a partial rule with neither.
                base: Number = amount if amount is not None else bound  # type: ignore[assignment]  # see above
                rate = _exact_rate(fee.rate)
                kept = subtract(1, rate)
                amount = None if amount is None else multiply(amount, kept)
                bound = None if bound is None else multiply(bound, kept)
                if self.explain:
                    self.steps.append(Step(kind=StepKind.FEE, text=f"{fee.label}: {self.money(multiply(base, rate))} "
                                           f"is deducted, leaving {self.money(multiply(base, kept))}.",
                                           quotes=quotes(self.policy, fee.cites), detail=self.detail(fee.when),
                                           ref=fee.id))
                destination = fee.destination_after
        outcome = rule.outcome
        if outcome is _PARTIAL and (amount if amount is not None else bound) == 0:
            if self.explain:
                self.steps.append(Step(kind=StepKind.AMOUNT, text="Nothing of the paid amount is left to refund.",
                                       ref=rule.id))
            return self.finish(_NONE, 0, None, None, rule.id,
                               "No refund: nothing of the paid amount is left to refund.")
        if rule.request:
            self.touched.add(rule.request)
        self.touched.update(rule.timings)
        return self.finish(outcome, amount, bound, destination, rule.id, rule.label, rule)

    def formula(self, expression: Expression, what: str, paid: Number) -> Number:
        raw = self.number(expression)
        value = clamp(raw, 0, paid)
        if self.explain:
            note = "" if value == raw else f"; kept between 0 and the amount paid ({self.money(raw)} before that)"
            self.steps.append(Step(kind=StepKind.AMOUNT, text=f"{what}: {expression.text} = {self.money(value)}{note}",
                                   detail=self.detail(expression)))
        return value

    def finish(self, outcome: Outcome, amount: Number | None, bound: Number | None,
               destination: Destination | None, rule_id: str, label: str, rule: Rule | None = None) -> Decision:
        policy, scenario, currency = self.policy, self.scenario, self.scenario.currency
        rounded = None if amount is None else round_to_minor_unit(amount, currency)
        rounded_max = None if bound is None else round_to_minor_unit(bound, currency)
        granted = outcome is not _NONE
        destination = destination if granted else None
        automatic = bool(rule and rule.automatic and granted)
        if self.explain:
            explanation = Explanation(tuple(self.steps))
        else:
            explanation = Explanation(None, partial(_explained, policy, scenario, self.assumed,
                                                   (outcome, rounded, rounded_max, destination, automatic)))
        return Decision(
            policy=policy, vendor=policy.id, product=scenario.product, outcome=outcome, amount=rounded,
            amount_max=rounded_max, currency=currency, destination=destination, automatic=automatic, rule=rule_id,
            summary=summary(outcome, rounded, rounded_max, currency, destination, label), explanation=explanation,
            request=policy.request(rule.request) if rule and rule.request and granted else None,
            timings=tuple(map(policy.timing, rule.timings)) if rule and granted else (),
            flags=policy.notes_for(self.touched))


__all__ = ["Quote", "decide", "evaluate", "question_for"]
