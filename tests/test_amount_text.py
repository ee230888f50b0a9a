"""Amounts as typed on the form (refundlib.amount_text), from the cases in tests/amount_texts.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from refundlib import ScenarioError
from refundlib.amount_text import read_amount

CASES = tomllib.loads((Path(__file__).parent / "amount_texts.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["read"], ids=[f"{c['text']} ({c['currency']})" for c in CASES["read"]])
def test_amount_is_read(case: dict[str, Any]) -> None:
    reading = read_amount(case["text"], "amount_paid", case["currency"])
    assert (reading.amount, reading.currency) == (case["amount"], case.get("named"))
    if case.get("understood"):
        assert case["understood"] in reading.understood
    else:
        assert reading.understood == ""


@pytest.mark.parametrize("case", CASES["refused"], ids=[repr(c["text"]) for c in CASES["refused"]])
def test_amount_is_refused_naming_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError) as raised:
        read_amount(case["text"], "amount_paid", case.get("currency", "USD"))
    assert raised.value.field == "amount_paid"
    assert case["says"] in str(raised.value)
