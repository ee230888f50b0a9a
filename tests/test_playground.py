"""The policy playground's Python side (refundlib.playground, refundlib.bridge.dispatch "playground"), in CPython.

The browser page (/playground/) shows exactly what these functions return; tests/browser/test_playground.py
checks that it does.
"""

from __future__ import annotations

import html
import json
import random
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import refundlib
from refundlib import bridge, words
from refundlib.chart import plain_answers, refund_series
from refundlib.chart_svg import describe
from refundlib.compare import pick_product
from refundlib.lint import lint
from refundlib.model import Topic
from refundlib.playground import BLANK_TEMPLATE, DRAFT, field_line, field_lines, playground, policy_source
from refundlib.serialize import policy_to_dict

VENDORS = refundlib.vendor_ids()


def call(name: str, **args: object) -> dict:
    """One request to the browser's bridge, as the worker sends it."""
    return json.loads(bridge.dispatch(json.dumps({"call": name, "args": args})))
POLICY_DIR = Path(refundlib.__file__).parent / "policies"
MONTHLY = {"billing": "monthly", "purchased_on": "2026-01-01", "amount_paid": "100.00", "list_price": "100.00",
           "currency": "USD", "first_payment": True}


def source(vendor: str) -> str:
    return policy_source(vendor)


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def series_groups(svg: str) -> list[tuple[str, str]]:
    """(data-vendor, label text) of every line in a render_svg drawing."""
    groups = re.findall(r'<g class="series" data-vendor="([^"]+)".*?</g>', svg, re.DOTALL)
    labels = re.findall(r'<g class="series" data-vendor="[^"]+".*?<text class="label"[^>]*>([^<]*)</text>', svg,
                        re.DOTALL)
    return list(zip(groups, labels, strict=True))


# -- the shipped text and the blank template -------------------------------------------------------

@pytest.mark.parametrize("vendor", VENDORS)
def test_policy_source_is_the_shipped_file(vendor: str) -> None:
    assert policy_source(vendor) == (POLICY_DIR / f"{vendor}.toml").read_text(encoding="utf-8")
    assert call("policy_source", vendor=vendor) == {"ok": True, "value": policy_source(vendor)}


def test_policy_source_refuses_other_names() -> None:
    for name in ("nobody", "../loader", "recatch.toml"):
        with pytest.raises(refundlib.UnknownVendorError):
            policy_source(name)
        body = call("policy_source", vendor=name)
        assert body["ok"] is False and body["error"]["error"] == "UnknownVendorError"


def test_blank_template_loads_and_shows_every_section() -> None:
    assert policy_source("") == BLANK_TEMPLATE
    result = playground(BLANK_TEMPLATE)
    assert result["valid"] is True, result.get("error")
    assert result["name"] == "My vendor"  # a new vendor: not "draft: …"
    assert result["policy"]["id"] not in VENDORS
    for section in ("[capture]", "[[clauses]]", "[[products]]", "[[facts]]", "[[exclusions]]", "[[requests]]",
                    "[[timings]]", "[[rules]]", "[[rules.requires]]", "[[fees]]", "[[notes]]", "[[topics]]"):
        assert section in BLANK_TEMPLATE, section
    assert result["chart"]["error"] is None
    assert [c["vendor"] for c in result["chart"]["charted"]][-1] == DRAFT


# -- a published policy as a draft -----------------------------------------------------------------------

@pytest.mark.parametrize("vendor", VENDORS)
def test_published_policy_as_a_draft(vendor: str) -> None:
    published = refundlib.get_policy(vendor)
    result = playground(source(vendor))
    assert result["valid"] is True
    assert result["name"] == f"draft: {published.name}"  # same id as a published vendor: replaces nothing
    assert result["policy"] == policy_to_dict(published)

    # The comparison: five published columns, then the draft's, which says what the published file says.
    assert [c["key"] for c in result["columns"]] == [*VENDORS, DRAFT]
    assert result["columns"][-1] == {"key": DRAFT, "vendor": vendor, "name": f"draft: {published.name}", "draft": True}
    assert [t["topic"] for t in result["topics"]] == [str(t) for t in Topic]
    for row in result["topics"]:
        topic = Topic(row["topic"])
        assert row["label"] == words.topic_label(topic)
        for other in refundlib.all_policies():
            stated = other.topic(topic)
            assert row["cells"][other.id] == (None if stated is None else stated.summary)
        assert row["cells"][DRAFT] == row["cells"][vendor]
    stated = {t.topic for t in published.topics}
    assert {t["topic"] for t in result["topics"] if t["cells"][DRAFT]} == {str(t) for t in stated}

    # The gap report: the library's lint, silence judged against the five published policies.
    expected = lint(published, refundlib.all_policies())
    assert result["lint"]["findings"] == [f.to_dict() for f in expected]
    assert result["lint"]["vendors"] == [{"vendor": vendor, "name": published.name, "file": "draft",
                                          "count": len(expected)}]
    assert result["lint"]["labels"] == {str(k): v for k, v in words.FINDING_KINDS.items()}
    for finding in result["lint"]["findings"]:
        for quote in finding["clauses"]:
            assert quote["text"] == published.clause(quote["clause"]).text


