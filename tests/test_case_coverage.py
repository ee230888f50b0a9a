"""Every vendor's rules are exercised by its case file: what CI asks of a new vendor.

A vendor file (refundlib/policies/<id>.toml) needs a case file (tests/cases/<id>.toml). In it,
every rule and exclusion must decide at least one case (at the top or in a branch), and every
window a rule tests (``days_since_purchase <= N``, ``within_hours(H)``) must have a case on its
last day and one on the day after, for a product the rule applies to. The vendor set is read
from the files, so adding a vendor needs no change here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

import refundlib
from case_files import CASES_DIR, Case, load_cases
from refundlib.decision import Decision
from refundlib.exprwalk import window_days

VENDORS = refundlib.vendor_ids()
CASES = load_cases()


def cases_of(vendor: str) -> list[Case]:
    return [c for c in CASES if c.vendor == vendor and c.output is not None]


def deciders(decision: Decision) -> Iterator[str]:
    """The rule or exclusion that decided, and those that decided each branch."""
    if decision.rule:
        yield decision.rule
    for branch in decision.branches:
        yield from deciders(branch.decision)


def day_count(case: Case) -> int:
    return (date.fromisoformat(case.input["requested_on"]) - date.fromisoformat(case.input["purchased_on"])).days


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_vendor_has_a_case_file(vendor: str) -> None:
    path = CASES_DIR / f"{vendor}.toml"
    assert path.is_file(), f"refundlib/policies/{vendor}.toml has no case file: write tests/cases/{vendor}.toml"
    assert cases_of(vendor), f"tests/cases/{vendor}.toml has no case with an output"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_rule_and_exclusion_decides_a_case(vendor: str) -> None:
    policy = refundlib.get_policy(vendor)
    decided = {rule for case in cases_of(vendor) for rule in deciders(refundlib.evaluate(vendor, case.input))}
    undecided = [entry.id for entry in (*policy.exclusions, *policy.rules) if entry.id not in decided]
    assert not undecided, f"tests/cases/{vendor}.toml: no case is decided by {', '.join(undecided)}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_window_has_a_case_on_its_last_day_and_the_day_after(vendor: str) -> None:
    policy = refundlib.get_policy(vendor)
    missing: list[str] = []
    for rule in policy.rules:
        days_tested = {day_count(c) for c in cases_of(vendor)
                       if not rule.products or c.input["product"] in rule.products}
        for requirement in rule.requires:
            for last_day in window_days(requirement.test):
                missing += [f"{rule.id}: day {day}" for day in (last_day, last_day + 1) if day not in days_tested]
    assert not missing, f"tests/cases/{vendor}.toml: no case on {'; '.join(sorted(set(missing)))}"
