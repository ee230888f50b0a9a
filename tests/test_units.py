"""Money, calendar and expression building blocks."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import refundlib
from refundlib.errors import ExpressionError, ScenarioError
from refundlib.expr import BOOL, NUMBER, STRING, Unknown, compile_expression
from refundlib.exprwalk import day_thresholds
from refundlib.money import round_to_minor_unit
from refundlib.periods import add_months, used_fraction
from refundlib.purchase import parse_scenario
from refundlib.purchase_fields import parse_amount
from refundlib.scenario import BUILTIN_NAMES, BUILTINS, FUNCTION_SIGNATURES


@pytest.mark.parametrize(("value", "currency", "expected"), [
    (Fraction(1, 200), "USD", "0.01"),  # half-up, not half-even
    (Fraction(1, 400), "USD", "0.00"),
    (Fraction(5, 2), "JPY", "3"),
    (Fraction(2000, 3), "JPY", "667"),
    (Fraction(1, 3), "KWD", "0.333"),
    (Fraction(300), "USD", "300.00"),
])
def test_rounding_is_half_up_to_the_minor_unit(value: Fraction, currency: str, expected: str) -> None:
    assert f"{round_to_minor_unit(value, currency):f}" == expected


@pytest.mark.parametrize("bad", ["12,50", "-5", "1e3", "", "abc", 12.5, True, None])
def test_amounts_must_be_non_negative_decimal_strings(bad: object) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_amount(bad, "amount_paid")
    assert raised.value.field == "amount_paid"


def test_amounts_are_exact() -> None:
    assert parse_amount("0.10", "x") == Decimal("0.10")


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 15), 2, date(2027, 1, 15)),
    (date(2026, 1, 1), 12, date(2027, 1, 1)),
])
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_used_fraction_counts_calendar_months_and_days() -> None:
    assert used_fraction(date(2026, 1, 1), date(2026, 7, 1), "annual") == Fraction(1, 2)
    assert used_fraction(date(2026, 3, 1), date(2026, 3, 9), "monthly") == Fraction(8, 31)
    assert used_fraction(date(2026, 3, 1), date(2026, 3, 1), "monthly") == 0
    assert used_fraction(date(2026, 3, 1), date(2027, 3, 1), "annual") == 1
    assert used_fraction(date(2026, 3, 1), date(2026, 3, 2), "one_time") == 1


NAMES = {"a": BOOL, "b": BOOL, "n": NUMBER}


def _eval(text: str, values: dict[str, object]) -> object:
    expression = compile_expression(text, NAMES, FUNCTION_SIGNATURES, BOOL)
    return expression.evaluate(lambda name: values[name], FUNCTION_SIGNATURES)


def test_three_valued_logic() -> None:
    unknown = Unknown(frozenset({"a"}))
    assert _eval("a and b", {"a": unknown, "b": False}) is False
    assert _eval("a or b", {"a": unknown, "b": True}) is True
    assert _eval("a or b", {"a": unknown, "b": False}) == unknown
    assert _eval("not a", {"a": unknown}) == unknown
    assert _eval("n <= 10 and not (a or b)", {"a": False, "b": False, "n": Fraction(10)}) is True


@pytest.mark.parametrize(("text", "message"), [
    ("a and", "expected more"),
    ("n and a", "needs a bool"),
    ("zz", "unknown name 'zz'"),
    ("n + a > 1", "needs a number"),
    ("nope(1)", "unknown function"),
    ("n", "gives a number, expected a bool"),
    ("a $ b", "cannot read"),
])
def test_expression_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(")):
        compile_expression(text, NAMES, FUNCTION_SIGNATURES, BOOL)


def test_numbers_are_ints_when_whole_and_fractions_otherwise() -> None:
    numbers = {"a": BOOL, "b": BOOL, "n": NUMBER}
    half = compile_expression("n / 2", numbers, FUNCTION_SIGNATURES, NUMBER)
    assert half.evaluate(lambda name: 3, FUNCTION_SIGNATURES) == Fraction(3, 2)
    assert type(half.evaluate(lambda name: 4, FUNCTION_SIGNATURES)) is int
    assert _eval("n * 3 == 1", {"n": Fraction(1, 3)}) is True
    assert _eval("n > 0.333", {"n": Fraction(1, 3)}) is True
    with pytest.raises(ExpressionError, match="division by zero"):
        compile_expression("n / (n - n)", numbers, FUNCTION_SIGNATURES, NUMBER).evaluate(lambda _: 1,
                                                                                         FUNCTION_SIGNATURES)


@pytest.mark.parametrize(("text", "thresholds"), [
    ("days_since_purchase <= 7", [7]),
    ("14 < days_since_purchase and not a", [14]),
    ("within_hours(48)", [1, 3, 0]),
    ("a", []),
    ("days_since_purchase * 2 <= 7", None),  # read in arithmetic: any day may differ
    ("days_since_purchase <= n", None),
    ("within_hours(n)", None),
])
def test_day_thresholds_say_where_a_test_of_the_day_count_can_turn(text: str, thresholds: list[int] | None) -> None:
    names = {**BUILTIN_NAMES, "a": BOOL, "n": NUMBER}
    found = day_thresholds(compile_expression(text, names, FUNCTION_SIGNATURES, BOOL))
    assert found == (None if thresholds is None else [Fraction(t) for t in thresholds])


def test_every_builtin_name_is_computed_from_any_scenario() -> None:
    names = [b.name for b in BUILTINS]
    assert len(names) == len(set(names)) and list(BUILTIN_NAMES) == names
    scenario = parse_scenario(refundlib.get_policy("recatch"), {
        "product": "subscription", "billing": "annual", "purchased_on": "2026-01-01", "requested_on": "2026-07-01",
        "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD", "first_payment": True})
    types = {BOOL: bool, STRING: str}
    for builtin in BUILTINS:
        value = scenario.builtin(builtin.name)
        assert isinstance(value, types.get(builtin.type, (int, Fraction))) and not (
            builtin.type == NUMBER and isinstance(value, bool)), builtin.name
        later = scenario.on(date(2027, 3, 1))
        assert (builtin.name in later.computed) is not builtin.date_dependent, builtin.name


def test_policy_format_lists_the_builtin_names_of_the_table() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "policy-format.md").read_text(encoding="utf-8")
    listed = [line for line in text.splitlines() if re.match(r"\| `[a-z_]+` \| (bool|number|string) \|", line)]
    assert listed == [f"| `{b.name}` | {b.type} | {'yes' if b.date_dependent else 'no'} | {b.doc} |" for b in BUILTINS]


def test_scenarios_and_decisions_are_values_compared_by_content_and_not_hashable() -> None:
    policy = refundlib.get_policy("recatch")
    given = {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
             "requested_on": "2026-01-20", "amount_paid": "1000.00", "currency": "USD", "first_payment": True}
    scenario = parse_scenario(policy, given)
    scenario.builtin("used_fraction")  # fills the cache, which equality ignores
    later = {**given, "requested_on": "2026-12-20"}
    decision = refundlib.evaluate(policy.id, given)
    again = refundlib.evaluate(policy.id, given, explain=True)
    assert scenario == parse_scenario(policy, given) and scenario != parse_scenario(policy, later)
    assert decision == again and decision.explanation == again.explanation
    assert decision != refundlib.evaluate(policy.id, later)
    for value in (scenario, decision, decision.explanation):
        with pytest.raises(TypeError, match="unhashable"):
            hash(value)
