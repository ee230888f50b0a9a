"""The vendor page answers first: its calculator starts on the first screen, and a shared link lands on its verdict.

Checked for every vendor at the two sizes the team looks at (1280x900 and 390x844).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

import refundlib
from calculator_helpers import RUNTIME_TIMEOUT_MS, permalink_hash, scenarios_for
from refundlib.terms import lead_sentence

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
VENDORS = refundlib.vendor_ids()


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[BrowserContext, int]]:
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US", timezone_id="UTC")
    yield context, height
    context.close()


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_calculator_starts_on_the_first_screen(sized: tuple[BrowserContext, int], site_server: str,
                                                   vendor: str) -> None:
    context, height = sized
    page = context.new_page()
    try:
        page.goto(f"{site_server}vendors/{vendor}/")
        assert page.locator(".refund-lead").inner_text() == lead_sentence(refundlib.get_policy(vendor))
        top = page.locator(".refund-calculator").first.bounding_box()
        assert top is not None and top["y"] < height, top
    finally:
        page.close()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_permalink_lands_on_its_verdict(sized: tuple[BrowserContext, int], site_server: str, vendor: str) -> None:
    scenario = scenarios_for(vendor, count=1)[0].input
    context, height = sized
    page = context.new_page()
    try:
        page.goto(f"{site_server}vendors/{vendor}/{permalink_hash(scenario)}")
        verdict = page.locator(".refund-verdict[data-state=done]").first
        expect(verdict).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)
        headline = verdict.locator(".refund-verdict__headline")
        expect(headline).to_be_focused()
        box, header = verdict.bounding_box(), page.locator("header").first.bounding_box()
        assert box is not None and header is not None
        assert header["y"] + header["height"] <= box["y"] < height, (box, header)  # in view, not under the header
    finally:
        page.close()