def test_recatch_draft_topics_and_findings() -> None:
    """Pinned from the file: what reCatch's policy states and where it is vague."""
    result = playground(source("recatch"))
    stated = [t["topic"] for t in result["topics"] if t["cells"][DRAFT]]
    assert stated == ["full_refund", "partial_refund", "discount_penalty", "fees", "destination", "how_to_request"]
    kinds = [f["kind"] for f in result["lint"]["findings"]]
    assert kinds == ["inconsistent-statement", "discretionary-language", "destination-unstated"]
    assert result["lint"]["findings"][1]["clauses"] == [{"clause": "penalty-downgrade", "text": (
        "Penalties may occur when downgrading a subscription, especially if you have received a discount on the "
        "original subscription.")}]


def test_a_sixth_policy_is_shown_under_its_own_name() -> None:
    text = replace_once(replace_once(source("recatch"), 'id = "recatch"', 'id = "acme-cloud"'),
                        'name = "reCatch"', 'name = "Acme Cloud"')
    result = playground(text)
    assert result["valid"] is True
    assert result["name"] == "Acme Cloud"
    assert result["columns"][-1] == {"key": DRAFT, "vendor": "acme-cloud", "name": "Acme Cloud", "draft": True}
    assert [c["key"] for c in result["columns"][:-1]] == VENDORS
    groups = series_groups(result["chart"]["svg"])
    assert groups[-1] == (DRAFT, "Acme Cloud")
    assert "recatch" in [vendor for vendor, _ in groups]  # the published reCatch is still there


def test_drafting_silence_is_judged_against_the_five() -> None:
    """Dropping a topic every published policy covers is reported as silence; a new one is not compared with itself."""
    policies = refundlib.all_policies()
    covered = [t for t in Topic if all(p.topic(t) is not None for p in policies)]
    result = playground(BLANK_TEMPLATE)
    silent = {f["subject"] for f in result["lint"]["findings"] if f["kind"] == "silent-topic"}
    stated = {t["topic"] for t in result["topics"] if t["cells"][DRAFT]}
    assert silent == {str(t) for t in covered} - stated


# -- the chart -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("purchase", [None, MONTHLY], ids=["default annual", "monthly"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_chart_has_every_published_vendor_and_the_draft(vendor: str, purchase: dict[str, Any] | None) -> None:
    result = playground(source(vendor), purchase)
    chart = result["chart"]
    billing = (purchase or {"billing": "annual"})["billing"]
    sells = [p for p in refundlib.all_policies() if pick_product(p, {"billing": billing}) is not None]
    draft_sells = pick_product(refundlib.get_policy(vendor), {"billing": billing}) is not None
    assert chart["error"] is None
    want = [p.id for p in sells] + ([DRAFT] if draft_sells else [])
    assert [c["vendor"] for c in chart["charted"]] == want
    groups = series_groups(chart["svg"])
    assert [g for g, _ in groups] == want
    name = refundlib.get_policy(vendor).name
    if draft_sells:
        assert groups[-1][1] == f"draft: {name}"
    missing = [p for p in refundlib.all_policies() if p not in sells]
    expected_missing = [{"vendor": p.id, "name": p.name, "reason": f"{p.name} sells nothing {words.billed(billing)}."}
                        for p in missing]
    if not draft_sells:
        expected_missing.append({"vendor": DRAFT, "name": f"draft: {name}",
                                 "reason": f"draft: {name} sells nothing {words.billed(billing)}."})
    assert chart["not_charted"] == expected_missing


def test_chart_draws_the_library_series_for_the_draft() -> None:
    """The draft's line is refund_series for its product, every question answered "no" (as on the site's charts)."""
    policy = refundlib.get_policy("recatch")
    result = playground(source("recatch"), MONTHLY)
    scenario = {**MONTHLY, "product": "subscription", "facts": plain_answers(policy, "subscription")}
    series = replace(refund_series(policy, scenario, lenient_facts=True), vendor=DRAFT, name="draft: reCatch")
    described = re.search(r'<g class="series" data-vendor="draft" aria-label="([^"]*)"', result["chart"]["svg"])
    assert described is not None
    assert html.unescape(described.group(1)) == describe(series)
    assert describe(series).startswith("draft: reCatch, reCatch subscription: days 0–")


