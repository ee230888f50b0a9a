"""The site's own colours follow the light and the dark scheme Material offers.

Every page type is checked with axe in both schemes at both widths the team looks at
(1280x900 and 390x844), and a vendor page with a verdict shown, so the calculator's colours
are checked too. The scheme is chosen as a visitor's system would choose it
(``prefers-color-scheme``), which Material follows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

import refundlib
from calculator_helpers import assert_accessible, permalink_hash, scenarios_for, wait_until_settled

SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme name
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = ["", "compare/", "playground/", "embed/", "method/", *(f"vendors/{v}/" for v in refundlib.vendor_ids())]


@pytest.fixture(scope="module", params=[(s, z) for s in SCHEMES for z in SIZES], ids=lambda p: f"{p[0]}-{p[1]}")
def scheme_context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, BrowserContext]]:
    scheme, size = request.param
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                  locale="en-US", timezone_id="UTC")
    yield scheme, context
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.strip("/") or "home")
def test_page_is_accessible_in_each_scheme(scheme_context: tuple[str, BrowserContext], site_server: str,
                                           path: str) -> None:
    scheme, context = scheme_context
    page = context.new_page()
    try:
        page.goto(site_server + path)
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        assert_accessible(page)
    finally:
        page.close()


@pytest.mark.parametrize("vendor", refundlib.vendor_ids())
def test_verdict_is_accessible_in_each_scheme(scheme_context: tuple[str, BrowserContext], site_server: str,
                                              vendor: str) -> None:
    _, context = scheme_context
    scenario = scenarios_for(vendor, count=1)[0].input
    page = context.new_page()
    try:
        page.goto(f"{site_server}vendors/{vendor}/{permalink_hash(scenario)}")
        wait_until_settled(page)
        assert page.locator(".refund-verdict[data-state=done]").count() > 0
        assert_accessible(page)
    finally:
        page.close()
