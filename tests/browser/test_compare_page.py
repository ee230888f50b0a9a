"""The compare page in real headless Chromium: one situation, every vendor.

A person fills the shared form; each vendor's verdict must equal CPython's
``refundlib.compare.compare`` for the scenario the page sends (which names the product
per vendor: the page's default, like ``pick_product``, or the one picked by hand).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import refundlib
from calculator_helpers import (
    ANSWER_WORDS,
    BILLING_QUESTION,
    BILLING_WORDS,
    COMPARE_SCENARIOS,
    LABELS,
    MORE_QUESTIONS,
    RUNTIME_TIMEOUT_MS,
    assert_compare_matches,
    compare_page,
    compare_scenario,
    fill_compare_form,
    group,
    merged_facts,
    permalink_hash,
    start_over,
    wait_for_verdict,
)
from refundlib.compare import compare


def page_vendors(page: Page) -> list[str]:
    return page.locator("section.refund-compare").get_attribute("data-vendors").split()


def results_for(scenario: dict) -> list[dict]:
    return [r.to_dict() for r in compare(scenario)]


def test_compare_page_lists_every_vendor(shared, site_server: str) -> None:
    page = compare_page(shared, site_server)
    vendors = page_vendors(page)
    assert vendors == refundlib.vendor_ids()
    section = page.locator("section.refund-compare")
    for vendor in vendors:
        expect(section.locator(f'.refund-verdict[data-vendor="{vendor}"]')).to_have_count(1)
    # The vendors' own questions are there, once each, folded away under "More questions".
    more = section.locator("details.refund-more")
    expect(more.locator("summary")).to_have_text(MORE_QUESTIONS)
    assert more.locator("fieldset.refund-group, .refund-field").count() == len(merged_facts(vendors))


@pytest.mark.parametrize("name", COMPARE_SCENARIOS)
def test_compare_verdicts_equal_cpython(shared, site_server: str, name: str) -> None:
    page = compare_page(shared, site_server)
    vendors = page_vendors(page)
    section = page.locator("section.refund-compare")
    start_over(section)
    entered = COMPARE_SCENARIOS[name]
    fill_compare_form(section, vendors, entered)

    sent = compare_scenario(vendors, entered)
    wait_for_verdict(page, sent, selector="section.refund-compare .refund-verdict")
    results = results_for(sent)
    assert [r["vendor"] for r in results] == vendors
    assert_compare_matches(section, results)
    # Clause links lead to the vendor's own page.
    for vendor in vendors:
        for href in section.locator(f'.refund-verdict[data-vendor="{vendor}"] a.refund-clause-link').evaluate_all(
                "(a) => a.map((x) => x.getAttribute('href'))"):
            assert href.startswith(f"../vendors/{vendor}/#clause-"), href


def test_compare_permalink(shared, site_server: str) -> None:
    page = shared.page("link")
    vendors = refundlib.vendor_ids()
    entered = COMPARE_SCENARIOS["annual with a discount, six months in, some answers unknown"]
    sent = compare_scenario(vendors, entered)
    page.goto(f"{site_server}compare/" + permalink_hash(sent))
    wait_for_verdict(page, sent, selector="section.refund-compare .refund-verdict")
    section = page.locator("section.refund-compare")
    assert_compare_matches(section, results_for(sent))

    form = section.locator("form.refund-form")
    billing = group(form, BILLING_QUESTION).get_by_role("radio", name=BILLING_WORDS[sent["billing"]], exact=True)
    expect(billing).to_be_checked()
    for key, label in LABELS.items():
        expect(form.get_by_label(label, exact=True)).to_have_value(str(sent.get(key, "")))
    for vendor, product in sent["products"].items():
        expect(form.get_by_label(refundlib.get_policy(vendor).name, exact=True)).to_have_value(product)
    facts = merged_facts(vendors)
    expect(form.locator("details.refund-more")).to_have_attribute("open", "")
    for fact_id, answer in sent["facts"].items():
        radio = group(form, facts[fact_id]["question"]).get_by_role("radio", name=ANSWER_WORDS[answer], exact=True)
        expect(radio).to_be_checked()


def test_compare_shows_the_common_input_error(shared, site_server: str) -> None:
    page = compare_page(shared, site_server)
    vendors = page_vendors(page)
    section = page.locator("section.refund-compare")
    start_over(section)
    entered = {**COMPARE_SCENARIOS["monthly, day 5, first payment"], "requested_on": "2026-02-01"}
    fill_compare_form(section, vendors, entered)
    wait_for_verdict(page, compare_scenario(vendors, entered), selector="section.refund-compare .refund-verdict")
    with pytest.raises(refundlib.ScenarioError) as raised:
        compare(compare_scenario(vendors, entered))
    problem = section.locator(".refund-problem")
    expect(problem).to_contain_text(f"{LABELS['requested_on']}: expected {raised.value.expected}",
                                    timeout=RUNTIME_TIMEOUT_MS)
    for vendor in vendors:
        verdict = section.locator(f'.refund-verdict[data-vendor="{vendor}"]')
        expect(verdict).to_have_attribute("data-state", "error")
        expect(verdict).to_have_attribute("data-outcome", "")
