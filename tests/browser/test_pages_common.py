"""What holds on every page of the built site, in real headless Chromium.

- No request to another origin, no console error, no Content-Security-Policy violation
  (the ``shared`` fixture checks all three after every test; the first test shows that
  those checks do catch such things).
- No serious or critical axe-core violation, before and after a verdict is shown.
- The calculators can be used with the keyboard alone.
- Without JavaScript the policy text, summaries and the comparison table are readable.
- The Content-Security-Policy is present, strict, and the calculator works under it.
- embed.js gives an embedding page the library's own JSON.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

import refundlib
from calculator_helpers import (
    COMPARE_SCENARIOS,
    RUNTIME_TIMEOUT_MS,
    assert_accessible,
    assert_compare_matches,
    assert_shows_decision,
    compare_page,
    compare_scenario,
    focus_top_of_page,
    form_scenario,
    keyboard_fill,
    permalink_hash,
    scenarios_for,
    start_over,
    vendor_page,
    wait_for_verdict,
)
from refundlib import bridge
from refundlib.compare import compare

VENDORS = refundlib.vendor_ids()
STATIC_PAGES = {"home": "", "method": "method/", "embed": "embed/", "policy format": "policy-format/"}
CSP_META = 'meta[http-equiv="Content-Security-Policy"]'


def csp_directives(page: Page) -> dict[str, list[str]]:
    meta = page.locator(CSP_META)
    expect(meta).to_have_count(1)
    value = meta.get_attribute("content")
    return {part.split()[0]: part.split()[1:] for part in value.split(";") if part.strip()}


def test_the_watch_catches_console_errors_foreign_requests_and_csp_violations(shared, site_server: str) -> None:
    page = shared.page("pages")
    page.goto(site_server)
    inline_ran = page.evaluate("""async () => {
        const violation = new Promise(
          (resolve) => document.addEventListener("securitypolicyviolation", resolve, {once: true}));
        console.error("deliberate console error");
        const s = document.createElement("script");  // an inline script: the CSP must refuse it
        s.textContent = "window.__inlineRan = true";
        document.head.append(s);
        await violation;
        return window.__inlineRan === true;
    }""")
    # The CSP stops the page's own requests to other origins before they are made, so try a navigation.
    elsewhere = shared.context.new_page()
    try:
        with pytest.raises(PlaywrightError):
            elsewhere.goto("https://example.invalid/")
    finally:
        elsewhere.close()
    page.evaluate("() => 0")  # one more round trip: the events above are delivered before its answer
    watch = shared.watch
    assert not inline_ran
    assert any("deliberate console error" in e for e in watch.console_errors), watch.console_errors
    assert any("example.invalid" in url for url in watch.foreign_requests), watch.foreign_requests
    assert any("script-src" in v for v in watch.csp_violations), watch.csp_violations
    watch.clear()


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_page_is_clean_and_accessible(shared, site_server: str, name: str) -> None:
    page = shared.page("pages")
    page.goto(site_server + STATIC_PAGES[name])
    expect(page.locator("h1").first).to_be_visible()
    assert "'wasm-unsafe-eval'" in csp_directives(page)["script-src"]
    assert_accessible(page)


@pytest.mark.parametrize("vendor", VENDORS)
def test_vendor_page_accessible_and_keyboard_only(shared, site_server: str, vendor: str) -> None:
    page = vendor_page(shared, site_server, vendor)
    section = page.locator("section.refund-calculator")
    start_over(section)
    verdict = section.locator(".refund-verdict")
    # Nothing entered yet: the library says what it needs (once the runtime is up).
    expect(verdict).to_have_attribute("data-state", "error", timeout=RUNTIME_TIMEOUT_MS)
    assert_accessible(page)

    focus_top_of_page(page)
    scenario = scenarios_for(vendor)[0].input
    visited = keyboard_fill(page, scenario)
    assert visited[:2] == ["product", "billing"], visited
    sent = form_scenario(vendor, scenario)
    wait_for_verdict(page, sent)
    assert_shows_decision(verdict, refundlib.evaluate(vendor, scenario).to_dict())
    assert_accessible(page)


def test_compare_page_accessible_and_keyboard_only(shared, site_server: str) -> None:
    page = compare_page(shared, site_server)
    section = page.locator("section.refund-compare")
    start_over(section)
    verdict = section.locator(".refund-verdict").first
    expect(verdict).to_have_attribute("data-state", "error", timeout=RUNTIME_TIMEOUT_MS)
    assert_accessible(page)

    focus_top_of_page(page)
    entered = COMPARE_SCENARIOS["annual with a discount, six months in, some answers unknown"]
    visited = keyboard_fill(page, entered)
    assert visited[0] == "billing", visited
    sent = compare_scenario(VENDORS, entered)
    wait_for_verdict(page, sent, selector="section.refund-compare .refund-verdict")
    assert_compare_matches(section, [r.to_dict() for r in compare(sent)])
    assert_accessible(page)


def test_calculator_works_under_the_sites_csp_and_keeps_clause_anchors(shared, site_server: str) -> None:
    """The built pages carry a strict CSP (no 'unsafe-eval', no inline scripts but hashed ones); the
    calculator starts Pyodide and computes under it with no violation (``shared`` checks that).
    Opening a clause anchor (#clause-…) leaves it alone; a permalink then put in the URL is shown."""
    vendor = VENDORS[-1]
    clause = refundlib.get_policy(vendor).clauses[-1].id
    # A page of its own: another test may leave the shared "link" page on this vendor with a
    # permalink, and going to #clause-… there would only change the hash (no reload).
    page = shared.page("csp-anchor")
    page.goto(f"{site_server}vendors/{vendor}/#clause-{clause}")
    csp = csp_directives(page)
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"], csp
    assert "'self'" in csp.get("worker-src", csp["script-src"]), csp

    expect(page.locator(".refund-verdict")).to_have_attribute("data-state", "error", timeout=RUNTIME_TIMEOUT_MS)
    assert page.url.endswith(f"#clause-{clause}")
    expect(page.locator(f'[id="clause-{clause}"]')).to_be_in_viewport()

    case = scenarios_for(vendor)[0]
    page.goto(f"{site_server}vendors/{vendor}/" + permalink_hash(case.input))
    wait_for_verdict(page, case.input)
    assert_shows_decision(page.locator(".refund-verdict"), refundlib.evaluate(vendor, case.input).to_dict())
    assert shared.watch.csp_violations == []


WORKER_CSP = {
    # A <meta> CSP does not reach a dedicated worker: served with a header CSP, worker.js needs its own.
    "with 'wasm-unsafe-eval'": ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'", True),
    "without it": ("default-src 'self'; script-src 'self'", False),
}


@pytest.mark.parametrize("name", [
    "with 'wasm-unsafe-eval'",
    pytest.param("without it", marks=pytest.mark.allow_console_errors),  # the refused compile is logged
])
def test_worker_under_a_header_csp(page: Page, built_site, serve_with_headers, name: str) -> None:
    """What a host sending CSP headers must allow for worker.js: exactly 'wasm-unsafe-eval' beyond
    'self'. Without it the calculator says the runtime could not start (instead of hanging)."""
    policy, works = WORKER_CSP[name]
    site = serve_with_headers(built_site, lambda path: {"Content-Security-Policy": policy}
                              if "/assets/refund/immutable/worker." in path else {})
    case = scenarios_for(VENDORS[0])[0]
    page.goto(f"{site}vendors/{case.vendor}/" + permalink_hash(case.input))
    if works:
        wait_for_verdict(page, case.input)
        assert_shows_decision(page.locator(".refund-verdict"), refundlib.evaluate(case.vendor, case.input).to_dict())
    else:
        failure = page.locator(".refund-failure")
        expect(failure).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)
        expect(failure).to_contain_text("WebAssembly")
        expect(page.locator(".refund-verdict")).to_have_attribute("data-state", "failed")


