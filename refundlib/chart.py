"""Refund over time: what one purchase would get back, for each day the refund could be requested.

:func:`refund_series` puts the same scenario to the evaluator once per request day,
``requested_on = purchased_on + d`` for d = 0 … the last day, and keeps each verdict's
outcome and amounts: the chart's data *is* the evaluator's data. The last day is

- annual and monthly billing: the end of the paid term (365 or 366 days; 28 to 31 days),
  the day the term has been wholly used;
- one-time purchases: 90 days, or 30 days past the longest window the policy's rules and
  exclusions test (``days_since_purchase`` compared with a number, ``within_hours(N)``),
  when that is later.

Each point is classed for drawing: an *entitlement* (a full or partial refund of an exact
amount), an *upper bound* (a partial refund the policy does not let us compute exactly),
*discretionary* (the vendor may refund), *conditional* (it depends on an answer given as
"unknown"; plotted at its ``amount_max``, the most any branch gives) or *none*.
:func:`refundlib.chart_svg.render_svg` draws the series.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from math import floor
from typing import NamedTuple

from .compare import pick_product
from .decision import Decision
from .errors import FieldRangeError, FieldRelationError, MissingFieldError
from .evaluator import decide, plan_for
from .exprwalk import day_thresholds, window_days
from .model import Billing, Outcome, Policy
from .money import format_amount
from .periods import term_end
from .purchase import check_situation, parse_scenario
from .registry import all_policies, get_policy

ONE_TIME_DAYS = 90
PAST_LONGEST_WINDOW = 30


class PointKind(enum.StrEnum):
    ENTITLEMENT = "entitlement"  # full, or partial with an exact amount
    UPPER_BOUND = "upper_bound"  # partial, but only its upper bound is known
    DISCRETIONARY = "discretionary"  # the vendor may refund, up to amount_max
    CONDITIONAL = "conditional"  # depends on an unknown answer; amount_max is the most any branch gives
    NONE = "none"


UNCERTAIN = frozenset({PointKind.UPPER_BOUND, PointKind.DISCRETIONARY, PointKind.CONDITIONAL})


_KIND_OF = {Outcome.DISCRETIONARY: PointKind.DISCRETIONARY, Outcome.CONDITIONAL: PointKind.CONDITIONAL,
            Outcome.NONE: PointKind.NONE}
_EXACT_OR_BOUND = {Outcome.FULL, Outcome.PARTIAL}


def point_kind(decision: Decision) -> PointKind:
    if decision.outcome in _EXACT_OR_BOUND:
        return PointKind.ENTITLEMENT if decision.amount is not None else PointKind.UPPER_BOUND
    return _KIND_OF[decision.outcome]


class Point(NamedTuple):
    """One request day of a series (a named tuple: a series makes hundreds; see
    :class:`~refundlib.decision.Decision`)."""

    day: int
    requested_on: date
    outcome: Outcome
    amount: Decimal | None
    amount_max: Decimal | None
    kind: PointKind
    rule: str

    @property
    def value(self) -> Decimal | None:
        """The amount drawn: exact for entitlements and none, the upper bound otherwise (None: not known)."""
        if self.kind == PointKind.NONE:
            return self.amount if self.amount is not None else Decimal(0)
        if self.kind == PointKind.ENTITLEMENT:
            return self.amount
        return self.amount_max

    def to_dict(self) -> dict[str, object]:
        return {"day": self.day, "requested_on": self.requested_on.isoformat(), "outcome": str(self.outcome),
                "amount": format_amount(self.amount), "amount_max": format_amount(self.amount_max),
                "kind": str(self.kind), "value": format_amount(self.value), "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Series:
    vendor: str
    name: str
    product: str
    product_name: str
    currency: str
    amount_paid: Decimal
    billing: Billing
    purchased_on: date
    points: tuple[Point, ...]

    @property
    def last_day(self) -> int:
        return self.points[-1].day

    def to_dict(self) -> dict[str, object]:
        return {"vendor": self.vendor, "name": self.name, "product": self.product, "product_name": self.product_name,
                "currency": self.currency, "amount_paid": format_amount(self.amount_paid), "billing": str(self.billing),
                "purchased_on": self.purchased_on.isoformat(),
                "last_day": self.last_day, "points": [p.to_dict() for p in self.points]}


def horizon(policy: Policy, product: str, purchased_on: date, billing: Billing) -> int:
    """The last request day charted by default (see the module docstring)."""
    end = term_end(purchased_on, str(billing))
    if end is not None:
        return (end - purchased_on).days
    _, exclusions, rules = plan_for(policy, product)
    tests = [q.test for r in rules for q in r.requires] + [e.when for e in exclusions]
    longest = max((d for test in tests for d in window_days(test)), default=0)
    return max(ONE_TIME_DAYS, longest + PAST_LONGEST_WINDOW)


# Built-in values that change from one request day to the next (days_since_purchase and
# term_ended change only where day_breaks says).
DAILY = frozenset({"used_fraction"})


def day_breaks(policy: Policy, product: str, purchased_on: date, billing: Billing) -> list[int] | None:
    """The request days on which a verdict may differ from the day before, as far as the day count goes.

    Every test the policy applies to ``product`` that reads the day count compares it with a
    number (or asks ``within_hours(N)``); the result of such a test can only turn on the days
    around that number, and ``term_ended`` on the day the term ends. Between two of these days,
    a verdict that read no other day-dependent value is the same (:func:`refund_series` relies
    on it; tests compare with evaluating every day). None if some expression reads the day
    count otherwise: then every day is evaluated.
    """
    found: set[int] = {0, 1, 2}
    _, exclusions, rules = plan_for(policy, product)
    expressions = [e.when for e in exclusions] + [f.when for f in policy.fees]
    for rule in rules:
        expressions += [q.test for q in rule.requires] + [x for x in (rule.amount, rule.amount_max) if x]
    for expression in expressions:
        thresholds = day_thresholds(expression)
        if thresholds is None:
            return None
        for threshold in thresholds:
            whole = floor(threshold)
            found.update((whole, whole + 1, whole + 2))
    end = term_end(purchased_on, str(billing))
    if end is not None:
        ended = (end - purchased_on).days
        found.update((ended - 1, ended, ended + 1))
    return sorted(day for day in found if day > 0)


def refund_series(policy: Policy, scenario_base: Mapping[str, object], days: int | None = None, *,
                  lenient_facts: bool = False) -> Series:
    """Evaluate ``scenario_base`` for every request day 0 … ``days`` (default: :func:`horizon`).

    ``requested_on`` in ``scenario_base`` is ignored. Raises :class:`ScenarioError` for bad input.
    """
    purchase_day = {**scenario_base, "requested_on": scenario_base.get("purchased_on")}
    parsed = parse_scenario(policy, purchase_day, lenient_facts=lenient_facts)
    if days is None:
        days = horizon(policy, parsed.product, parsed.purchased_on, parsed.billing)
    elif isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3660:
        raise FieldRangeError("days", "a whole number of days from 0 to 3660", days)
    breaks = day_breaks(policy, parsed.product, parsed.purchased_on, parsed.billing)
    points: list[Point] = []
    day = 0
    while day <= days:
        # What evaluate() does for {**scenario_base, "requested_on": on}, without validating the
        # same scenario 366 times: only the request date differs from the one parsed above.
        scenario = parsed.on(parsed.purchased_on + timedelta(days=day))
        decision = decide(policy, scenario)
        # The same verdict holds until the next day where a test of the day count can turn, unless
        # the verdict read a value that moves every day (the used share of the term).
        if breaks is None or not DAILY.isdisjoint(scenario.computed):
            until = day + 1
        else:
            until = min(next((b for b in breaks if b > day), days + 1), days + 1)
        kind = point_kind(decision)
        for same in range(day, until):
            points.append(Point(same, parsed.purchased_on + timedelta(days=same), decision.outcome, decision.amount,
                                decision.amount_max, kind, decision.rule))
        day = until
    return Series(policy.id, policy.name, parsed.product, policy.product(parsed.product).name, parsed.currency,
                  parsed.amount_paid, parsed.billing, parsed.purchased_on, tuple(points))


def chart_series(vendor_ids: Sequence[str], scenario: Mapping[str, object], days: int | None = None) -> list[Series]:
    """One series per vendor for one situation, picking each vendor's product as ``compare`` does.

    The scenario may name the product per vendor (``"products": {"kino": "pro_annual"}``); facts a
    vendor does not define are ignored for it. A vendor selling nothing that fits is an error.
    """
    if isinstance(vendor_ids, str) or not vendor_ids:
        raise MissingFieldError("vendors", "at least one vendor id")
    policies = [get_policy(vendor_id) for vendor_id in dict.fromkeys(vendor_ids)]
    check_situation(scenario, policies, requested=False, askers=all_policies())
    result = []
    for policy in policies:
        product = pick_product(policy, scenario)
        if product is None:
            raise FieldRelationError(f"products.{policy.id}",
                                     f"a product of {policy.name}: it sells nothing billed {scenario.get('billing')}")
        single = {k: v for k, v in scenario.items() if k != "products"} | {"product": product}
        result.append(refund_series(policy, single, days, lenient_facts=True))
    return result


def plain_answers(policy: Policy, product: str) -> dict[str, bool | str]:
    """Every question ``policy`` asks about ``product`` that has no default, answered "no" (or 0).

    Yes/no questions are answered ``False`` and number questions ``"0"``: the purchase was not
    used, nothing went wrong (no duplicate charge, no error, no abuse), nothing extra was bought
    and the purchaser chooses nothing that costs a fee. A question with a default keeps it (the
    policy file's own reading), and a question asked only about other products is left out.
    Overlay a scenario's own ``facts`` on the result to answer some questions otherwise.
    """
    return {fact.id: False if fact.type == "bool" else "0" for fact in policy.facts
            if fact.default is None and (not fact.products or product in fact.products)}
