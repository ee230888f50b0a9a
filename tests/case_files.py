"""Reading the vendor case files in tests/cases/ and checking a decision against a case.

A case file is TOML: ``vendor = "<id>"`` and ``[[cases]]``, each with a ``name``, an
``input`` (a scenario, exactly as refundlib.evaluate takes it) and either an ``output``
(the parts of ``Decision.to_dict()`` to check) or an ``error`` (the field a
``ScenarioError`` must name). In ``output``: scalar keys compare for equality;
``flags`` is the exact set of flag ids; ``branches`` is the list of branches, each with
``assuming`` (key -> answer) and scalar keys of its decision; ``ask_by`` is ``"null"`` or
the keys of the decision's ``ask_by`` to check (``last_day``, ``next_outcome``, ...); ``steps_cite`` is a list of
clause ids that some step must quote. TOML has no null: write the string ``"null"``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    vendor: str
    name: str
    input: dict[str, Any]
    output: dict[str, Any] | None
    error: dict[str, Any] | None
    file: str

    @property
    def id(self) -> str:
        return f"{self.vendor}: {self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data["cases"]:
            if ("output" in raw) == ("error" in raw):
                raise ValueError(f"{path.name}: case {raw.get('name')!r} needs exactly one of output or error")
            cases.append(Case(data["vendor"], raw["name"], raw["input"], raw.get("output"), raw.get("error"),
                              path.name))
    if not cases:
        raise FileNotFoundError(f"no case files in {CASES_DIR}")
    return cases


def _compare_scalars(expected: dict[str, Any], actual: dict[str, Any], where: str) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key in ("flags", "branches", "steps_cite", "assuming", "ask_by"):
            continue
        if want == "null":  # TOML has no null
            want = None
        if key not in actual:
            problems.append(f"{where}{key}: not in the decision")
        elif actual[key] != want:
            problems.append(f"{where}{key}: expected {want!r}, got {actual[key]!r}")
    if "flags" in expected:
        got = sorted(f["id"] for f in actual["flags"])
        if got != sorted(expected["flags"]):
            problems.append(f"{where}flags: expected {sorted(expected['flags'])}, got {got}")
    if "ask_by" in expected:
        problems += _compare_ask_by(expected["ask_by"], actual.get("ask_by"), where)
    if "steps_cite" in expected:
        cited = {q["clause"] for s in actual["steps"] for q in s["quotes"]}
        missing = sorted(set(expected["steps_cite"]) - cited)
        if missing:
            problems.append(f"{where}steps_cite: no step quotes {missing}")
    return problems


def _compare_ask_by(want: Any, got: dict[str, Any] | None, where: str) -> list[str]:
    """``ask_by``: "null" (the verdict holds to the end), or the keys of Decision.to_dict()["ask_by"] to check."""
    if want == "null" or got is None:
        agree = want == got or (want == "null" and got is None)
        return [] if agree else [f"{where}ask_by: expected {want!r}, got {got!r}"]
    return [f"{where}ask_by.{key}: expected {value!r}, got {got.get(key)!r}"
            for key, value in want.items() if got.get(key) != (None if value == "null" else value)]


def check_decision(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Differences between a case's expected output and a decision dict (empty when it matches)."""
    problems = _compare_scalars(expected, actual, "")
    if "branches" in expected:
        got = actual["branches"]
        if len(got) != len(expected["branches"]):
            return [*problems, f"branches: expected {len(expected['branches'])}, got {len(got)}"]
        for i, (want, branch) in enumerate(zip(expected["branches"], got, strict=True)):
            assuming = {a["key"]: a["answer"] for a in branch["assuming"]}
            if want.get("assuming") != assuming:
                problems.append(f"branches[{i}].assuming: expected {want.get('assuming')}, got {assuming}")
            problems += _compare_scalars(want, branch["decision"], f"branches[{i}].")
    return problems
