"""The scenario as a value, and the names policy expressions can read from it.

:class:`Scenario` is a purchase already validated (by :func:`refundlib.purchase.parse_scenario`,
the one place that reads scenario JSON). :data:`BUILTINS` is the one table of the built-in
names every policy expression may read besides the policy's own facts: name, type, how it is
computed, whether it depends on the request date, and what it means (docs/policy-format.md
lists them; a test keeps the two alike).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .exact import Number, exact_number, less
from .expr import BOOL, NUMBER, STRING, Function, Unknown, Value
from .model import Billing
from .periods import term_end, used_fraction

UNKNOWN = "unknown"


def _term_ended(scenario: Scenario) -> bool:
    end = term_end(scenario.purchased_on, scenario.billing)
    return end is not None and scenario.requested_on >= end


@dataclass(frozen=True, slots=True)
class Builtin:
    """A name every policy expression may read, computed from the scenario."""

    name: str
    type: str  # BOOL, NUMBER or STRING
    compute: Callable[[Scenario], Value]
    date_dependent: bool  # changes with requested_on (a chart recomputes it for every request day)
    doc: str  # what it means, for docs/policy-format.md


BUILTINS: tuple[Builtin, ...] = (
    Builtin(name="days_since_purchase", type=NUMBER, compute=lambda s: s.days_since_purchase, date_dependent=True,
            doc="whole days from purchased_on to requested_on"),
    Builtin(name="first_payment", type=BOOL, date_dependent=False,
            compute=lambda s: Unknown(frozenset({"first_payment"})) if s.first_payment is None else s.first_payment,
            doc="the first payment of the subscription, not a renewal (unknown unless answered)"),
    Builtin(name="billing", type=STRING, compute=lambda s: str(s.billing), date_dependent=False,
            doc='how the product was billed: "monthly", "annual" or "one_time"'),
    Builtin(name="product", type=STRING, compute=lambda s: s.product, date_dependent=False,
            doc="the product id"),
    Builtin(name="amount_paid", type=NUMBER, compute=lambda s: exact_number(s.amount_paid), date_dependent=False,
            doc="what was paid, after any discount"),
    Builtin(name="list_price", type=NUMBER, compute=lambda s: exact_number(s.list_price), date_dependent=False,
            doc="the price before any discount (the amount paid when not given)"),
    Builtin(name="discounted", type=BOOL, compute=lambda s: s.list_price > s.amount_paid, date_dependent=False,
            doc="list_price is above amount_paid"),
    Builtin(name="used_fraction", type=NUMBER, date_dependent=True,
            compute=lambda s: used_fraction(s.purchased_on, s.requested_on, s.billing),
            doc="share of the paid term used: whole calendar months plus the days of the current month"),
    Builtin(name="term_ended", type=BOOL, compute=_term_ended, date_dependent=True,
            doc="the paid term (a month or a year) has ended by requested_on"),
)
# Views of the table: name -> type (for checking expressions), name -> entry (for computing).
BUILTIN_NAMES: dict[str, str] = {b.name: b.type for b in BUILTINS}
_BUILTINS: dict[str, Builtin] = {b.name: b for b in BUILTINS}
_DATE_DEPENDENT = frozenset(b.name for b in BUILTINS if b.date_dependent)


def within_hours_key(hours: Number) -> str:
    return f"within_hours:{hours}"


class Scenario(NamedTuple):
    """A validated scenario (made by :func:`refundlib.purchase.parse_scenario`).

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

    def __hash__(self) -> int:
        # Unhashable, like its facts and its cache (both dicts); a named tuple's body cannot set
        # ``__hash__ = None`` (NamedTuple takes each assignment for a field).
        raise TypeError(f"unhashable type: {type(self).__name__!r}")

    @property
    def days_since_purchase(self) -> int:
        return (self.requested_on - self.purchased_on).days

    def builtin(self, name: str) -> Value:
        value = self.computed.get(name)
        if value is None:
            value = self.computed[name] = _BUILTINS[name].compute(self)
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


def _signature_only(hours: Number) -> Value:
    raise TypeError("within_hours() depends on the scenario: the evaluator supplies it for each evaluation")


# The expression language's functions: signature and implementation. ``within_hours`` depends on
# the scenario, so the evaluator supplies it per evaluation (this entry is its signature only).
FUNCTION_SIGNATURES: dict[str, Function] = {
    "within_hours": Function((NUMBER,), BOOL, _signature_only),
    "min": Function((NUMBER, NUMBER), NUMBER, _min),
    "max": Function((NUMBER, NUMBER), NUMBER, _max),
}