def test_chart_uses_the_draft_product_chosen() -> None:
    kino = refundlib.get_policy("kino")
    one_time = [p.id for p in kino.products if p.charged and "one_time" in p.billing]
    assert len(one_time) > 1, "kino sells more than one one-time product"
    chosen = one_time[-1]
    purchase = {"billing": "one_time", "purchased_on": "2026-01-01", "amount_paid": "50.00", "currency": "USD"}
    result = playground(source("kino"), {**purchase, "product": chosen})
    draft = next(c for c in result["chart"]["charted"] if c["vendor"] == DRAFT)
    published = next(c for c in result["chart"]["charted"] if c["vendor"] == "kino")
    assert draft["product"] == chosen
    assert published["product"] == pick_product(kino, {"billing": "one_time"}) != chosen  # the choice is the draft's
    # The published vendors' products may be chosen too (products: {vendor: product}).
    result = playground(source("recatch"), {**purchase, "products": {"kino": chosen}})
    assert next(c for c in result["chart"]["charted"] if c["vendor"] == "kino")["product"] == chosen


@pytest.mark.parametrize(("purchase", "field"), [
    ({**MONTHLY, "amount_paid": "lots"}, "amount_paid"),
    ({**MONTHLY, "purchased_on": "01/02/2026"}, "purchased_on"),
    ({**MONTHLY, "currency": "XXX1"}, "currency"),
    ({**MONTHLY, "billing": "weekly"}, "billing"),
    ({**MONTHLY, "list_price": "50.00"}, "list_price"),
    ({**MONTHLY, "requested_on": "2026-02-01"}, "requested_on"),
])
def test_a_bad_purchase_is_a_chart_error_not_an_invalid_draft(purchase: dict[str, Any], field: str) -> None:
    result = playground(source("recatch"), purchase)
    assert result["valid"] is True
    assert result["chart"]["svg"] is None
    assert result["chart"]["error"]["field"] == field


def test_a_draft_product_billed_otherwise_is_not_charted_with_the_reason() -> None:
    text = replace_once(source("recatch"), 'billing = ["monthly", "annual"]', 'billing = ["monthly"]')
    result = playground(text, {"billing": "annual", "purchased_on": "2026-01-01", "amount_paid": "1200.00",
                               "currency": "USD", "product": "subscription"})
    missing = [n for n in result["chart"]["not_charted"] if n["vendor"] == DRAFT]
    assert len(missing) == 1 and "billing" in missing[0]["reason"]
    assert [c["vendor"] for c in result["chart"]["charted"]][-1] != DRAFT


# -- errors: the field, what was expected, the line --------------------------------------------------------

RECATCH = source("recatch") if "recatch" in VENDORS else ""

ERRORS = {
    # what is broken: (edit of reCatch's file, field, words of `expected`, the line's text)
    "TOML syntax": (lambda t: replace_once(t, 'name = "reCatch"', "name = reCatch"),
                    "(syntax)", "valid TOML", "name = reCatch"),
    "missing field": (lambda t: replace_once(t, 'label = "Full refund within 7 days of subscribing, if the service '
                                                'was not used at all"\n', ""),
                      'rules["full-unused"].label', "a non-empty string", "[[rules]]"),
    "missing top-level field": (lambda t: replace_once(t, 'sells = "Reservation pages', 'seller = "Reservation pages'),
                                "seller", "did you mean sells?", 'seller = "Reservation pages'),
    "unknown clause cite": (lambda t: replace_once(t,
                                                   'cites = ["full-definition", "full-window", "full-all-conditions"]',
                                                   'cites = ["full-definition", "full-windows"]'),
                            'rules["full-unused"].cites', "'full-windows' is not one",
                            'cites = ["full-definition", "full-windows"]'),
    "bad expression": (lambda t: replace_once(t, 'test = "days_since_purchase <= 7"',
                                              'test = "days_since_purchase <="'),
                       'rules["full-unused"].requires["full-window-7-days"].test', "a bool expression",
                       'test = "days_since_purchase <="'),
    "unknown name in an expression": (lambda t: replace_once(t, 'test = "not one_time_copy_used"',
                                                             'test = "not one_time_copy_usd"'),
                                      'rules["full-unused"].requires[1].test', "one_time_copy_usd",
                                      'test = "not one_time_copy_usd"'),
    "unknown outcome": (lambda t: replace_once(t, 'outcome = "full"', 'outcome = "complete"'),
                        'rules["full-unused"].outcome', "one of full, partial", 'outcome = "complete"'),
    "clause not in the text": (lambda t: replace_once(t, "text = 'A full refund means you get 100%",
                                                      "text = 'A full refund means you get 99%"),
                               'clauses["full-definition"].text', "found verbatim",
                               "text = 'A full refund means you get 99%"),
    "duplicate topic": (lambda t: t + '\n[[topics]]\ntopic = "fees"\nsummary = "Again."\ncites = ["cash-out-fee"]\n',
                        "topics", "each topic at most once", "[[topics]]"),
    "capture key": (lambda t: replace_once(t, 'ends_before = "---\\n\\n# Agent Instructions"',
                                           'ends_before = "---\\n\\n# Agent Instructionz"'),
                    "capture.ends_before", "found verbatim", 'ends_before = "---'),
}