def test_readable_without_javascript(browser: Browser, site_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_server)
        expect(page.locator("table.refund-summary")).to_be_visible()
        for vendor in VENDORS:
            page.goto(f"{site_server}vendors/{vendor}/")
            section = page.locator("section.refund-calculator")
            # (Playwright's default text matching skips <noscript>; its rendered text is what a reader sees.)
            expect(section).to_contain_text("needs JavaScript", use_inner_text=True)
            expect(section.locator("noscript p")).to_be_visible()
            expect(section.locator("form")).to_have_count(0)
            expect(page.locator("dl.refund-glance")).to_be_visible()
            expect(page.locator("#policy-text")).to_be_visible()
            first = refundlib.get_policy(vendor).clauses[0]
            expect(page.locator(f'[id="clause-{first.id}"]')).to_have_text(first.text)
        page.goto(f"{site_server}compare/")
        expect(page.locator("table.refund-matrix")).to_be_visible()
        expect(page.locator("table.refund-matrix tbody tr")).not_to_have_count(0)
        expect(page.locator("section.refund-compare")).to_contain_text("needs JavaScript", use_inner_text=True)
    finally:
        context.close()


def test_embed_module_returns_the_librarys_json(shared, site_server: str) -> None:
    page = shared.page("pages")
    page.goto(f"{site_server}embed/")
    case = scenarios_for("recatch" if "recatch" in VENDORS else VENDORS[0])[0]
    got = page.evaluate("""async ([vendor, scenario]) => {
        const embed = await import("/assets/refund/embed.js");
        const decision = await embed.evaluate(vendor, scenario);
        let error = null;
        try {
          await embed.evaluate(vendor, {...scenario, requested_on: "1999-01-01"});
        } catch (e) {
          error = {message: e.message, field: e.field ?? null, isError: e instanceof Error};
        }
        const results = await embed.compare({...scenario, products: {}});
        return {decision, error, results};
    }""", [case.vendor, case.input])
    assert got["decision"] == refundlib.evaluate(case.vendor, case.input).to_dict()
    with pytest.raises(refundlib.ScenarioError) as raised:
        refundlib.evaluate(case.vendor, {**case.input, "requested_on": "1999-01-01"})
    assert got["error"] == {"message": str(raised.value), "field": "requested_on", "isError": True}
    # compare's results, each vendor's refusal as the library's error value (refundlib.bridge's compare call)
    request = {"call": "compare", "args": {"scenario": {**case.input, "products": {}}}}
    answer = json.loads(bridge.dispatch(json.dumps(request)))
    assert got["results"] == answer["value"]
    assert [{k: v for k, v in r.items() if k != "error"} for r in got["results"]] == [
        {k: v for k, v in r.to_dict().items() if k != "error"} for r in compare({**case.input, "products": {}})]


def test_embed_module_from_another_origin(page: Page, built_site, serve_with_headers, serve_directory,
                                          tmp_path_factory) -> None:
    """An embedder on another origin imports embed.js from the site (which sends CORS headers):
    the worker is started through a same-origin blob: module that imports the site's worker.js."""
    site = serve_with_headers(built_site, lambda path: {"Access-Control-Allow-Origin": "*"})
    embedder_dir = tmp_path_factory.mktemp("embedder")
    (embedder_dir / "index.html").write_text("<!doctype html><title>Embedder</title><h1>Someone else's page</h1>\n")
    embedder = serve_directory(embedder_dir)
    assert embedder.split("/")[2] != site.split("/")[2]

    page.goto(embedder)
    case = scenarios_for(VENDORS[0])[0]
    got = page.evaluate("""async ([site, vendor, scenario]) => {
        const embed = await import(site + "assets/refund/embed.js");
        return embed.evaluate(vendor, scenario);
    }""", [site, case.vendor, case.input])
    assert got == refundlib.evaluate(case.vendor, case.input).to_dict()
