"""The policy playground (/playground/) in real headless Chromium, against the built site.

A policy writer starts from a published policy, breaks it, fixes it, drafts a sixth vendor
and downloads the file; what the page shows must be what CPython's refundlib.playground says
for the same text. Pyodide starts once: the tests share one page (``shared`` fixture, which
also fails a test on console errors, foreign requests and CSP violations), and each test
starts by loading a published policy into the editor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Route, expect

import refundlib
from calculator_helpers import RUNTIME_TIMEOUT_MS, VERDICT_TIMEOUT_MS, assert_accessible, focus_top_of_page, open_once
from refundlib.playground import DEFAULT_PURCHASE, DRAFT, playground, policy_source

VENDORS = refundlib.vendor_ids()
START = "recatch" if "recatch" in VENDORS else VENDORS[0]
START_NAME = refundlib.get_policy(START).name
EDITOR = "Policy file (TOML)"
PICKER = "Start from"
LOAD = "Load into the editor"
DOWNLOAD = "Download the file"
PURCHASE_FIELDS = {"purchased_on": "Purchase date (YYYY-MM-DD)", "amount_paid": "Amount paid",
                   "list_price": "List price before any discount", "currency": "Currency"}


# --- helpers ----------------------------------------------------------------------------------

def playground_page(shared, site: str) -> Page:
    return open_once(shared, f"{site}playground/", "playground")


def status(page: Page) -> Locator:
    return page.locator(".refund-playground-status")


def editor(page: Page) -> Locator:
    return page.get_by_label(EDITOR, exact=True)


def load(page: Page, vendor: str) -> None:
    """Pick a published policy in "Start from" and load it, as a person would; wait for its check."""
    name = refundlib.get_policy(vendor).name
    expect(page.get_by_label(PICKER, exact=True).locator(f'option[value="{vendor}"]')).to_have_count(
        1, timeout=RUNTIME_TIMEOUT_MS)
    page.get_by_label(PICKER, exact=True).select_option(label=name)
    page.get_by_role("button", name=LOAD, exact=True).click()
    expect(editor(page)).to_have_value(policy_source(vendor), timeout=RUNTIME_TIMEOUT_MS)
    expect(status(page)).to_have_attribute("data-valid", "true", timeout=RUNTIME_TIMEOUT_MS)
    expect(status(page)).to_contain_text(f"draft: {name} (id “{vendor}”)", timeout=VERDICT_TIMEOUT_MS)


def edit(page: Page, text: str) -> None:
    editor(page).fill(text)


def wait_valid(page: Page, name: str) -> None:
    expect(status(page)).to_have_attribute("data-valid", "true", timeout=VERDICT_TIMEOUT_MS)
    expect(status(page)).to_contain_text(f"Your draft loads: {name} (", timeout=VERDICT_TIMEOUT_MS)


def assert_shows(page: Page, expected: dict[str, Any]) -> None:
    """The gap report, the comparison table and the chart show CPython's answer for the draft."""
    assert expected["valid"] is True
    # Comparison: the published columns and the draft's, each term as stated (or "Not stated").
    # (The draft's column comes first, next to the terms.)
    columns = [c for c in expected["columns"] if c["draft"]] + [c for c in expected["columns"] if not c["draft"]]
    table = page.locator("table.refund-playground-table")
    expect(table.locator("thead th[data-vendor]")).to_have_count(len(columns))
    heads = table.locator("thead th[data-vendor]").evaluate_all("(ths) => ths.map((th) => th.dataset.vendor)")
    assert heads == [c["key"] for c in columns]
    expect(table.locator(f'thead th[data-vendor="{DRAFT}"]')).to_contain_text(expected["name"])
    for row in expected["topics"]:
        cells = table.locator(f'tr[data-topic="{row["topic"]}"] td')
        expect(cells).to_have_text([row["cells"][c["key"]] or "Not stated" for c in columns])
        expect(table.locator(f'tr[data-topic="{row["topic"]}"] th')).to_have_text(row["label"])
    # Gap report: every finding, with the clauses it quotes.
    findings = page.locator("li.refund-playground-finding")
    expect(findings).to_have_count(len(expected["lint"]["findings"]))
    for index, finding in enumerate(expected["lint"]["findings"]):
        item = findings.nth(index)
        expect(item).to_have_attribute("data-kind", finding["kind"])
        expect(item).to_have_attribute("data-subject", finding["subject"])
        expect(item.locator("q")).to_have_text([q["text"] for q in finding["clauses"]])
    # Chart: one line per vendor charted, the draft's last, labelled with its name.
    chart = expected["chart"]
    expect(page.locator("figure.refund-playground-chart")).to_have_attribute(
        "data-chart-vendors", " ".join(c["vendor"] for c in chart["charted"]))
    lines = page.locator(".refund-playground-chart svg g.series")
    expect(lines).to_have_count(len(chart["charted"]))
    vendors = lines.evaluate_all("(gs) => gs.map((g) => g.dataset.vendor)")
    assert vendors == [c["vendor"] for c in chart["charted"]]
    draft_line = page.locator(f'.refund-playground-chart svg g.series[data-vendor="{DRAFT}"]')
    expect(draft_line.locator("text.label")).to_have_text(expected["name"])
    for missing in chart["not_charted"]:
        expect(page.locator(".refund-playground-chart figcaption")).to_contain_text(missing["reason"])


