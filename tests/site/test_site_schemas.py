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
from bad_input_cases import bad_inputs
from case_files import load_cases
from refundlib.errors import ErrorKind
from refundlib.model import Billing
from refundlib.purchase import REQUIRED_FIELDS, SCENARIO_FIELDS
from refundlib.purchase_fields import (
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    SCHEMA_AMOUNT_PATTERN,
    SCHEMA_INTEGER_MAXIMUM,
    UNKNOWN,
    parse_amount,
)

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


# -- the scenario schema and refundlib.purchase say the same ---------------------------------------

def test_scenario_schema_has_the_fields_and_limits_of_refundlib_purchase() -> None:
    """The schema is written by hand; this keeps it to the definitions refundlib validates with."""
    schema = json.loads((SCHEMAS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["properties"]) == SCENARIO_FIELDS
    assert tuple(schema["required"]) == REQUIRED_FIELDS and schema["additionalProperties"] is False
    assert schema["properties"]["billing"]["enum"] == [str(b) for b in Billing]
    string, integer = schema["$defs"]["amount"]["anyOf"]
    assert string["pattern"] == SCHEMA_AMOUNT_PATTERN and integer["maximum"] == SCHEMA_INTEGER_MAXIMUM
    assert f"at most {MAX_INTEGER_DIGITS} digits before the decimal point and {MAX_DECIMALS} after" in (
        schema["$defs"]["amount"]["description"])
    assert schema["$defs"]["tristate"]["anyOf"][1] == {"const": UNKNOWN}


AMOUNT_TEXTS = ["0", "49.00", "1" * MAX_INTEGER_DIGITS, "1" * (MAX_INTEGER_DIGITS + 1), "0" * 20 + "5", ".5",
                "5.", "1." + "0" * MAX_DECIMALS, "1." + "0" * (MAX_DECIMALS + 1), "1e5", "NaN", "-1", "12,00", ""]


@pytest.mark.parametrize("text", AMOUNT_TEXTS)
def test_the_schema_and_the_library_agree_on_an_amount(text: str) -> None:
    pattern = json.loads((SCHEMAS / "scenario.schema.json").read_text(encoding="utf-8"))["$defs"]["amount"]
    accepted = bool(re.search(pattern["anyOf"][0]["pattern"], text))
    try:
        parse_amount(text, "amount_paid")
    except refundlib.RefundlibError:
        assert not accepted, text
    else:
        assert accepted, text


def test_the_schema_refuses_the_corpus_items_refused_for_their_shape() -> None:
    """Every bad-input item the library refuses for a missing field, a wrong type or an unknown
    field (what a schema can say) breaks the schema too."""
    checked = 0
    for item in bad_inputs():
        if item.call != "evaluate":
            continue
        try:
            refundlib.evaluate(item.vendor, item.scenario)
        except refundlib.RefundlibError as error:
            # (which facts a vendor asks, and their types, are the policy's, not the schema's)
            shape_only = not item.field.startswith("facts.") and (error.kind in (ErrorKind.MISSING, ErrorKind.TYPE) or (
                error.kind is ErrorKind.UNKNOWN and item.field not in ("product", "currency", "billing")))
            if shape_only:
                checked += 1
                assert problems(SCENARIO, item.scenario), item.id
    assert checked > 100
