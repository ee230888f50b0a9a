"""Invariants over generated scenarios, for every vendor (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refundlib
from refundlib import exact
from refundlib.chart import refund_series
from refundlib.evaluator import decide
from refundlib.model import Outcome
from refundlib.money import MINOR_UNITS
from refundlib.purchase import parse_scenario

POLICIES = refundlib.all_policies()


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    policy = draw(st.sampled_from(POLICIES))
    product = draw(st.sampled_from(policy.products))
    purchased = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    requested = purchased + timedelta(days=draw(st.integers(0, 800)))
    currency = draw(st.sampled_from(["USD", "EUR", "GBP", "INR", "JPY", "KWD"]))
    digits = MINOR_UNITS[currency]
    units = draw(st.integers(0, 500_000)) if product.charged else 0
    paid = Decimal(units).scaleb(-digits)
    list_price = paid + Decimal(draw(st.integers(0, 300_000))).scaleb(-digits)
    facts: dict[str, object] = {}
    for fact in policy.facts:
        if draw(st.booleans()):
            continue  # left unanswered
        if fact.type == "bool":
            facts[fact.id] = draw(st.sampled_from([True, False, "unknown"]))
        else:
            facts[fact.id] = str(draw(st.integers(0, 150)))
    scenario = {
        "product": product.id, "purchased_on": purchased.isoformat(), "requested_on": requested.isoformat(),
        "amount_paid": f"{paid:f}", "list_price": f"{list_price:f}",
        "currency": currency,
        "billing": str(draw(st.sampled_from(product.billing))),
        "first_payment": draw(st.sampled_from([True, False, "unknown"])), "facts": facts,
    }
    return policy.id, scenario


def _check(decision: dict[str, object], paid: Decimal) -> None:
    amount = None if decision["amount"] is None else Decimal(decision["amount"])
    bound = None if decision["amount_max"] is None else Decimal(decision["amount_max"])
    for value in (amount, bound):
        if value is not None:
            assert Decimal(0) <= value <= paid, decision
    if decision["outcome"] == Outcome.FULL:
        assert amount is not None and amount == paid.quantize(amount), decision
    if decision["outcome"] == Outcome.DISCRETIONARY:
        assert amount is None and bound is not None, decision
    if decision["outcome"] == Outcome.NONE:
        assert amount == 0, decision
    if decision["outcome"] == Outcome.CONDITIONAL:
        assert decision["branches"], decision
        for branch in decision["branches"]:
            assert branch["assuming"], branch
            _check(branch["decision"], paid)
    for step in decision["steps"]:
        for quote in step["quotes"]:
            assert quote["text"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants(generated: tuple[str, dict[str, object]]) -> None:
    vendor, scenario = generated
    try:
        first = refundlib.evaluate(vendor, scenario).to_dict()
    except refundlib.ScenarioError as error:
        # The only acceptable failure: a number fact a rule needs was left unanswered.
        assert error.field.startswith("facts."), error
        return
    assert refundlib.evaluate(vendor, scenario).to_dict() == first  # deterministic
    # Steps worded in the same pass (explain=True) or afterwards, on first read: the same decision.
    assert refundlib.evaluate(vendor, scenario, explain=True).to_dict() == first
    _check(first, Decimal(scenario["amount_paid"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 420))
def test_series_skips_only_days_with_the_same_verdict(generated: tuple[str, dict[str, object]], days: int) -> None:
    """refund_series evaluates only the days where a verdict can change: it must equal every day evaluated."""
    vendor, scenario = generated
    policy = refundlib.get_policy(vendor)
    try:
        series = refund_series(policy, scenario, days)
    except refundlib.ScenarioError as error:
        assert error.field.startswith("facts."), error
        return
    parsed = parse_scenario(policy, {**scenario, "requested_on": scenario["purchased_on"]})
    for point in series.points:
        decision = decide(policy, parsed.on(parsed.purchased_on + timedelta(days=point.day)))
        assert (point.outcome, point.amount, point.amount_max, point.rule) == (
            decision.outcome, decision.amount, decision.amount_max, decision.rule), (vendor, point.day)
    assert [p.day for p in series.points] == list(range(days + 1))


@settings(max_examples=300, deadline=None)
@given(st.fractions(max_denominator=10**6), st.fractions(max_denominator=10**6), st.sampled_from(["+", "-", "*", "/"]))
def test_exact_arithmetic_is_fraction_arithmetic(a: Fraction, b: Fraction, op: str) -> None:
    """refundlib.exact works on numerators and denominators; it must give Fraction's exact results."""
    def number(x: Fraction) -> int | Fraction:
        return x.numerator if x.denominator == 1 else x

    if op == "/" and b == 0:
        return
    expected = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else None}[op]
    got = {"+": exact.add, "-": exact.subtract, "*": exact.multiply, "/": exact.divide}[op](number(a), number(b))
    assert got == expected and (type(got) is int) == (expected.denominator == 1)
    assert exact.less(number(a), number(b)) == (a < b)
    assert exact.clamp(number(a), 0, number(abs(b))) == min(max(a, 0), abs(b))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(POLICIES), st.dictionaries(st.sampled_from(
    ["product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency", "billing", "first_payment",
     "facts", "extra"]), st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                                   st.lists(st.integers(), max_size=2),
                                   st.dictionaries(st.text(max_size=5), st.booleans(), max_size=2))))
def test_garbage_raises_only_library_errors(policy: refundlib.Policy, scenario: dict[str, object]) -> None:
    with contextlib.suppress(refundlib.RefundlibError):
        refundlib.evaluate(policy.id, scenario)
