"""The command line as a user runs it: python -m refundlib ..."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import refundlib

WORKED_EXAMPLE = ["check", "recatch", "--product", "subscription", "--billing", "annual",
                  "--purchased-on", "2026-01-01", "--requested-on", "2026-07-01", "--paid", "800.00",
                  "--list-price", "1000.00", "--currency", "USD", "--fact", "one_time_copy_used=yes"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refundlib", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


def test_vendors_lists_every_vendor() -> None:
    result = run("vendors")
    assert result.returncode == 0, result.stderr
    for vendor in refundlib.vendor_ids():
        assert vendor in result.stdout


def test_worked_example_prints_300_and_cites_the_formula() -> None:
    result = run(*WORKED_EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "PARTIAL REFUND: 300.00 USD" in result.stdout
    assert "[penalty-formula] “Refund amount = Actual amount paid" in result.stdout


def test_worked_example_cashed_out_prints_270() -> None:
    result = run(*WORKED_EXAMPLE, "--fact", "cash_out=yes")
    assert result.returncode == 0, result.stderr
    assert "PARTIAL REFUND: 270.00 USD" in result.stdout
    assert "[cash-out-fee] “A 10% fee will be charged" in result.stdout


def test_check_json_from_stdin_scenario() -> None:
    scenario = {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
                "requested_on": "2026-07-01", "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
                "facts": {"one_time_copy_used": True}}
    result = run("check", "recatch", "--scenario", "-", "--format", "json", stdin=json.dumps(scenario))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    got = (decision["outcome"], decision["amount"], decision["destination"])
    assert got == ("partial", "300.00", "account_balance")


def test_show_json_has_products_facts_and_clauses() -> None:
    result = run("show", "recatch", "--format", "json")
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert [p["id"] for p in policy["products"]] == ["subscription"]
    assert any(f["id"] == "cash_out" for f in policy["facts"])
    assert any(c["id"] == "penalty-formula" for c in policy["clauses"])


def test_show_text_lists_questions() -> None:
    result = run("show", "recatch")
    assert result.returncode == 0, result.stderr
    assert "Have you used the one-time reservation copy feature?" in result.stdout


def test_compare_gives_one_verdict_per_vendor() -> None:
    scenario = {"billing": "monthly", "purchased_on": "2026-03-01", "requested_on": "2026-03-05",
                "amount_paid": "30.00", "currency": "USD", "first_payment": True}
    result = run("compare", "--scenario", "-", "--format", "json", stdin=json.dumps(scenario))
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert [r["vendor"] for r in results] == refundlib.vendor_ids()  # one each, in the catalogue's order
    for r in results:
        assert r["decision"] is not None or r["error"], r
    text = run("compare", "--scenario", "-", stdin=json.dumps(scenario))
    assert text.returncode == 0 and "== reCatch (recatch)" in text.stdout


BAD = [
    (["check", "nosuch", "--product", "x"],
     f"vendor: unknown vendor 'nosuch'; expected one of: {', '.join(refundlib.vendor_ids())}"),
    ([*WORKED_EXAMPLE[:2], "--product", "subscription", "--billing", "monthly", "--purchased-on", "2026-02-01",
      "--requested-on", "2026-01-01", "--paid", "5", "--currency", "USD"], "requested_on: expected a date on or after"),
    ([*WORKED_EXAMPLE[:2], "--product", "gold"], "product: expected one of subscription"),
    ([*WORKED_EXAMPLE, "--fact", "used=yes"], "facts.used: expected one of the facts of reCatch"),
    ([*WORKED_EXAMPLE[:6], "--purchased-on", "2026-13-01"], "purchased_on: expected a date as YYYY-MM-DD"),
    ([*WORKED_EXAMPLE, "--paid", "12,50"], "amount_paid: expected a decimal amount"),
    ([*WORKED_EXAMPLE, "--paid", "-5"], "amount_paid: expected an amount of zero or more"),
    ([*WORKED_EXAMPLE, "--currency", "XYZ"], "currency: expected an ISO 4217 currency code"),
    (["check", "recatch", "--scenario", "/nonexistent.json"], "--scenario: expected a readable JSON file"),
    (["check", "recatch", "--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_bad_input_exits_2_with_one_line_and_no_output(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_scenario_json() -> None:
    result = run("check", "recatch", "--scenario", "-", stdin="{not json")
    assert result.returncode == 2 and result.stderr.startswith("refundlib: --scenario: expected valid JSON")
