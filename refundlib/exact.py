"""Exact numbers for policy expressions: an ``int`` when whole, a :class:`~fractions.Fraction` otherwise.

Amounts, day counts and shares of a term are never floats. Most values are whole (days,
amounts in whole units, constants such as 7), and ``int`` arithmetic is what Python does
fastest, so a value is a ``Fraction`` only when it has to be (a share of a month, 0.10).

The operations below work on numerators and denominators directly (an ``int`` has both).
Mixing ``int`` and ``Fraction`` through the operators instead goes through the
``numbers.Rational`` type check on every reflected operation and comparison, which made
those few operations the largest single cost of an evaluation under CPython 3.11
(see docs/performance.md). The results are the same exact values.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import gcd

Number = int | Fraction


def exact(numerator: int, denominator: int) -> Number:
    """``numerator / denominator`` (denominator > 0) as an ``int`` when whole, else a reduced ``Fraction``."""
    if denominator == 1:
        return numerator
    common = gcd(numerator, denominator)
    if common == denominator:
        return numerator // denominator
    return Fraction(numerator // common, denominator // common)


def exact_number(value: Decimal | int | Fraction) -> Number:
    """An amount, count or rate as an exact number."""
    numerator, denominator = value.as_integer_ratio()
    return exact(numerator, denominator)


def add(a: Number, b: Number) -> Number:
    if a.__class__ is int and b.__class__ is int:
        return a + b
    return exact(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)


def subtract(a: Number, b: Number) -> Number:
    if a.__class__ is int and b.__class__ is int:
        return a - b
    return exact(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)


def multiply(a: Number, b: Number) -> Number:
    if a.__class__ is int and b.__class__ is int:
        return a * b
    return exact(a.numerator * b.numerator, a.denominator * b.denominator)


def divide(a: Number, b: Number) -> Number:
    """``a / b``; the caller refuses ``b == 0``."""
    numerator, denominator = a.numerator * b.denominator, a.denominator * b.numerator
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    return exact(numerator, denominator)


def cross(a: Number, b: Number) -> tuple[int, int]:
    """Two integers that compare as ``a`` and ``b`` do (denominators are positive)."""
    return a.numerator * b.denominator, b.numerator * a.denominator


def less(a: Number, b: Number) -> bool:
    if a.__class__ is int and b.__class__ is int:
        return a < b
    left, right = cross(a, b)
    return left < right


def clamp(value: Number, low: Number, high: Number) -> Number:
    """``value`` kept between ``low`` and ``high``."""
    if less(value, low):
        return low
    return high if less(high, value) else value
