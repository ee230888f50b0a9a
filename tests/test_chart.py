"""Refund over time: the series are the evaluator's verdicts, and the SVG draws exactly them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from refundlib import bridge, evaluate
from refundlib.chart import UNCERTAIN, PointKind, Series, chart_series, plain_answers, point_kind, refund_series
from refundlib.chart_svg import chart_title, render_svg
from refundlib.errors import ScenarioError
from refundlib.registry import get_policy
from refundlib.words import purchase_words

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "chart-annual.svg"
SVG = "{http://www.w3.org/2000/svg}"

# (vendor, scenario, expected last day): every vendor, every billing, unknown answers included.
SCENARIOS = [
    ("recatch", {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
                 "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD", "first_payment": True}, 365),
    ("channel-talk", {"product": "subscription", "billing": "monthly", "purchased_on": "2026-01-31",
                      "amount_paid": "49.00", "currency": "USD", "facts": {"service_plan_used": "unknown"}}, 28),
    ("kaleidoscope-mx", {"product": "pro", "purchased_on": "2026-02-10", "amount_paid": "12.00", "currency": "GBP",
                         "first_payment": "unknown"}, 28),
    ("kino", {"product": "pro_annual", "purchased_on": "2028-01-01", "amount_paid": "120.00", "currency": "USD",
              "facts": {"credits_used": "4"}}, 366),
    ("kino", {"product": "credit_pack", "purchased_on": "2026-05-01", "amount_paid": "20.00", "currency": "EUR",
              "facts": {"credits_used": "0", "duplicate_charge": True}}, 90),
    ("kino", {"product": "lifetime_deal", "purchased_on": "2026-05-01", "amount_paid": "199.00", "currency": "USD",
              "facts": {"included_credits_used_percent": "10"}}, 90),
    ("softdukan", {"product": "plan", "purchased_on": "2026-01-01", "amount_paid": "9999.00", "currency": "INR"}, 365),
    ("softdukan", {"product": "setup_fee", "purchased_on": "2026-01-01", "amount_paid": "500.00", "currency": "INR",
                   "facts": {"technical_issue_continuous": False}}, 90),
]
SAMPLE_DAYS = (0, 1, 2, 3, 7, 8, 13, 14, 15, 27, 28, 47, 48, 59, 60, 61, 89, 90, 180, 364, 365, 366)
GOLDEN_VENDORS = ["channel-talk", "kino", "recatch", "softdukan"]
GOLDEN_SCENARIO = {"billing": "annual", "purchased_on": "2026-01-01", "amount_paid": "800.00", "list_price": "1000.00",
                   "currency": "USD", "first_payment": True, "facts": {"credits_used": "3"}}


def _id(case: tuple[str, dict[str, object], int]) -> str:
    return f"{case[0]}-{case[1]['product']}"


@pytest.mark.parametrize("case", SCENARIOS, ids=_id)
def test_points_are_the_evaluators_verdicts(case: tuple[str, dict[str, object], int]) -> None:
    vendor, scenario, last_day = case
    series = refund_series(get_policy(vendor), scenario)
    assert series.last_day == last_day and [p.day for p in series.points] == list(range(last_day + 1))
    start = date.fromisoformat(str(scenario["purchased_on"]))
    for day in (d for d in SAMPLE_DAYS if d <= last_day):
        point = series.points[day]
        decision = evaluate(vendor, {**scenario, "requested_on": (start + timedelta(days=day)).isoformat()})
        assert point.requested_on == start + timedelta(days=day)
        assert (point.outcome, point.amount, point.amount_max, point.rule) == (
            decision.outcome, decision.amount, decision.amount_max, decision.rule), f"day {day}"
        assert point.kind == point_kind(decision)
        expected = decision.amount if point.kind in (PointKind.ENTITLEMENT, PointKind.NONE) else decision.amount_max
        assert point.value == expected


def test_kinds_follow_the_outcomes() -> None:
    kinds = {p.kind for _, scenario, _ in SCENARIOS[:1] for p in refund_series(get_policy("recatch"), scenario).points}
    assert kinds == {PointKind.CONDITIONAL, PointKind.ENTITLEMENT, PointKind.NONE}
    discounted = refund_series(get_policy("channel-talk"), {**SCENARIOS[0][1], "facts": {"service_plan_used": True}})
    assert {p.kind for p in discounted.points} == {PointKind.UPPER_BOUND, PointKind.NONE}
    pack = refund_series(get_policy("kino"), SCENARIOS[4][1])
    assert [p.kind for p in pack.points[:4]] == [PointKind.DISCRETIONARY, PointKind.DISCRETIONARY,
                                                 PointKind.CONDITIONAL, PointKind.NONE]  # within_hours(48) on day 2


def test_days_can_be_given_and_are_checked() -> None:
    policy, scenario = get_policy("recatch"), SCENARIOS[0][1]
    assert refund_series(policy, scenario, days=10).last_day == 10
    for bad in (-1, 1.5, True, 10**6):
        with pytest.raises(ScenarioError, match="days"):
            refund_series(policy, scenario, days=bad)  # type: ignore[arg-type]  # the wrong types on purpose
    with pytest.raises(ScenarioError, match="purchased_on"):
        refund_series(policy, {**scenario, "purchased_on": "2026-13-01"})


def test_series_json_is_plain_data() -> None:
    data = refund_series(get_policy("kino"), SCENARIOS[3][1]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["points"][0] == {"day": 0, "requested_on": "2028-01-01", "outcome": "discretionary", "amount": None,
                                 "amount_max": "120.00", "kind": "discretionary", "value": "120.00",
                                 "rule": "annual-14-days"}


def test_plain_answers_answer_every_open_question_no() -> None:
    assert plain_answers(get_policy("kino"), "pro_annual") == {"credits_used": "0"}  # the ToS fact has a default
    assert plain_answers(get_policy("recatch"), "subscription") == {
        "one_time_copy_used": False, "ongoing_pages_used": False, "workflows_used": False}  # cash_out: default
    scenario = {**SCENARIOS[0][1], "facts": plain_answers(get_policy("channel-talk"), "subscription")}
    series = refund_series(get_policy("channel-talk"), scenario)
    assert PointKind.CONDITIONAL not in {p.kind for p in series.points}


# -- the drawing -------------------------------------------------------------------------------

def _golden_series() -> list[Series]:
    return chart_series(GOLDEN_VENDORS, GOLDEN_SCENARIO)


def _runs(series: Series) -> list[tuple[str, int, int]]:
    """(kind, first day, last day) of each run of same-kind days with a value, computed here independently."""
    runs: list[tuple[str, int, int]] = []
    for point in series.points:
        if point.value is None:
            runs.append(("gap", point.day, point.day))
        elif runs and runs[-1][0] == point.kind and runs[-1][2] == point.day - 1:
            runs[-1] = (runs[-1][0], runs[-1][1], point.day)
        else:
            runs.append((str(point.kind), point.day, point.day))
    return [r for r in runs if r[0] != "gap"]


def test_svg_is_well_formed_accessible_and_draws_every_series() -> None:
    series = _golden_series()
    root = ET.fromstring(render_svg(series, width=800, height=400, title="Refunds <by day> & vendor"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.get("id") == title_id
    assert title.text == "Refunds <by day> & vendor"
    assert desc.get("id") == desc_id
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert [g.get("data-vendor") for g in groups] == GOLDEN_VENDORS
    for group, one in zip(groups, series, strict=True):
        labels = group.findall(f"{SVG}text[@class='label']")
        assert [t.text for t in labels] == [one.name]
        assert one.name in (group.get("aria-label") or "")
        segments = [p for p in group.findall(f"{SVG}path") if "segment" in (p.get("class") or "")]
        assert [(p.get("data-kind"), int(p.get("data-from", -1)), int(p.get("data-to", -1))) for p in segments] == (
            _runs(one))
        for path in segments:
            dashed = path.get("stroke-dasharray") is not None
            assert dashed == (PointKind(path.get("data-kind")) in UNCERTAIN), path.attrib
    kinds = {p.get("data-kind") for g in groups for p in g.findall(f"{SVG}path")}
    assert {"entitlement", "upper_bound", "discretionary", "conditional", "none"} <= kinds


def test_svg_has_no_script_and_is_deterministic() -> None:
    series = _golden_series()
    first = render_svg(series, title="t")
    assert first == render_svg(_golden_series(), title="t")
    assert "<script" not in first and "href" not in first and "NaN" not in first


def test_svg_golden_file() -> None:
    series = _golden_series()
    svg = render_svg(series, title=chart_title(series))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(svg, encoding="utf-8")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing: run with UPDATE_GOLDEN=1 to write it, then review it"
    assert svg == GOLDEN.read_text(encoding="utf-8"), "the chart changed: review, then UPDATE_GOLDEN=1 to accept"


# -- the command line and the bridge ------------------------------------------------------------------

def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refundlib", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)


def test_cli_chart_svg_and_json() -> None:
    svg = run("chart", *GOLDEN_VENDORS, "--scenario", "-", stdin=json.dumps(GOLDEN_SCENARIO))
    assert svg.returncode == 0, svg.stderr
    assert svg.stdout == GOLDEN.read_text(encoding="utf-8")
    data = run("chart", "kino", "--scenario", "-", "--format", "json", stdin=json.dumps(GOLDEN_SCENARIO))
    assert data.returncode == 0, data.stderr
    (one,) = json.loads(data.stdout)["series"]
    assert (one["vendor"], one["product"], len(one["points"])) == ("kino", "pro_annual", 366)


@pytest.mark.parametrize(("vendors", "scenario", "message"), [
    (["nosuch"], GOLDEN_SCENARIO, "vendor: unknown vendor 'nosuch'"),
    (["kaleidoscope-mx"], GOLDEN_SCENARIO, "products.kaleidoscope-mx: expected a product of Kaleidoscope MX"),
    (["kino"], {**GOLDEN_SCENARIO, "facts": {}}, "facts.credits_used: expected a number"),
    (["recatch"], {**GOLDEN_SCENARIO, "currency": "XYZ"}, "currency: expected an ISO 4217 currency code"),
], ids=["unknown-vendor", "no-product", "missing-number", "bad-currency"])
def test_cli_chart_bad_input_exits_2_with_one_line(vendors: list[str], scenario: dict[str, object],
                                                   message: str) -> None:
    result = run("chart", *vendors, "--scenario", "-", stdin=json.dumps(scenario))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def chart_call(vendors: object, scenario: object) -> dict:
    request = {"call": "chart", "args": {"vendors": vendors, "scenario": scenario}}
    return json.loads(bridge.dispatch(json.dumps(request)))


def test_bridge_chart_matches_the_library() -> None:
    answer = chart_call(GOLDEN_VENDORS, GOLDEN_SCENARIO)
    assert answer["ok"], answer
    series = _golden_series()
    assert answer["value"]["series"] == [s.to_dict() for s in series]
    assert answer["value"]["svg"] == render_svg(series, title=chart_title(series))
    first = answer["value"]["series"][0]
    asked = {"first_payment": GOLDEN_SCENARIO.get("first_payment"), "list_price": GOLDEN_SCENARIO.get("list_price")}
    assert answer["value"]["purchase"] == purchase_words({**first, **asked})
    # A scenario that is not an object is wrong as a whole: field "".
    for vendors, scenario, field in [("kino", {}, "vendors"), (["kino"], "{oops", ""),
                                     (["kino"], {**GOLDEN_SCENARIO, "purchased_on": "x"}, "purchased_on")]:
        error = chart_call(vendors, scenario)
        assert not error["ok"] and error["error"]["field"] == field, error