# --- the tests --------------------------------------------------------------------------------------

def test_break_and_fix_a_published_policy(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    # First visit: the blank template is loaded and checked.
    expect(status(page)).to_have_attribute("data-valid", "true", timeout=RUNTIME_TIMEOUT_MS)
    load(page, START)
    original = policy_source(START)
    assert_shows(page, playground(original, DEFAULT_PURCHASE))

    broken = original.replace('outcome = "full"', 'outcome = "complete"', 1)
    expected = playground(broken)["error"]
    # Entries are named by id: the rule broken is the policy's first with a full refund.
    field = f'rules["{next(r.id for r in refundlib.get_policy(START).rules if r.outcome == "full")}"].outcome'
    assert expected["field"] == field
    edit(page, broken)
    expect(status(page)).to_have_attribute("data-valid", "false", timeout=VERDICT_TIMEOUT_MS)
    expect(status(page)).to_have_attribute("data-field", field)
    expect(status(page)).to_have_attribute("data-line", str(expected["line"]))
    expect(status(page)).to_contain_text(f"Line {expected['line']}: {field}: expected {expected['expected']}")
    expect(editor(page)).to_have_attribute("aria-invalid", "true")
    # What was shown stays, marked as being for the last version that loaded.
    expect(page.locator(".refund-playground-stale")).to_be_visible()
    assert_accessible(page)

    # "Go to line N" selects the line in the editor.
    status(page).get_by_role("button", name=f"Go to line {expected['line']}").click()
    expect(editor(page)).to_be_focused()
    selected = editor(page).evaluate("(t) => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == 'outcome = "complete"'

    edit(page, original)
    wait_valid(page, f"draft: {START_NAME}")
    expect(status(page)).not_to_have_attribute("data-field", field)
    expect(editor(page)).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".refund-playground-stale")).to_be_hidden()
    assert_shows(page, playground(original, DEFAULT_PURCHASE))
    assert_accessible(page)


