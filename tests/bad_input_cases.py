"""Reading the bad-input corpus (tests/bad_input/cases.json; its README describes the format).

:func:`bad_inputs` gives one :class:`BadInput` per case, vendor and call the case applies to:
the case applied to the vendor's base scenario (the input of its first case in
tests/cases/<vendor>.toml), placeholders filled in.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import refundlib
from case_files import load_cases
from refundlib.chart import chart_series
from refundlib.compare import compare

CORPUS = Path(__file__).parent / "bad_input" / "cases.json"
CALLS = ("evaluate", "compare", "chart")
_ABSENT = object()


@dataclass(frozen=True, slots=True)
class BadInput:
    case: str
    vendor: str
    call: str  # one of CALLS
    scenario: Any  # usually a dict; any JSON value for a case with "replace"
    field: str

    @property
    def id(self) -> str:
        return f"{self.call} {self.vendor}: {self.case}"


def base_scenarios() -> dict[str, dict[str, Any]]:
    """Each vendor's valid base scenario: the input of its first case."""
    cases = load_cases()
    return {vendor: next(c.input for c in cases if c.vendor == vendor) for vendor in refundlib.vendor_ids()}


def _fill(value: Any, places: dict[str, str]) -> Any:
    if isinstance(value, str):
        for mark, text in places.items():
            value = value.replace(mark, text)
        return value
    if isinstance(value, list):
        return [_fill(v, places) for v in value]
    if isinstance(value, dict):
        return {_fill(k, places): _fill(v, places) for k, v in value.items()}
    return value


def apply(case: dict[str, Any], base: dict[str, Any], places: dict[str, str]) -> Any:
    """The base scenario changed as the case says."""
    if "replace" in case:
        return _fill(case["replace"], places)
    scenario = copy.deepcopy(base)
    for name in case.get("delete", []):
        scenario.pop(_fill(name, places), None)
    for key, value in _fill(case.get("set", {}), places).items():
        if key.startswith("facts."):
            facts = scenario.get("facts")
            scenario["facts"] = {**(facts if isinstance(facts, dict) else {}), key[len("facts."):]: value}
        else:
            scenario[key] = value
    return scenario


def placeholders(vendor: str) -> dict[str, str]:
    policy = refundlib.get_policy(vendor)
    return {"@fact": next(f.id for f in policy.facts if f.type == "bool"), "@vendor": vendor}


def load_corpus() -> list[dict[str, Any]]:
    cases = json.loads(CORPUS.read_text(encoding="utf-8"))
    for case in cases:
        unknown = set(case) - {"name", "set", "delete", "replace", "field", "calls"}
        if unknown or "field" not in case or not set(case.get("calls", CALLS)) <= set(CALLS):
            raise ValueError(f"{CORPUS.name}: case {case.get('name')!r} is not in the corpus format")
    return cases


def bad_inputs() -> list[BadInput]:
    bases = base_scenarios()
    found = []
    for case in load_corpus():
        for vendor, base in bases.items():
            places = placeholders(vendor)
            scenario = apply(case, base, places)
            field = _fill(case["field"], places)
            found += [BadInput(case["name"], vendor, call, scenario, field) for call in case.get("calls", CALLS)]
    return found


def call_api(item: BadInput) -> Any:
    """Put the bad input to the Python API (what the test expects to raise)."""
    if item.call == "evaluate":
        return refundlib.evaluate(item.vendor, item.scenario)
    if item.call == "compare":
        return compare(item.scenario)
    return chart_series([item.vendor], item.scenario)


def bridge_request(item: BadInput, number: int) -> dict[str, Any]:
    """The bridge call for the bad input, as the worker sends it to refundlib.bridge.dispatch."""
    args = {"evaluate": {"vendor": item.vendor, "scenario": item.scenario},
            "compare": {"scenario": item.scenario},
            "chart": {"vendors": [item.vendor], "scenario": item.scenario}}[item.call]
    return {"id": number, "call": item.call, "args": args}
