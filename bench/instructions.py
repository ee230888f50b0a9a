"""Instructions retired (``perf stat -e instructions``), a load-independent companion to the timings.

On a shared, noisy machine the time of a CPU-bound loop moves with the load, but the number of
instructions it executes hardly does. Where ``perf`` works (Linux, perf_event access), the
evaluator section also reports ours / floor as a ratio of instructions per call; elsewhere it
reports nothing and the timings stand alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from .common import ROOT

WORKLOAD = """
import sys
sys.path.insert(0, {tests!r}); sys.path.insert(0, {bench!r})
import refundlib
from case_files import load_cases
from recatch_floor import recatch_refund, recatch_refund_unchecked
scenarios = [c.input for c in load_cases() if c.output is not None and c.vendor == "recatch"]
kind, loops = sys.argv[1], int(sys.argv[2])
refundlib.evaluate("recatch", scenarios[0]).to_dict(); recatch_refund(scenarios[0])
recatch_refund_unchecked(scenarios[0])
for _ in range(loops):
    for s in scenarios:
        if kind == "floor": recatch_refund(s)
        elif kind == "floor_unchecked": recatch_refund_unchecked(s)
        elif kind == "ours": refundlib.evaluate("recatch", s)
        else: refundlib.evaluate("recatch", s).to_dict()
"""


def _count(kind: str, loops: int) -> int | None:
    code = WORKLOAD.format(tests=str(ROOT / "tests"), bench=str(ROOT / "bench"))
    try:
        proc = subprocess.run(["perf", "stat", "-x,", "-e", "instructions", sys.executable, "-c", code, kind,
                               str(loops)], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    for line in proc.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("instructions") and fields[0].isdigit():
            return int(fields[0])
    return None


def per_call(loops: int = 200, cases: int = 1) -> dict[str, float] | None:
    """Instructions per call for ours, ours + to_dict and both floors (setup subtracted), or None."""
    if shutil.which("perf") is None:
        return None
    out = {}
    for kind in ("ours", "ours_to_dict", "floor", "floor_unchecked"):
        base, full = _count(kind, 0), _count(kind, loops)
        if base is None or full is None:
            return None
        out[kind] = round((full - base) / (loops * cases))
    return out