def test_a_syntax_error_names_the_line_and_column(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    load(page, START)
    broken = policy_source(START).replace(f'name = "{START_NAME}"', f"name = {START_NAME}", 1)
    expected = playground(broken)["error"]
    edit(page, broken)
    expect(status(page)).to_have_attribute("data-valid", "false", timeout=VERDICT_TIMEOUT_MS)
    expect(status(page)).to_have_attribute("data-field", "(syntax)")
    expect(status(page)).to_contain_text(f"Line {expected['line']}, column {expected['column']}: (syntax)")


def test_draft_a_sixth_policy_and_download_it(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    load(page, START)
    text = (policy_source(START).replace(f'id = "{START}"', 'id = "acme-cloud"', 1)
            .replace(f'name = "{START_NAME}"', 'name = "Acme Cloud"', 1))
    edit(page, text)
    wait_valid(page, "Acme Cloud")
    expected = playground(text, DEFAULT_PURCHASE)
    assert expected["name"] == "Acme Cloud"
    assert_shows(page, expected)
    # Beside the five, not instead of one of them.
    table = page.locator("table.refund-playground-table")
    for vendor in VENDORS:
        expect(table.locator(f'thead th[data-vendor="{vendor}"]')).to_have_text(refundlib.get_policy(vendor).name)
    expect(page.locator(f'.refund-playground-chart svg g.series[data-vendor="{START}"] text.label')).to_have_text(
        START_NAME)

    with page.expect_download() as info:
        page.get_by_role("button", name=DOWNLOAD, exact=True).click()
    download = info.value
    assert download.suggested_filename == "acme-cloud.toml"
    assert Path(download.path()).read_text(encoding="utf-8") == text


def test_the_purchase_charted_can_be_changed(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    load(page, START)
    page.get_by_label("Billing", exact=True).select_option("monthly")
    purchase = {**DEFAULT_PURCHASE, "billing": "monthly"}
    expected = playground(policy_source(START), purchase)
    figure = page.locator("figure.refund-playground-chart")
    expect(figure).to_have_attribute("data-chart-vendors", " ".join(c["vendor"] for c in expected["chart"]["charted"]),
                                     timeout=VERDICT_TIMEOUT_MS)
    assert_shows(page, expected)

    amount = page.get_by_label(PURCHASE_FIELDS["amount_paid"], exact=True)
    amount.fill("lots")
    problem = page.locator(".refund-playground-form .refund-problem")
    expect(problem).to_be_visible(timeout=VERDICT_TIMEOUT_MS)
    expect(problem).to_contain_text(playground(policy_source(START), {**purchase, "amount_paid": "lots"})
                                    ["chart"]["error"]["message"])
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(status(page)).to_have_attribute("data-valid", "true")  # the draft itself is fine

    amount.fill(DEFAULT_PURCHASE["amount_paid"])
    expect(problem).to_be_hidden(timeout=VERDICT_TIMEOUT_MS)
    expect(figure).to_be_visible()
    page.get_by_label("Billing", exact=True).select_option(DEFAULT_PURCHASE["billing"])
    assert_shows(page, playground(policy_source(START), DEFAULT_PURCHASE))


def test_the_draft_survives_a_reload_and_load_can_be_undone(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    load(page, START)
    text = policy_source(START).replace(f'name = "{START_NAME}"', 'name = "Kept across reloads"', 1)
    edit(page, text)
    wait_valid(page, "draft: Kept across reloads")
    page.reload()
    expect(editor(page)).to_have_value(text, timeout=RUNTIME_TIMEOUT_MS)
    expect(page.locator(".refund-playground-note")).to_contain_text("kept in this browser")
    wait_valid(page, "draft: Kept across reloads")

    other = next(v for v in VENDORS if v != START)
    page.get_by_label(PICKER, exact=True).select_option(other)
    page.get_by_role("button", name=LOAD, exact=True).click()
    expect(editor(page)).to_have_value(policy_source(other), timeout=VERDICT_TIMEOUT_MS)
    page.get_by_role("button", name="Undo: bring back the text it replaced").click()
    expect(editor(page)).to_have_value(text)
    wait_valid(page, "draft: Kept across reloads")


def test_keyboard_only(shared, site_server: str) -> None:
    page = playground_page(shared, site_server)
    load(page, START)
    focus_top_of_page(page)
    picker = page.get_by_label(PICKER, exact=True)
    for _ in range(300):
        page.keyboard.press("Tab")
        if picker.evaluate("(s) => s === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Start from picker")
    target = VENDORS[0] if VENDORS[0] != START else VENDORS[1]
    page.keyboard.press("Home")
    for _ in range(len(VENDORS) + 1):
        if picker.input_value() == target:
            break
        page.keyboard.press("ArrowDown")
    assert picker.input_value() == target
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=LOAD, exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(editor(page)).to_have_value(policy_source(target), timeout=VERDICT_TIMEOUT_MS)
    wait_valid(page, f"draft: {refundlib.get_policy(target).name}")

    editor(page).focus()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("schema = 2\n")
    expect(status(page)).to_have_attribute("data-field", "schema", timeout=VERDICT_TIMEOUT_MS)
    page.keyboard.press("Tab")  # the editor does not keep Tab: focus moves on, to "Go to line 1"
    expect(status(page).get_by_role("button", name="Go to line 1")).to_be_focused()
    page.keyboard.press("Enter")
    expect(editor(page)).to_be_focused()
    assert editor(page).evaluate("(t) => t.value.slice(t.selectionStart, t.selectionEnd)") == "schema = 2"


def _abort(route: Route) -> None:
    route.abort()


@pytest.mark.allow_console_errors  # the blocked download is logged by the browser
def test_failure_is_shown_and_retry_recovers(page: Page, site_server: str) -> None:
    page.context.route("**/*.wasm", _abort)
    page.goto(f"{site_server}playground/")
    failure = page.locator(".refund-failure")
    expect(failure).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)
    expect(failure).to_contain_text("could not start")
    expect(status(page)).to_have_attribute("data-state", "failed")
    expect(editor(page)).to_be_editable()

    page.context.unroute("**/*.wasm", _abort)
    failure.get_by_role("button", name="Try again").click()
    expect(status(page)).to_have_attribute("data-valid", "true", timeout=RUNTIME_TIMEOUT_MS)
    expect(failure).to_be_hidden()
    expect(editor(page)).to_have_value(policy_source(""))


def test_nothing_leaves_the_page(shared, site_server: str) -> None:
    """The page asks only its own site for anything (the fixture fails foreign requests), and never POSTs."""
    page = playground_page(shared, site_server)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url}")
            if request.method != "GET" else None)
    load(page, START)
    text = policy_source(START).replace(f'name = "{START_NAME}"', 'name = "Stays here"', 1)
    edit(page, text)
    wait_valid(page, "draft: Stays here")
    assert sent == []
    stored = json.loads(page.evaluate("() => localStorage.getItem('refund-playground:draft')"))
    assert stored == {"text": text, "from": START}