@pytest.mark.parametrize("kind", ERRORS)
def test_each_kind_of_error_names_its_field_and_line(kind: str) -> None:
    edit, field, expected, line_text = ERRORS[kind]
    text = edit(RECATCH)
    result = playground(text, MONTHLY)
    assert result["valid"] is False
    assert set(result) == {"valid", "error"}
    error = result["error"]
    assert error["field"] == field
    assert expected in error["expected"]
    assert error["message"].startswith(f"draft: {field}: ")  # ": expected ..." or ": unknown key; ..."
    assert error["message"].endswith(error["expected"])
    if line_text is None:
        assert error["line"] is None
    else:
        assert error["line"] == line_of(text, line_text), (error, line_text)
    # The same through the bridge, as the browser gets it.
    assert call("playground", toml=text, scenario=MONTHLY) == {"ok": True, "value": result}


def test_syntax_error_gives_line_and_column() -> None:
    text = replace_once(RECATCH, 'name = "reCatch"', "name = reCatch")
    error = playground(text)["error"]
    assert (error["line"], error["column"]) == (4, 8)
    assert "(at line 4, column 8)" in error["message"]


def test_an_empty_editor_is_an_invalid_draft() -> None:
    assert playground("")["error"]["field"] == "schema"


def test_bridge_reports_a_scenario_that_is_not_an_object_in_the_chart() -> None:
    body = call("playground", toml=RECATCH, scenario="{not json")
    assert body["ok"] is True and body["value"]["valid"] is True
    error = body["value"]["chart"]["error"]
    assert error["field"] == "" and error["kind"] == "type" and error["message"].startswith("scenario: expected")
    assert call("playground", toml=RECATCH, scenario=None)["value"]["chart"]["purchase"]["billing"] == "annual"


def test_random_edits_never_break_the_call() -> None:
    """Lines deleted, repeated, swapped or mangled: always a verdict on the draft, never an exception."""
    rng = random.Random(20260101)
    for vendor in VENDORS:
        lines = source(vendor).splitlines(keepends=True)
        for _ in range(40):
            edited = list(lines)
            i, j = rng.randrange(len(edited)), rng.randrange(len(edited))
            operation = rng.choice(["delete", "repeat", "swap", "mangle"])
            if operation == "delete":
                del edited[i]
            elif operation == "repeat":
                edited.insert(i, edited[i])
            elif operation == "swap":
                edited[i], edited[j] = edited[j], edited[i]
            else:
                edited[i] = edited[i].replace('"', "", 1)
            answer = call("playground", toml="".join(edited), scenario=MONTHLY)
            assert answer["ok"] is True, answer
            body = answer["value"]
            if not body["valid"]:
                assert body["error"]["field"] != "(file)", body["error"]  # the loader names a field
                assert body["error"]["message"].startswith("draft: ")


# -- where a field is in the text ----------------------------------------------------------------------------

def _paths(data: Any, prefix: str = "") -> list[tuple[str, bool]]:
    """Every table and key of parsed TOML as loader field paths, with whether it is a table."""
    out: list[tuple[str, bool]] = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.append((path, True))
            out += _paths(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, item in enumerate(value):
                out.append((f"{path}[{index}]", True))
                out += _paths(item, f"{path}[{index}]")
        else:
            out.append((path, False))
    return out


@pytest.mark.parametrize("vendor", VENDORS)
def test_field_lines_find_every_table_and_key_of_the_published_files(vendor: str) -> None:
    text = source(vendor)
    lines = text.splitlines()
    found = field_lines(text)
    for path, is_table in _paths(tomllib.loads(text)):
        assert path in found, path
        line = lines[found[path] - 1]
        name = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
        if is_table:
            assert line.strip().startswith("[") and name in line, (path, line)
        else:
            assert re.match(rf"\s*{re.escape(name)}\s*=", line), (path, line)


def test_field_line_falls_back_to_the_table() -> None:
    text = RECATCH
    assert field_line(text, "rules[1].timings") == line_of(text, 'id = "partial-unused-portion"') - 1
    assert field_line(text, "(top level)") is None
    assert field_line(text, "rules") == line_of(text, "[[rules]]")
