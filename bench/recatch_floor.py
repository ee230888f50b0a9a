"""The floor for the evaluator: reCatch's refund rules written directly as one plain Python function.

Same input as ``refundlib.evaluate("recatch", scenario)`` (the JSON-shaped scenario dict),
same verdict out (outcome, amount, amount_max, destination, rule) as a small result object,
and nothing else: no policy data, no expression language, no explanation, no validation
beyond what is needed to read the input. This is the fastest honest way to answer a reCatch
question in Python, so ``evaluate`` / this function is the evaluator's overhead factor.

The rules (refundlib/policies/recatch.toml):

- full refund to the original payment method within 7 days of subscribing if none of the
  three usage criteria holds;
- otherwise a partial refund into the deposit: amount paid - list price x share of the term
  used (calendar months plus the days of the current month), kept between 0 and the amount
  paid; 10% off if the deposit is cashed out (then the destination is not stated); a partial
  refund of 0 is no refund;
- an answer of "unknown" (or a usage question left unanswered) gives every verdict it could
  lead to: one verdict if they agree, else "conditional" with the largest amount as amount_max.

Standard library only: it also runs under Pyodide (bench/pyodide_series.py).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal
from typing import NamedTuple

USAGE = ("one_time_copy_used", "ongoing_pages_used", "workflows_used")
MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}
RULE_FULL, RULE_PARTIAL = "full-unused", "partial-unused-portion"


class Verdict(NamedTuple):
    outcome: str
    amount: Decimal | None
    amount_max: Decimal | None
    destination: str | None
    rule: str


def _answer(value: object) -> bool | None:
    return None if value == "unknown" else bool(value)


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def _used(start: date, on: date, months: int) -> tuple[int, int]:
    """Share of the term used, as (numerator, denominator): integers only, no Fraction."""
    if on >= _add_months(start, months):
        return 1, 1
    whole = (on.year - start.year) * 12 + on.month - start.month
    month_start = _add_months(start, whole)
    if month_start > on:
        whole -= 1
        month_start = _add_months(start, whole)
    if whole < 0:
        return 0, 1
    days_in_month = (_add_months(start, whole + 1) - month_start).days
    return whole * days_in_month + (on - month_start).days, days_in_month * months


def _round(numerator: int, denominator: int, digits: int) -> Decimal:
    """numerator/denominator minor units, rounded half-up, as a Decimal amount."""
    whole, remainder = divmod(numerator, denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return Decimal(whole).scaleb(-digits)


def recatch_refund(scenario: dict) -> Verdict:
    purchased = date.fromisoformat(scenario["purchased_on"])
    requested = date.fromisoformat(scenario["requested_on"])
    digits = MINOR_UNITS.get(scenario["currency"].upper(), 2)
    paid = int(Decimal(scenario["amount_paid"]).scaleb(digits))  # in minor units (cents)
    listed = scenario.get("list_price")
    list_price = paid if listed in (None, "") else int(Decimal(listed).scaleb(digits))
    facts = scenario.get("facts") or {}
    if paid == 0:
        return Verdict("none", _round(0, 1, digits), None, None, "")

    leaves: list[Verdict] = []
    usage = [_answer(facts.get(key, "unknown")) for key in USAGE]
    full_possible = (requested - purchased).days <= 7 and True not in usage
    if full_possible:
        leaves.append(Verdict("full", _round(paid, 1, digits), None, "original_payment_method", RULE_FULL))
    if not full_possible or None in usage:  # the partial rule is reached
        used, term = _used(purchased, requested, 12 if scenario.get("billing") == "annual" else 1)
        raw = paid * term - list_price * used  # over `term`
        amount = min(max(raw, 0), paid * term)
        cash_out = _answer(facts.get("cash_out", False))
        for cashed in ((True, False) if cash_out is None else (cash_out,)):
            if amount == 0:
                leaves.append(Verdict("none", _round(0, 1, digits), None, None, RULE_PARTIAL))
            elif cashed:  # the 10% cash-out fee; the policy does not say where the money goes then
                leaves.append(Verdict("partial", _round(amount * 9, term * 10, digits), None, None, RULE_PARTIAL))
            else:
                leaves.append(Verdict("partial", _round(amount, term, digits), None, "account_balance", RULE_PARTIAL))
    first = leaves[0]
    if all(leaf[:4] == first[:4] for leaf in leaves):
        return first
    destinations = {leaf.destination for leaf in leaves}
    return Verdict("conditional", None, max(leaf.amount for leaf in leaves),
                   destinations.pop() if len(destinations) == 1 else None, "")
