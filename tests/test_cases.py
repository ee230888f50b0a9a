"""Every case in tests/cases/*.toml, one test each: the evaluator's decision must match."""

from __future__ import annotations

import pytest

import refundlib
from case_files import Case, check_decision, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    if case.error is not None:
        with pytest.raises(refundlib.RefundlibError) as raised:
            refundlib.evaluate(case.vendor, case.input)
        assert getattr(raised.value, "field", None) == case.error["field"], str(raised.value)
        if "message_contains" in case.error:
            assert case.error["message_contains"] in str(raised.value)
        return
    decision = refundlib.evaluate(case.vendor, case.input).to_dict()
    problems = check_decision(case.output, decision)
    assert not problems, "\n".join(problems)
