"""The floor for the evaluator: reCatch's refund rules written directly as one plain Python function.

Same input as ``refundlib.evaluate("recatch", scenario)`` (the JSON-shaped scenario dict),
validated to the same contract (a bad field is refused with an error naming it: the project's
standard for any input, so a real hand-written function has to do it too), the same verdict
out (outcome, amount, amount_max, destination, rule) as a small result object, and nothing
else: no policy data, no expression language, no explanation, no flags or summary. This is
the fastest honest way to answer a reCatch question in Python, so ``evaluate`` / this
function is the evaluator's overhead factor. (``recatch_refund_unchecked`` skips the
validation; the benchmark reports the ratio against it too.)

The rules (refundlib/policies/recatch.toml):

- full refund to the original payment method within 7 days of subscribing if none of the
  three usage criteria holds;
- otherwise a partial refund into the deposit: amount paid - list price x share of the term
  used (calendar months plus the days of the current month), kept between 0 and the amount
  paid; 10% off if the deposit is cashed out (then the destination is not stated); a partial
  refund of 0 is no refund;
- an answer of "unknown" (or a usage question left unanswered) gives every verdict it could
  lead to: one verdict if they agree, else "conditional" with the largest amount as amount_max.

Standard library only, plus refundlib's table of ISO 4217 currencies and their minor units;
it also runs under Pyodide (bench/pyodide_series.py).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from refundlib.money import MINOR_UNITS  # ISO 4217 facts about currencies, not policy data

USAGE = ("one_time_copy_used", "ongoing_pages_used", "workflows_used")
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


class BadField(ValueError):
    """A scenario field the floor refuses: ``field``, then what was expected."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: expected {expected}")
        self.field = field


FIELDS = frozenset({"product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency", "billing",
                    "first_payment", "facts"})
FACTS = frozenset({*USAGE, "cash_out"})
_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _date(scenario: dict, field: str) -> date:
    value = scenario.get(field)
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadField(field, "a date as YYYY-MM-DD")


def _amount(scenario: dict, field: str) -> Decimal:
    value = scenario.get(field)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not _AMOUNT.fullmatch(str(value).strip()):
        raise BadField(field, 'a decimal amount as a string, such as "49.00"')
    amount = Decimal(str(value).strip())
    if amount < 0:
        raise BadField(field, "an amount of zero or more")
    return amount


def _minor_units(amount: Decimal, field: str, digits: int) -> int:
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise BadField(field, "an amount in the currency's minor unit")
    return int(scaled)


def _tristate(value: object, field: str) -> bool | None:
    if value is True or value is False:
        return value
    if value == "unknown":
        return None
    raise BadField(field, 'true, false or "unknown"')


def validate(scenario: object) -> tuple[date, date, int, int, int, bool, dict]:
    """Check a reCatch scenario field by field, in refundlib's order; return what the rules read."""
    if not isinstance(scenario, dict):
        raise BadField("scenario", "a JSON object")
    for key in scenario:
        if key not in FIELDS:
            raise BadField(key, "one of the scenario fields")
    if scenario.get("product") != "subscription":
        raise BadField("product", "one of subscription for reCatch")
    purchased, requested = _date(scenario, "purchased_on"), _date(scenario, "requested_on")
    if requested < purchased:
        raise BadField("requested_on", "a date on or after purchased_on")
    paid_amount = _amount(scenario, "amount_paid")
    listed = scenario.get("list_price")
    list_amount = paid_amount if listed in (None, "") else _amount(scenario, "list_price")
    if list_amount < paid_amount:
        raise BadField("list_price", "the price before any discount, at least amount_paid")
    currency = scenario.get("currency")
    if not isinstance(currency, str) or currency.upper() not in MINOR_UNITS:
        raise BadField("currency", "an ISO 4217 currency code")
    digits = MINOR_UNITS[currency.upper()]
    paid = _minor_units(paid_amount, "amount_paid", digits)  # in minor units (cents)
    list_price = _minor_units(list_amount, "list_price", digits)
    billing = scenario.get("billing")
    if billing not in ("monthly", "annual"):
        raise BadField("billing", "one of monthly, annual for reCatch subscription")
    _tristate(scenario.get("first_payment", "unknown"), "first_payment")
    facts = scenario.get("facts", {})
    if not isinstance(facts, dict):
        raise BadField("facts", "an object mapping fact ids to answers")
    for key, answer in facts.items():
        if key not in FACTS:
            raise BadField(f"facts.{key}", "one of the facts of reCatch: " + ", ".join(sorted(FACTS)))
        _tristate(answer, f"facts.{key}")
    return purchased, requested, digits, paid, list_price, billing == "annual", facts


def recatch_refund(scenario: dict) -> Verdict:
    """reCatch's verdict for a scenario, refusing a bad field as refundlib does (:class:`BadField`)."""
    return _verdict(*validate(scenario))


def recatch_refund_unchecked(scenario: dict) -> Verdict:
    """The same verdict for a well-formed scenario, reading the fields without checking them."""
    digits = MINOR_UNITS[scenario["currency"].upper()]
    paid = int(Decimal(scenario["amount_paid"]).scaleb(digits))
    listed = scenario.get("list_price")
    return _verdict(date.fromisoformat(scenario["purchased_on"]), date.fromisoformat(scenario["requested_on"]),
                    digits, paid, paid if listed in (None, "") else int(Decimal(listed).scaleb(digits)),
                    scenario.get("billing") == "annual", scenario.get("facts") or {})


def _verdict(purchased: date, requested: date, digits: int, paid: int, list_price: int, annual: bool,
             facts: dict) -> Verdict:
    if paid == 0:
        return Verdict("none", _round(0, 1, digits), None, None, "")

    leaves: list[Verdict] = []
    usage = [_answer(facts.get(key, "unknown")) for key in USAGE]
    full_possible = (requested - purchased).days <= 7 and True not in usage
    if full_possible:
        leaves.append(Verdict("full", _round(paid, 1, digits), None, "original_payment_method", RULE_FULL))
    if not full_possible or None in usage:  # the partial rule is reached
        used, term = _used(purchased, requested, 12 if annual else 1)
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
