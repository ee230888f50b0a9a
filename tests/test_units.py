"""Money, calendar and expression building blocks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from refundlib.errors import ExpressionError, ScenarioError
from refundlib.expr import BOOL, NUMBER, Unknown, compile_expression
from refundlib.money import parse_amount, round_to_minor_unit
from refundlib.periods import add_months, used_fraction
from refundlib.scenario import FUNCTION_SIGNATURES


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
