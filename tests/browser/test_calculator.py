"""The vendor pages' calculator in real headless Chromium, against the built site.

The browser's verdict must be the library's verdict: for every vendor, case scenarios
from tests/cases are entered in the form as a person would (and opened as permalinks),
and what the page shows is compared with CPython's ``refundlib.evaluate``.

Pyodide takes seconds to start, so one page per vendor is kept for the whole session
(``shared`` fixture, see conftest.py) and the form is reset with its "Start over" button.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

import refundlib
from calculator_helpers import (
    LABELS,
    RUNTIME_TIMEOUT_MS,
    Scenario,
    assert_form_shows,
    assert_shows_decision,
    error_case,
    fill_vendor_form,
    form_scenario,
    permalink_hash,
    scenario_in_url,
    scenarios_for,
    start_over,
    vendor_page,
    wait_for_verdict,
)
from case_files import load_cases

VENDORS = refundlib.vendor_ids()
FORM_CASES = [s for vendor in VENDORS for s in scenarios_for(vendor)]
LINK_CASES = [s for vendor in VENDORS for s in scenarios_for(vendor)[:2]]


def vendor_url(site: str, vendor: str) -> str:
    return f"{site}vendors/{vendor}/"


def test_scenarios_cover_every_vendor() -> None:
    """At least two scenarios per vendor, one of them conditional wherever the case files have one."""
    for vendor in VENDORS:
        chosen = scenarios_for(vendor)
        assert len(chosen) >= 2, vendor
        outcomes = {refundlib.evaluate(vendor, s.input).outcome for s in chosen}
        available = {refundlib.evaluate(vendor, c.input).outcome for c in load_cases()
                     if c.vendor == vendor and c.output is not None}
        assert "conditional" in outcomes or "conditional" not in available, vendor


@pytest.mark.parametrize("case", FORM_CASES, ids=[c.id for c in FORM_CASES])
def test_form_verdict_equals_cpython(shared, site_server: str, case: Scenario) -> None:
    page = vendor_page(shared, site_server, case.vendor)
    section = page.locator(f'section.refund-calculator[data-vendor="{case.vendor}"]')
    start_over(section)
    fill_vendor_form(section, case.vendor, case.input)

    sent = form_scenario(case.vendor, case.input)
    wait_for_verdict(page, sent)
    decision = refundlib.evaluate(case.vendor, case.input).to_dict()
    # The form's scenario means the same as the case's (it only adds a billing the product implies).
    assert refundlib.evaluate(case.vendor, sent).to_dict() == decision
    assert_shows_decision(section.locator(".refund-verdict"), decision)
    # Reasons link to the quoted clauses on this page, and those anchors exist.
    links = section.locator(".refund-verdict a.refund-clause-link")
    for href in links.evaluate_all("(a) => a.map((x) => x.getAttribute('href'))"):
        assert href.startswith("#clause-"), href
        assert page.locator(f'[id="{href[1:]}"]').count() == 1, href


@pytest.mark.parametrize("case", LINK_CASES, ids=[c.id for c in LINK_CASES])
def test_permalink_shows_cpython_verdict(shared, site_server: str, case: Scenario) -> None:
    # The first link per vendor is a fresh page load; the second only changes the hash of the
    # open page (a "hashchange"), which must refill the form just the same.
    page = shared.page("link")
    page.goto(vendor_url(site_server, case.vendor) + permalink_hash(case.input))
    wait_for_verdict(page, case.input)

    section = page.locator("section.refund-calculator")
    assert_shows_decision(section.locator(".refund-verdict"), refundlib.evaluate(case.vendor, case.input).to_dict())
    assert_form_shows(section, case.vendor, case.input)
    assert scenario_in_url(page.url) == case.input  # opening a link does not rewrite it


def test_clause_links_in_the_verdict_lead_to_the_policy_text(shared, site_server: str) -> None:
    vendor = "recatch" if "recatch" in VENDORS else VENDORS[0]
    case = scenarios_for(vendor)[-1]
    page = vendor_page(shared, site_server, vendor)
    section = page.locator(f'section.refund-calculator[data-vendor="{vendor}"]')
    start_over(section)
    fill_vendor_form(section, vendor, case.input)
    wait_for_verdict(page, form_scenario(vendor, case.input))

    link = section.locator(".refund-verdict a.refund-clause-link").first
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))  # the calculator leaves the anchor alone
    expect(page.locator(f'[id="{href[1:]}"]')).to_be_in_viewport()
    assert_shows_decision(section.locator(".refund-verdict"), refundlib.evaluate(vendor, case.input).to_dict())


@pytest.mark.parametrize("vendor", VENDORS)
def test_library_error_is_shown_next_to_the_form(shared, site_server: str, vendor: str) -> None:
    bad = error_case(vendor, "requested_on") or {**scenarios_for(vendor)[0].input, "requested_on": "2020-01-01"}
    with pytest.raises(refundlib.ScenarioError) as raised:
        refundlib.evaluate(vendor, bad)
    assert raised.value.field == "requested_on"

    page = vendor_page(shared, site_server, vendor)
    section = page.locator(f'section.refund-calculator[data-vendor="{vendor}"]')
    start_over(section)
    fill_vendor_form(section, vendor, bad)
    wait_for_verdict(page, form_scenario(vendor, bad))

    verdict = section.locator(".refund-verdict")
    expect(verdict).to_have_attribute("data-state", "error")
    expect(verdict).to_have_attribute("data-outcome", "")
    expect(verdict).to_have_attribute("data-amount", "")
    problem = section.locator(".refund-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text(f"{LABELS['requested_on']}: expected {raised.value.expected}")
    expect(section.get_by_label(LABELS["requested_on"], exact=True)).to_have_attribute("aria-invalid", "true")


# --- failure is visible, and "Try again" recovers ------------------------------------------

def _abort(route: Route) -> None:
    route.abort()


def _not_a_wheel(route: Route) -> None:
    route.fulfill(status=200, body=b"this is not a zip file", headers={"content-type": "application/zip"})


def _damaged_inside(route: Route) -> None:
    """The real wheel with its first entry's deflated bytes overwritten: the zip's structure is intact."""
    body = bytearray(route.fetch().body())
    start = 30 + int.from_bytes(body[26:28], "little") + int.from_bytes(body[28:30], "little")
    body[start:start + 16] = b"\xff" * 16
    route.fulfill(status=200, body=bytes(body), headers={"content-type": "application/zip"})


FAILURES = {
    # what is broken: (URL pattern, handler, words the message must contain)
    "wasm blocked": ("**/*.wasm", _abort, "runtime"),
    "standard library blocked": ("**/python_stdlib*.zip", _abort, "runtime"),
    "worker script blocked": ("**/assets/refund/immutable/worker.*.js", _abort, "worker"),
    "wheel corrupt": ("**/refundlib-*.whl", _not_a_wheel, "refundlib"),
    "wheel damaged inside": ("**/refundlib-*.whl", _damaged_inside, "refundlib"),
    "wheel blocked": ("**/refundlib-*.whl", _abort, "refundlib"),
}


@pytest.mark.allow_console_errors  # the failed loads are logged by the browser
@pytest.mark.parametrize("failure", FAILURES)
def test_failure_is_shown_and_retry_recovers(page: Page, site_server: str, failure: str) -> None:
    pattern, handler, words = FAILURES[failure]
    vendor = "recatch" if "recatch" in VENDORS else VENDORS[0]
    case = scenarios_for(vendor)[0]
    page.context.route(pattern, handler)
    page.goto(vendor_url(site_server, vendor) + permalink_hash(case.input))

    policy_text = page.locator("#policy-text")
    failure_box = page.locator(".refund-failure")
    expect(failure_box).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)
    expect(failure_box).to_contain_text("could not start")
    expect(failure_box).to_contain_text(words)
    verdict = page.locator(".refund-verdict")
    expect(verdict).to_have_attribute("data-state", "failed")
    expect(verdict).to_have_attribute("data-outcome", "")
    expect(policy_text).to_be_visible()
    expect(page.locator(".clause").first).to_be_visible()

    page.context.unroute(pattern, handler)
    failure_box.get_by_role("button", name="Try again").click()
    wait_for_verdict(page, case.input)
    expect(failure_box).to_be_hidden()
    assert_shows_decision(verdict, refundlib.evaluate(vendor, case.input).to_dict())
    expect(policy_text).to_be_visible()


@pytest.mark.allow_console_errors  # the failed download is logged
def test_policy_download_failure_is_shown_and_retry_recovers(page: Page, site_server: str) -> None:
    vendor = VENDORS[0]
    case = scenarios_for(vendor)[0]
    pattern = f"**/assets/refund/policies/{vendor}.json"
    page.context.route(pattern, lambda route: route.fulfill(status=404, body="not found"))
    page.goto(vendor_url(site_server, vendor) + permalink_hash(case.input))
    failure_box = page.locator(".refund-failure")
    expect(failure_box).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)
    expect(failure_box).to_contain_text(f"The questions for “{vendor}” could not be downloaded (HTTP 404)")
    expect(page.locator("#policy-text")).to_be_visible()

    page.context.unroute(pattern)
    failure_box.get_by_role("button", name="Try again").click()
    wait_for_verdict(page, case.input)
    assert_shows_decision(page.locator(".refund-verdict"), refundlib.evaluate(vendor, case.input).to_dict())
    assert_form_shows(page.locator("section.refund-calculator"), vendor, case.input)
