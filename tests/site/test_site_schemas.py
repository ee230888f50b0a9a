"""The published JSON Schemas (docs/schemas/) describe what refundlib really takes and returns.

Uses ``jsonschema`` (a dev dependency).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

import refundlib
from case_files import load_cases

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
CASES = [c for c in load_cases() if c.error is None]


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


SCENARIO = validator("scenario.schema.json")
DECISION = validator("decision.schema.json")


def problems(validator: jsonschema.Draft202012Validator, instance: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_input_is_a_valid_scenario(case) -> None:
    assert not problems(SCENARIO, case.input)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_decision_matches_the_schema(case) -> None:
    decision = json.loads(json.dumps(refundlib.evaluate(case.vendor, case.input).to_dict()))
    assert not problems(DECISION, decision)


def test_schema_examples_are_valid_and_evaluate() -> None:
    schema = json.loads((SCHEMAS / "scenario.schema.json").read_text(encoding="utf-8"))
    for example in schema["examples"]:
        assert not problems(SCENARIO, example)
        assert not problems(DECISION, refundlib.evaluate("recatch", example).to_dict())


def test_schema_rejects_what_the_library_rejects() -> None:
    good = {"product": "subscription", "purchased_on": "2026-01-01", "requested_on": "2026-01-02",
            "amount_paid": "10.00", "currency": "USD", "billing": "monthly"}
    assert not problems(SCENARIO, good)
    for bad in ({**good, "amount_paid": 10.5}, {**good, "purchased_on": "1/1/2026"}, {**good, "colour": "red"},
                {**good, "first_payment": "maybe"}, {k: v for k, v in good.items() if k != "product"}):
        assert problems(SCENARIO, bad), bad
        with pytest.raises(refundlib.RefundlibError):
            refundlib.evaluate("recatch", bad)


# -- the examples in the hand-written docs are real ----------------------------------------------

DOCS = SCHEMAS.parent


def json_blocks(name: str) -> list[object]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", text, re.DOTALL)]


def test_method_examples_are_what_the_library_does() -> None:
    blocks = json_blocks("method.md")
    scenarios = [b for b in blocks if isinstance(b, dict) and "purchased_on" in b]
    decisions = [b for b in blocks if isinstance(b, dict) and "outcome" in b]
    assert scenarios and decisions
    for scenario in scenarios:
        assert not problems(SCENARIO, scenario)
    for decision in decisions:
        assert not problems(DECISION, decision)
        actual = refundlib.evaluate(decision["vendor"], scenarios[0]).to_dict()
        scalars = {k: v for k, v in decision.items() if not isinstance(v, (list, dict))}
        assert scalars == {k: actual[k] for k in scalars}
        assert decision["request"] == actual["request"]
        assert all(step in actual["steps"] for step in decision["steps"])
        actual_flags = {f["id"]: f for f in actual["flags"]}
        for flag in decision["flags"]:
            assert flag["text"] == actual_flags[flag["id"]]["text"]
            assert all(q in actual_flags[flag["id"]]["quotes"] for q in flag["quotes"])


def test_embed_permalinks_carry_the_example_scenario() -> None:
    text = (DOCS / "embed.md").read_text(encoding="utf-8")
    (scenario,) = json_blocks("embed.md")
    assert not problems(SCENARIO, scenario)
    encoded = re.findall(r"#s=(%7B[^)\"\s]+)", text)
    assert len(encoded) >= 2
    for value in encoded:
        assert json.loads(unquote(value)) == scenario
    decision = refundlib.evaluate("recatch", scenario)
    assert (str(decision.outcome), str(decision.amount)) == ("partial", "300.00")
