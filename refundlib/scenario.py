"""The scenario: a purchaser's situation, validated, and the names policy expressions can read.

A scenario is the JSON-shaped dict shared by the Python API, the CLI and the browser::

    {"product": "subscription", "purchased_on": "2026-01-01", "requested_on": "2026-07-01",
     "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
     "billing": "annual", "first_payment": true, "facts": {"cash_out": "unknown"}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .errors import ScenarioError
from .expr import BOOL, NUMBER, STRING, Function, Unknown, Value
from .model import Billing, Policy
from .money import check_minor_unit, parse_amount, parse_currency
from .periods import term_end, used_fraction

UNKNOWN = "unknown"

# Names every policy expression may read, besides the policy's own facts.
BUILTIN_NAMES: dict[str, str] = {
    "days_since_purchase": NUMBER,
    "first_payment": BOOL,
    "billing": STRING,
    "product": STRING,
    "amount_paid": NUMBER,
    "list_price": NUMBER,
    "discounted": BOOL,
    "used_fraction": NUMBER,
    "term_ended": BOOL,
}

SCENARIO_FIELDS = ("product", "purchased_on", "requested_on", "amount_paid", "list_price",
                   "currency", "billing", "first_payment", "facts")


def within_hours_key(hours: Fraction) -> str:
    return f"within_hours:{hours}"


@dataclass(frozen=True, slots=True)
class Scenario:
    product: str
    purchased_on: date
    requested_on: date
    amount_paid: Decimal
    list_price: Decimal
    currency: str
    billing: Billing
    first_payment: bool | None  # None: not known
    facts: Mapping[str, bool | Decimal | None]  # None: answered "unknown"
    # The built-in names' values, computed on first use: a cache, not data. An evaluation reads
    # them several times (each test, then each step's detail, then again in every fork), and
    # used_fraction's calendar arithmetic was the largest single cost (see docs/performance.md).
    _values: dict[str, Value] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def days_since_purchase(self) -> int:
        return (self.requested_on - self.purchased_on).days

    def builtin(self, name: str) -> Value:
        value = self._values.get(name)
        if value is None:
            value = self._values[name] = self._builtin(name)
        return value

    def _builtin(self, name: str) -> Value:
        if name == "first_payment":
            return Unknown(frozenset({"first_payment"})) if self.first_payment is None else self.first_payment
        if name == "days_since_purchase":
            return Fraction(self.days_since_purchase)
        if name == "billing":
            return str(self.billing)
        if name == "product":
            return self.product
        if name == "amount_paid":
            return Fraction(self.amount_paid)
        if name == "list_price":
            return Fraction(self.list_price)
        if name == "discounted":
            return self.list_price > self.amount_paid
        if name == "used_fraction":
            return used_fraction(self.purchased_on, self.requested_on, self.billing)
        if name == "term_ended":
            end = term_end(self.purchased_on, self.billing)
            return end is not None and self.requested_on >= end
        raise KeyError(name)

    def to_dict(self) -> dict[str, object]:
        return {
            "product": self.product,
            "purchased_on": self.purchased_on.isoformat(),
            "requested_on": self.requested_on.isoformat(),
            "amount_paid": f"{self.amount_paid:f}",
            "list_price": f"{self.list_price:f}",
            "currency": self.currency,
            "billing": str(self.billing),
            "first_payment": UNKNOWN if self.first_payment is None else self.first_payment,
            "facts": {k: _fact_to_json(v) for k, v in sorted(self.facts.items())},
        }


def _fact_to_json(value: bool | Decimal | None) -> object:
    if value is None:
        return UNKNOWN
    return value if isinstance(value, bool) else f"{value:f}"


def _within_hours(days: int):
    def call(hours: Fraction) -> Value:
        # Dates carry no time of day: on day d the elapsed time lies between (d-1)*24 and (d+1)*24 hours.
        if (days + 1) * 24 <= hours:
            return True
        if max(days - 1, 0) * 24 >= hours:
            return False
        return Unknown(frozenset({within_hours_key(hours)}))

    return call


FUNCTION_SIGNATURES: dict[str, Function] = {
    "within_hours": Function((NUMBER,), BOOL, lambda hours: None),
    "min": Function((NUMBER, NUMBER), NUMBER, min),
    "max": Function((NUMBER, NUMBER), NUMBER, max),
}


def functions_for(scenario: Scenario) -> dict[str, Function]:
    return {**FUNCTION_SIGNATURES,
            "within_hours": Function((NUMBER,), BOOL, _within_hours(scenario.days_since_purchase))}


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ScenarioError(field, "a date as YYYY-MM-DD", value)


def _parse_tristate(value: object, field: str) -> bool | None:
    if isinstance(value, bool):
        return value
    if value == UNKNOWN:
        return None
    raise ScenarioError(field, 'true, false or "unknown"', value)


def parse_scenario(policy: Policy, raw: object, *, lenient_facts: bool = False) -> Scenario:
    """Validate a scenario against a policy; raise :class:`ScenarioError` naming the first bad field.

    With ``lenient_facts`` (used by ``compare``), facts this policy does not define are ignored
    instead of refused, since one situation is put to every vendor.
    """
    if not isinstance(raw, Mapping):
        raise ScenarioError("scenario", "a JSON object", type(raw).__name__)
    extra = sorted(set(raw) - set(SCENARIO_FIELDS))
    if extra:
        raise ScenarioError(extra[0], f"one of the scenario fields: {', '.join(SCENARIO_FIELDS)}")

    products = {p.id: p for p in policy.products}
    product_id = raw.get("product")
    if not isinstance(product_id, str) or product_id not in products:
        raise ScenarioError("product", f"one of {', '.join(products)} for {policy.name}", product_id)
    product = products[product_id]

    purchased_on = parse_date(raw.get("purchased_on"), "purchased_on")
    requested_on = parse_date(raw.get("requested_on"), "requested_on")
    if requested_on < purchased_on:
        raise ScenarioError("requested_on", f"a date on or after purchased_on ({purchased_on})", str(requested_on))

    if "amount_paid" not in raw:
        raise ScenarioError("amount_paid", 'a decimal amount as a string, such as "49.00"')
    amount_paid = parse_amount(raw["amount_paid"], "amount_paid")
    list_price = amount_paid if raw.get("list_price") in (None, "") else parse_amount(raw["list_price"], "list_price")
    if list_price < amount_paid:
        raise ScenarioError("list_price", f"the price before any discount, at least amount_paid ({amount_paid})",
                            raw.get("list_price"))
    currency = parse_currency(raw.get("currency"))
    check_minor_unit(amount_paid, currency, "amount_paid")
    check_minor_unit(list_price, currency, "list_price")
    if not product.charged and amount_paid != 0:
        raise ScenarioError("amount_paid", f"0: {product.name} is never charged; pick the product you paid for",
                            raw.get("amount_paid"))

    allowed = [str(b) for b in product.billing]
    billing = raw.get("billing", allowed[0] if len(allowed) == 1 else None)
    if billing not in allowed:
        raise ScenarioError("billing", f"one of {', '.join(allowed)} for {product.name}", billing)

    first_payment = _parse_tristate(raw.get("first_payment", UNKNOWN), "first_payment")

    given = raw.get("facts", {})
    if not isinstance(given, Mapping):
        raise ScenarioError("facts", "an object mapping fact ids to answers", type(given).__name__)
    known = {f.id: f for f in policy.facts}
    facts: dict[str, bool | Decimal | None] = {}
    for fact_id, answer in given.items():
        fact = known.get(fact_id)
        if fact is None:
            if lenient_facts:
                continue
            raise ScenarioError(f"facts.{fact_id}", f"one of the facts of {policy.name}: {', '.join(known)}")
        field = f"facts.{fact_id}"
        if fact.type == "bool":
            facts[fact_id] = _parse_tristate(answer, field)
        else:
            facts[fact_id] = parse_amount(answer, field)
    return Scenario(product_id, purchased_on, requested_on, amount_paid, list_price, currency,
                    Billing(billing), first_payment, facts)
