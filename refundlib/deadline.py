"""By when to ask: the last request day on which a verdict still holds, and what follows it.

The same day-break analysis as the refund chart (:func:`refundlib.chart.day_breaks`): a
verdict can change only on the days around the numbers the policy's rules compare the day
count with, and where the paid term ends, unless it reads a value that moves every day (the
used share of the term), in which case each day is evaluated. Nothing here knows a vendor.

The verdict "holds" while its outcome is the same (a partial refund that shrinks each day
still holds: the Decision's amount is what asking on its request day gives; the day it
shrinks to nothing, it becomes "no refund"). The search stops at the chart's horizon: a
verdict that holds until then has no deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .chart import DAILY, day_breaks, horizon
from .decision import Decision
from .evaluator import decide, plan_for
from .model import Outcome, Policy
from .money import format_amount
from .scenario import Scenario


@dataclass(frozen=True, slots=True)
class AskBy:
    """The last day the verdict holds, and the verdict from the day after."""

    last_day: date  # the last request day on which the outcome is still the one decided
    days_left: int  # from the scenario's request day to last_day (0: it is the last day)
    next_outcome: Outcome  # what asking on last_day + 1 gives
    next_amount: Decimal | None
    next_amount_max: Decimal | None
    next_rule: str
    currency: str

    @property
    def next_day(self) -> date:
        return self.last_day + timedelta(days=1)

    @property
    def text(self) -> str:
        """The sentence a purchaser reads (refundlib.words.ask_by_sentence)."""
        from .words import ask_by_sentence

        return ask_by_sentence(last_day=self.last_day.isoformat(), days_left=self.days_left,
                               next_day=self.next_day.isoformat(), next_outcome=self.next_outcome,
                               next_amount=format_amount(self.next_amount),
                               next_amount_max=format_amount(self.next_amount_max), currency=self.currency)

    def to_dict(self) -> dict[str, object]:
        return {"last_day": self.last_day.isoformat(), "days_left": self.days_left,
                "next_day": self.next_day.isoformat(), "next_outcome": str(self.next_outcome),
                "next_amount": format_amount(self.next_amount), "next_amount_max": format_amount(self.next_amount_max),
                "next_rule": self.next_rule, "text": self.text}


def ask_by(policy: Policy, scenario: Scenario, decision: Decision) -> AskBy | None:
    """When ``decision`` (for ``scenario``) stops holding, if it does before the chart's horizon."""
    start = (scenario.requested_on - scenario.purchased_on).days
    last = horizon(policy, scenario.product, scenario.purchased_on, scenario.billing)
    breaks = day_breaks(policy, scenario.product, scenario.purchased_on, scenario.billing)
    daily = breaks is None or (not DAILY.isdisjoint(scenario.computed)
                               and (_tests_read_daily(policy, scenario.product) or _shrinks(decision)))
    candidates = range(start + 1, last + 1) if daily else [b for b in breaks or () if start < b <= last]
    holding = _verdict(decision)
    for day in candidates:
        later = decide(policy, scenario.on(scenario.purchased_on + timedelta(days=day)))
        if _verdict(later) != holding:
            # Between two break days the verdict cannot change, so it held through the day before this one.
            last_day = scenario.purchased_on + timedelta(days=day - 1)
            return AskBy(last_day=last_day, days_left=day - 1 - start, next_outcome=later.outcome,
                         next_amount=later.amount, next_amount_max=later.amount_max, next_rule=later.rule,
                         currency=decision.currency)
    return None


def _tests_read_daily(policy: Policy, product: str) -> bool:
    """Whether a test (not only a formula) reads a value that moves every day: then any day may turn it."""
    _, exclusions, rules = plan_for(policy, product)
    tests = [e.when for e in exclusions] + [f.when for f in policy.fees] + [q.test for r in rules for q in r.requires]
    return any(not DAILY.isdisjoint(test.names) for test in tests)


def _shrinks(decision: Decision) -> bool:
    """A partial refund computed from a daily value can shrink to nothing on any day (then: no refund)."""
    return decision.outcome is Outcome.PARTIAL or any(_shrinks(b.decision) for b in decision.branches)


def _verdict(decision: Decision) -> tuple[object, ...]:
    """What must stay the same for a verdict to hold: its outcome, and each branch's."""
    return decision.outcome, tuple((b.assuming, b.decision.outcome) for b in decision.branches)
