"""By when to ask (refundlib.deadline): checked against asking on every day, for every case's purchase.

The deadline search skips the days on which no verdict can change (the chart's day breaks);
here every day up to the horizon is evaluated instead, for each case in tests/cases, and the
first day whose verdict differs must be the day after ``ask_by.last_day``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import refundlib
from case_files import Case, load_cases
from refundlib.chart import horizon
from refundlib.deadline import _verdict
from refundlib.evaluator import decide
from refundlib.purchase import parse_scenario

CASES = [c for c in load_cases() if c.output is not None]


def first_change(case: Case) -> tuple[date, refundlib.Decision] | None:
    policy = refundlib.get_policy(case.vendor)
    scenario = parse_scenario(policy, case.input)
    holding = _verdict(decide(policy, scenario))
    start = (scenario.requested_on - scenario.purchased_on).days
    for day in range(start + 1, horizon(policy, scenario.product, scenario.purchased_on, scenario.billing) + 1):
        on = scenario.purchased_on + timedelta(days=day)
        later = decide(policy, scenario.on(on))
        if _verdict(later) != holding:
            return on, later
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ask_by_is_the_day_before_the_verdict_first_changes(case: Case) -> None:
    decision = refundlib.evaluate(case.vendor, case.input)
    change = first_change(case)
    if change is None:
        assert decision.ask_by is None
        return
    on, later = change
    assert decision.ask_by is not None, f"the verdict changes on {on}, but no ask_by was given"
    assert decision.ask_by.last_day == on - timedelta(days=1)
    assert decision.ask_by.days_left == (on - timedelta(days=1) - date.fromisoformat(case.input["requested_on"])).days
    assert (decision.ask_by.next_outcome, decision.ask_by.next_amount, decision.ask_by.next_rule) == (
        later.outcome, later.amount, later.rule)


def test_some_cases_have_a_deadline_and_some_do_not() -> None:
    """The check above is only as good as its cases: both kinds must occur."""
    kinds = {refundlib.evaluate(c.vendor, c.input).ask_by is None for c in CASES}
    assert kinds == {True, False}
