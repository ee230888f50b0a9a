"""Section 1: the evaluator under CPython, against a hand-written reCatch function (the floor).

- Throughput: ``refundlib.evaluate`` over every non-error case of every vendor's case file.
- Ratio: on reCatch's non-error cases, ``evaluate(...)`` returning its :class:`Decision` vs
  :func:`bench.recatch_floor.recatch_refund` returning a small verdict, same inputs validated
  to the same contract, timed back to back in each repeat. ``Decision.to_dict()`` is *not* in
  the ratio (the floor words no steps and builds no JSON either); evaluate + to_dict is
  reported beside it for the browser's real path, and so is the ratio against the floor
  without validation (``recatch_refund_unchecked``).
"""

from __future__ import annotations

import gc
import sys
import time
from decimal import Decimal

import refundlib

from . import instructions
from .common import ROOT, ratio_summary, summary
from .recatch_floor import BadField, recatch_refund, recatch_refund_unchecked

sys.path.insert(0, str(ROOT / "tests"))
from case_files import load_cases


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def check_floor_agrees(cases: list) -> int:
    """Assert the hand-written function gives refundlib's outcome, amount, amount_max and destination,
    and refuses each of reCatch's bad scenarios by naming the field refundlib names."""
    for case in cases:
        if case.error is not None:
            try:
                recatch_refund(case.input)
            except BadField as refused:
                assert refused.field == case.error["field"], f"floor refuses {case.name!r} on {refused.field}"
                continue
            raise AssertionError(f"floor accepts the bad scenario {case.name!r}")
        decision = refundlib.evaluate("recatch", case.input)
        theirs = (str(decision.outcome), _fmt(decision.amount), _fmt(decision.amount_max),
                  None if decision.destination is None else str(decision.destination))
        for floor in (recatch_refund, recatch_refund_unchecked):
            verdict = floor(case.input)
            mine = (verdict.outcome, _fmt(verdict.amount), _fmt(verdict.amount_max), verdict.destination)
            assert mine == theirs, f"{floor.__name__} disagrees on {case.name!r}: {mine} != {theirs}"
    return len(cases)


def _time(fn, inputs: list, loops: int) -> float:
    """Seconds per call of fn over inputs, ``loops`` passes."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(loops):
        for item in inputs:
            fn(item)
    return (time.perf_counter() - start) / (loops * len(inputs))


def run(repeats: int = 15, loops: int = 20, instruction_loops: int = 200) -> dict[str, object]:
    agreed = check_floor_agrees([c for c in load_cases() if c.vendor == "recatch"])
    cases = [c for c in load_cases() if c.output is not None]
    recatch = [c for c in cases if c.vendor == "recatch"]
    everything = [(c.vendor, c.input) for c in cases]
    scenarios = [c.input for c in recatch]

    def evaluate_all(item: tuple[str, dict]) -> object:
        return refundlib.evaluate(*item)

    def evaluate_recatch(scenario: dict) -> object:
        return refundlib.evaluate("recatch", scenario)

    def evaluate_recatch_json(scenario: dict) -> object:
        return refundlib.evaluate("recatch", scenario).to_dict()

    for fn, inputs in ((evaluate_all, everything), (recatch_refund, scenarios), (evaluate_recatch_json, scenarios),
                       (recatch_refund_unchecked, scenarios)):
        _time(fn, inputs, 1)  # warm up: policies loaded, caches filled

    per_eval_all, ours, floor, ours_json, unchecked = [], [], [], [], []
    for _ in range(repeats):
        per_eval_all.append(_time(evaluate_all, everything, max(1, loops // 4)))
        ours.append(_time(evaluate_recatch, scenarios, loops))
        floor.append(_time(recatch_refund, scenarios, loops))
        ours_json.append(_time(evaluate_recatch_json, scenarios, loops))
        unchecked.append(_time(recatch_refund_unchecked, scenarios, loops))
    ratio = ratio_summary(ours, floor)
    counted = instructions.per_call(instruction_loops, len(scenarios)) if instruction_loops else None
    return {
        "what": "refundlib.evaluate under CPython; floor: a hand-written reCatch function (bench/recatch_floor.py)",
        "cases_all": len(everything),
        "cases_recatch": len(scenarios),
        "floor_agrees_on_cases": agreed,
        "evals_per_second_all": summary([1 / t for t in per_eval_all], 1),
        "us_per_eval_all": summary([t * 1e6 for t in per_eval_all], 2),
        "us_per_eval_recatch": summary([t * 1e6 for t in ours], 2),
        "us_per_call_floor": summary([t * 1e6 for t in floor], 2),
        "us_per_eval_recatch_with_to_dict": summary([t * 1e6 for t in ours_json], 2),
        "ratio": ratio,
        "ratio_with_to_dict": ratio_summary(ours_json, floor),
        "us_per_call_floor_unchecked": summary([t * 1e6 for t in unchecked], 2),
        "ratio_unchecked_floor": ratio_summary(ours, unchecked),
        "instructions_per_call": counted,
        "instructions_ratio": None if counted is None else round(counted["ours"] / counted["floor"], 2),
        "instructions_ratio_with_to_dict": (None if counted is None
                                            else round(counted["ours_to_dict"] / counted["floor"], 2)),
        "instructions_ratio_unchecked_floor": (None if counted is None
                                               else round(counted["ours"] / counted["floor_unchecked"], 2)),
        "budget": 3.0,
        "met": ratio["median"] <= 3.0,
        "repeats": repeats,
        "loops": loops,
    }
