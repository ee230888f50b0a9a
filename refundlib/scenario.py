"""The scenario: a purchaser's situation, validated, and the names policy expressions can read.

A scenario is the JSON-shaped dict shared by the Python API, the CLI and the browser::

    {"product": "subscription", "purchased_on": "2026-01-01", "requested_on": "2026-07-01",
     "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
     "billing": "annual", "first_payment": true, "facts": {"cash_out": "unknown"}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from .errors import ScenarioError
from .exact import Number, exact_number, less
from .expr import BOOL, NUMBER, STRING, Function, Unknown, Value
from .model import Billing, Fact, Policy, Product
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
_FIELD_SET = frozenset(SCENARIO_FIELDS)


def _term_ended(scenario: Scenario) -> bool:
    end = term_end(scenario.purchased_on, scenario.billing)
    return end is not None and scenario.requested_on >= end


# How each built-in name is computed from a scenario (``Scenario.builtin`` caches the result).
_BUILTINS: dict[str, Callable[[Scenario], Value]] = {
    "first_payment": lambda s: Unknown(frozenset({"first_payment"})) if s.first_payment is None else s.first_payment,
    "days_since_purchase": lambda s: s.days_since_purchase,
    "billing": lambda s: str(s.billing),
    "product": lambda s: s.product,
    "amount_paid": lambda s: exact_number(s.amount_paid),
    "list_price": lambda s: exact_number(s.list_price),
    "discounted": lambda s: s.list_price > s.amount_paid,
    "used_fraction": lambda s: used_fraction(s.purchased_on, s.requested_on, s.billing),
    "term_ended": _term_ended,
}
_DATE_DEPENDENT = frozenset({"days_since_purchase", "used_fraction", "term_ended"})


def within_hours_key(hours: Fraction) -> str:
    return f"within_hours:{hours}"


class Scenario(NamedTuple):
    """A validated scenario (made by :func:`parse_scenario`).

    Immutable, as a named tuple rather than a frozen dataclass: one is made per verdict (366 per
    chart), and a frozen dataclass cost three times as much to build under CPython 3.11.
    """

    product: str
    purchased_on: date
    requested_on: date
    amount_paid: Decimal
    list_price: Decimal
    currency: str
    billing: Billing
    first_payment: bool | None  # None: not known
    facts: Mapping[str, bool | Decimal | None]  # None: answered "unknown"
    # The built-in names' values, computed on first use: a cache, not data (equality ignores it).
    # An evaluation reads them several times (each test, each step's detail, again in every fork).
    computed: dict[str, Value]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and tuple.__eq__(self[:-1], other[:-1])

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # facts is a dict

    @property
    def days_since_purchase(self) -> int:
        return (self.requested_on - self.purchased_on).days

    def builtin(self, name: str) -> Value:
        value = self.computed.get(name)
        if value is None:
            value = self.computed[name] = _BUILTINS[name](self)
        return value

    def on(self, requested_on: date) -> Scenario:
        """The same purchase asked about on another day (no validation: the caller checks the date).

        Values that do not depend on the request date are carried over, already computed.
        """
        kept = {k: v for k, v in self.computed.items() if k not in _DATE_DEPENDENT}
        return Scenario(self.product, self.purchased_on, requested_on, self.amount_paid, self.list_price,
                        self.currency, self.billing, self.first_payment, self.facts, kept)

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


def within_hours(days: int, hours: Number) -> Value:
    """Whether a request made on day ``days`` came within ``hours`` of the purchase, if the dates say.

    Dates carry no time of day: on day d the elapsed time lies between (d-1)*24 and (d+1)*24
    hours, so near the limit the answer is :class:`Unknown` (keyed by :func:`within_hours_key`).
    """
    if not less(hours, (days + 1) * 24):
        return True
    if not less(max(days - 1, 0) * 24, hours):
        return False
    return Unknown(frozenset({within_hours_key(hours)}))


def _min(a: Number, b: Number) -> Number:
    return b if less(b, a) else a


def _max(a: Number, b: Number) -> Number:
    return b if less(a, b) else a


# The expression language's functions: signature and implementation. ``within_hours`` depends on
# the scenario, so the evaluator supplies it per evaluation (this entry is its signature only).
FUNCTION_SIGNATURES: dict[str, Function] = {
    "within_hours": Function((NUMBER,), BOOL, lambda hours: None),
    "min": Function((NUMBER, NUMBER), NUMBER, _min),
    "max": Function((NUMBER, NUMBER), NUMBER, _max),
}


def parse_date(value: object, field: str) -> date:
    # (``x.__class__ is str`` before ``isinstance``: scenarios are parsed once per verdict, and the
    # checks of the common, well-formed case were a third of the parsing time.)
    if value.__class__ is str and len(value) == 10:  # type: ignore[arg-type]
        try:
            return date.fromisoformat(value)  # type: ignore[arg-type]
        except ValueError:
            pass
    elif isinstance(value, date):
        return value
    raise ScenarioError(field, "a date as YYYY-MM-DD", value)


def _parse_tristate(value: object, field: str) -> bool | None:
    if value is True or value is False:
        return value  # type: ignore[return-value]
    if value == UNKNOWN:
        return None
    raise ScenarioError(field, 'true, false or "unknown"', value)


def _billings(policy: Policy, product: Product) -> dict[str, Billing]:
    """How ``product`` may be billed, by name (worked out once per policy and product)."""
    known = policy.memo("billings")
    found = known.get(product.id)
    if found is None:
        found = known[product.id] = {str(b): b for b in product.billing}
    return found  # type: ignore[return-value]


def parse_scenario(policy: Policy, raw: object, *, lenient_facts: bool = False) -> Scenario:
    """Validate a scenario against a policy; raise :class:`ScenarioError` naming the first bad field.

    With ``lenient_facts`` (used by ``compare``), facts this policy does not define are ignored
    instead of refused, since one situation is put to every vendor.
    """
    if raw.__class__ is not dict and not isinstance(raw, Mapping):
        raise ScenarioError("scenario", "a JSON object", type(raw).__name__)
    if not _FIELD_SET.issuperset(raw):
        extra = sorted(set(raw) - _FIELD_SET)
        raise ScenarioError(extra[0], f"one of the scenario fields: {', '.join(SCENARIO_FIELDS)}")

    products: dict[str, Product] = policy.index("products")  # type: ignore[assignment]
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

    allowed = _billings(policy, product)
    billing = raw.get("billing", product.billing[0] if len(allowed) == 1 else None)
    if not isinstance(billing, str) or billing not in allowed:
        raise ScenarioError("billing", f"one of {', '.join(allowed)} for {product.name}", billing)

    first_payment = _parse_tristate(raw.get("first_payment", UNKNOWN), "first_payment")

    given = raw.get("facts", {})
    if given.__class__ is not dict and not isinstance(given, Mapping):
        raise ScenarioError("facts", "an object mapping fact ids to answers", type(given).__name__)
    known: dict[str, Fact] = policy.index("facts")  # type: ignore[assignment]
    facts: dict[str, bool | Decimal | None] = {}
    for fact_id, answer in given.items():
        fact = known.get(fact_id)
        if fact is None:
            if lenient_facts:
                continue
            raise ScenarioError(f"facts.{fact_id}", f"one of the facts of {policy.name}: {', '.join(known)}")
        if fact.type == "bool":
            facts[fact_id] = answer if answer is True or answer is False else _parse_tristate(answer, f"facts.{fact_id}")
        else:
            facts[fact_id] = parse_amount(answer, f"facts.{fact_id}")
    return Scenario(product_id, purchased_on, requested_on, amount_paid, list_price, currency,
                    allowed[billing], first_payment, facts, {})
