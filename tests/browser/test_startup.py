"""How a page with a calculator starts (overrides/main.html, assets/refund/early.js, search-worker.js).

- A vendor page and the comparison load ``early.js`` in ``<head>``, a classic script (neither
  async nor deferred), which starts the calculator's worker before the page has been parsed;
  ``calculator.js`` (``embed.js``) takes that worker over: one worker, one download of its script,
  the verdict as usual. Pages without a calculator load none of it.
- On those pages Material's search worker is ``search-worker.js`` around Material's own, which
  builds the search index once the calculator is ready or the reader goes to the search box:
  searching works right away, and once the calculator is ready.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

import refundlib
from calculator_helpers import (
    RUNTIME_TIMEOUT_MS,
    assert_shows_decision,
    permalink_hash,
    scenarios_for,
    wait_for_verdict,
)

VENDOR = "recatch" if "recatch" in refundlib.vendor_ids() else refundlib.vendor_ids()[0]
CALCULATOR_PAGES = {"vendor page": f"vendors/{VENDOR}/", "comparison": "compare/"}
EARLY = 'head > script[src$="assets/refund/early.js"]'
READY = ".refund-status progress[hidden]"

# When the worker's script was requested, against when the page had been parsed.
_WORKER_TIMING = """() => {
  const scripts = performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/assets/refund/immutable/worker."));
  const nav = performance.getEntriesByType("navigation")[0];
  return {requests: scripts.length, requested: scripts.length ? scripts[0].startTime : null,
          parsed: nav.domContentLoadedEventStart};
}"""


def search_config(page: Page) -> str:
    return json.loads(page.locator("#__config").text_content() or "{}")["search"]


@pytest.mark.parametrize("name", CALCULATOR_PAGES)
def test_calculator_page_starts_its_worker_before_it_is_parsed(page: Page, site_server: str, name: str) -> None:
    page.goto(site_server + CALCULATOR_PAGES[name])
    early = page.locator(EARLY)
    expect(early).to_have_count(1)
    assert early.get_attribute("async") is None and early.get_attribute("defer") is None
    expect(page.locator(READY).first).to_be_attached(timeout=RUNTIME_TIMEOUT_MS)
    timing = page.evaluate(_WORKER_TIMING)
    assert timing["requests"] == 1, timing  # calculator.js took the early worker over, made none of its own
    assert timing["parsed"] > 0 and timing["requested"] < timing["parsed"], timing
    # The worker by its hashed name (site_plugins/assets.py), the one the manifest names.
    manifest = json.loads(page.request.get(site_server + "assets/refund/manifest.json").text())
    assert [w.url for w in page.workers if "/assets/refund/immutable/" in w.url] == [
        site_server + "assets/refund/" + manifest["worker"]]
    # The manifest is written into worker.js: nothing stands between the worker and Pyodide's downloads.
    worker = next(w for w in page.workers if "/assets/refund/immutable/" in w.url)
    fetched = worker.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
    assert any(name.endswith("/" + manifest["pyodide_index_url"] + "pyodide.asm.wasm") for name in fetched), fetched
    assert not any(name.endswith("/manifest.json") for name in fetched), fetched
    assert "assets/refund/search-worker.js?worker=search." in search_config(page)


def test_early_worker_gives_the_permalinks_verdict(page: Page, site_server: str) -> None:
    case = scenarios_for(VENDOR)[0]
    page.goto(f"{site_server}vendors/{VENDOR}/" + permalink_hash(case.input))
    wait_for_verdict(page, case.input)
    assert_shows_decision(page.locator(".refund-verdict"), refundlib.evaluate(VENDOR, case.input).to_dict())
    marks = page.evaluate("() => performance.getEntriesByType('mark').map((m) => m.name)")
    for stage in ("runtime", "stdlib", "wheel", "ready"):
        assert f"refund:{stage}" in marks and f"refund:worker:{stage}" in marks, marks


@pytest.mark.parametrize("path", ["", "method/", "playground/"])
def test_other_pages_do_not_start_it(page: Page, site_server: str, path: str) -> None:
    page.goto(site_server + path)
    expect(page.locator("#__config")).to_be_attached()
    expect(page.locator('script[src$="assets/refund/early.js"]')).to_have_count(0)
    assert "assets/javascripts/workers/search." in search_config(page)


def _search(page: Page, words: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    page.keyboard.type(words)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=RUNTIME_TIMEOUT_MS)


def test_search_on_a_calculator_page_at_once_and_once_it_is_ready(page: Page, site_server: str) -> None:
    # At once: going to the search box lets the search index be built (the calculator still boots).
    page.goto(f"{site_server}vendors/{VENDOR}/")
    _search(page, "refund")
    expect(page.locator(READY)).to_be_attached(timeout=RUNTIME_TIMEOUT_MS)
    # Once the calculator is ready, the index is built without being asked for (Material's placeholder
    # replaces "Initializing search" when it is), and search works as usual.
    page.goto(f"{site_server}compare/")
    expect(page.locator(READY)).to_be_attached(timeout=RUNTIME_TIMEOUT_MS)
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=RUNTIME_TIMEOUT_MS)
    _search(page, "kino")
