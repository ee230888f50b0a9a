"""Section 2's workload: one refund-over-time series per vendor, request days 0..365, one purchase.

Runs unchanged under Pyodide (Node, via tests/pyodide/run_python.mjs, with the refundlib
wheel) and under CPython: ``pyodide_series.py REPEATS DAYS`` prints one JSON object.
Timed with ``time.perf_counter`` inside Python, so the Pyodide start-up is not included.

The purchase: bought 2026-01-01, 800.00 USD paid on a 1000.00 list price, first payment;
each vendor's first charged annual product (monthly where none is annual). Two workloads:

- ``answered`` (budgeted): every question without a default answered "no" (counts 0), as the
  site's charts do (site_plugins/charts.py, ``refundlib.chart.plain_answers``);
- ``unknown``: every question left unanswered (KINO's credit count set to 3, a number it needs),
  so verdicts that depend on an answer fork ("conditional"), as the earlier measurement did.

The floor (reCatch only): the hand-written function of bench/recatch_floor.py for the same 366
days, without its input checks (the series checks its one purchase once, not every day); each
day's outcome and amounts are asserted equal to refundlib's series.
"""

from __future__ import annotations

import json
import sys
import time

from recatch_floor import recatch_refund_unchecked

import refundlib
from refundlib.chart import plain_answers, refund_series
from refundlib.compare import pick_product

PURCHASE = {"purchased_on": "2026-01-01", "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
            "first_payment": True}
WORKLOADS = ("answered", "unknown")


def scenario_for(policy, workload: str = "unknown") -> dict:
    product_id = pick_product(policy, {"billing": "annual"}) or pick_product(policy, {"billing": "monthly"})
    billing = [str(b) for b in policy.product(product_id).billing]
    # Unanswered, except a number a policy needs and cannot take as unknown (KINO's credits used).
    needed = {f.id: "3" for f in policy.facts if f.type == "number" and f.default is None}
    facts = plain_answers(policy, product_id) if workload == "answered" else needed
    return {**PURCHASE, "product": product_id, "billing": "annual" if "annual" in billing else billing[0],
            "facts": facts}


def _amount(value) -> str | None:
    return None if value is None else f"{value:f}"


def main() -> None:
    from datetime import date, timedelta

    repeats, days = int(sys.argv[1]), int(sys.argv[2])
    policies = refundlib.all_policies()
    recatch = refundlib.get_policy("recatch")
    out: dict = {"python": ".".join(map(str, sys.version_info[:3])), "platform": sys.platform, "days": days}
    for workload in WORKLOADS:
        scenarios = {p.id: scenario_for(p, workload) for p in policies}
        base = scenarios["recatch"]
        start = date.fromisoformat(base["purchased_on"])
        floor_inputs = [{**base, "requested_on": (start + timedelta(days=d)).isoformat()} for d in range(days + 1)]

        # The floor must give refundlib's verdicts, day by day.
        series = refund_series(recatch, base, days=days, lenient_facts=True)
        for point, scenario in zip(series.points, floor_inputs, strict=True):
            verdict = recatch_refund_unchecked(scenario)
            assert (verdict.outcome, _amount(verdict.amount), _amount(verdict.amount_max)) == (
                str(point.outcome), _amount(point.amount), _amount(point.amount_max)), (point.day, verdict, point)
        kinds = {p.id: [str(pt.kind) for pt in refund_series(p, scenarios[p.id], days=days, lenient_facts=True).points]
                 for p in policies}

        totals, per_vendor, floors = [], {p.id: [] for p in policies}, []
        for _ in range(repeats):
            total = 0.0
            for policy in policies:
                t0 = time.perf_counter()
                refund_series(policy, scenarios[policy.id], days=days, lenient_facts=True)
                elapsed = time.perf_counter() - t0
                per_vendor[policy.id].append(elapsed * 1000)
                total += elapsed
            totals.append(total * 1000)
            t0 = time.perf_counter()
            for scenario in floor_inputs:
                recatch_refund_unchecked(scenario)
            floors.append((time.perf_counter() - t0) * 1000)
        out[workload] = {
            "scenarios": scenarios,
            "kinds": {vendor: {kind: ks.count(kind) for kind in sorted(set(ks))} for vendor, ks in kinds.items()},
            "total_ms": totals,
            "per_vendor_ms": per_vendor,
            "floor_recatch_ms": floors,
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
