"""The site as a static host serves it: the trimmed standard library on every page type, and new deploys.

- Each page type (a vendor page, the comparison, the playground, an embedding page) does its work on
  the archives the site ships (site_plugins/bytecode.py) and asks for no module they lack: the import
  hook says so on the console if one is asked for (site_plugins/stdlib_hook.py). The vendor page's
  verdict needs only the first archive; the playground fetches the second.
- Two builds with different contents, served one after the other from the same origin (bench/server.py
  honours the headers file, site_plugins/deploy.py) to one browser profile: the second visit uses only
  the second build's files, although the first build's are in the cache, marked immutable.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import refundlib
from bench.server import StaticServer
from calculator_helpers import RUNTIME_TIMEOUT_MS, permalink_hash, scenarios_for, wait_for_verdict

ROOT = Path(__file__).resolve().parents[2]
VENDOR = "recatch" if "recatch" in refundlib.vendor_ids() else refundlib.vendor_ids()[0]
REFUND = "assets/refund/"
MISSING = "is not in the site's archives"
READY = ".refund-status progress[hidden]"


def manifest(site: Path) -> dict:
    return json.loads((site / REFUND / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def host(built_site: Path, local_origin: Callable[[str], None]) -> Iterator[StaticServer]:
    with StaticServer(built_site) as server:
        local_origin(server.url)
        yield server


def vendor_verdict(page: Page, base: str) -> None:
    case = scenarios_for(VENDOR)[0]
    page.goto(f"{base}vendors/{VENDOR}/" + permalink_hash(case.input))
    wait_for_verdict(page, case.input)


def compare_ready(page: Page, base: str) -> None:
    page.goto(f"{base}compare/")
    expect(page.locator(READY).first).to_be_attached(timeout=RUNTIME_TIMEOUT_MS)


def playground_checked(page: Page, base: str) -> None:
    page.goto(f"{base}playground/")
    expect(page.locator("[data-valid]").first).to_have_attribute("data-valid", "true", timeout=RUNTIME_TIMEOUT_MS)


def embed_answers(page: Page, base: str) -> None:
    page.goto(f"{base}embed/")
    case = scenarios_for(VENDOR)[0]
    outcome = page.evaluate("""async ([vendor, scenario]) => {
        const embed = await import("/assets/refund/embed.js");
        return (await embed.evaluate(vendor, scenario)).outcome;
    }""", [case.vendor, case.input])
    assert outcome == refundlib.evaluate(case.vendor, case.input).outcome


# Each page type, and whether its work needs the second archive.
PAGE_TYPES: dict[str, tuple[Callable[[Page, str], None], bool | None]] = {
    "vendor": (vendor_verdict, False), "compare": (compare_ready, None), "playground": (playground_checked, True),
    "embed": (embed_answers, False)}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_each_page_type_runs_on_the_trimmed_archives(page: Page, host: StaticServer, built_site: Path,
                                                      name: str) -> None:
    messages: list[str] = []
    page.context.on("console", lambda message: messages.append(message.text))
    start = host.mark()
    act, needs_lazy = PAGE_TYPES[name]
    act(page, host.url)
    served = {s.path for s in host.since(start)}
    lazy = "/" + REFUND + manifest(built_site)["stdlib_lazy"]
    assert "/" + REFUND + manifest(built_site)["stdlib"] in served
    if needs_lazy is not None:
        assert (lazy in served) is needs_lazy, sorted(served)
    assert not [m for m in messages if MISSING in m]


# -- two deploys --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory, build_mkdocs_site) -> Path:
    """Another build with other contents: the source wheel and Pyodide's own standard library (bytecode: false)."""
    directory = tmp_path_factory.mktemp("second-deploy")
    (directory / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)  # the theme's custom_dir
    config = directory / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                      "plugins:\n  - search\n  - refund-policies:\n      bytecode: false\n"
                      f"      node_modules: {ROOT / 'node_modules'}\n", encoding="utf-8")
    return build_mkdocs_site(config, directory / "site")


def worker_files(page: Page) -> list[str]:
    worker = next(w for w in page.workers if "/immutable/worker." in w.url)
    return [worker.url, *worker.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")]


def test_two_deploys_on_one_origin_never_mix(browser: Browser, built_site: Path, second_build: Path,
                                             tmp_path: Path, local_origin: Callable[[str], None]) -> None:
    first, second = manifest(built_site), manifest(second_build)
    assert first["worker"] != second["worker"] and first["wheel"] != second["wheel"]
    root = tmp_path / "www"
    shutil.copytree(built_site, root)
    context = browser.new_context()
    try:
        with StaticServer(root) as server:
            local_origin(server.url)
            page = context.new_page()
            vendor_verdict(page, server.url)
            assert server.url + REFUND + first["worker"] in worker_files(page)
            page.close()

            shutil.rmtree(root)  # the new deploy replaces every file, as the hosts' atomic deploys do
            shutil.copytree(second_build, root)
            server.root = root
            start = server.mark()
            page = context.new_page()
            vendor_verdict(page, server.url)
            used = worker_files(page)
            assert server.url + REFUND + second["worker"] in used
            assert server.url + REFUND + second["wheel"] in used
            names_of_first = {first[k].rsplit("/", 1)[-1] for k in ("worker", "wheel", "stdlib", "stdlib_lazy")}
            assert not [u for u in used if u.rsplit("/", 1)[-1] in names_of_first]
            assert not [s for s in server.since(start) if s.status == 404]
            # The hashed files of the second build are cached for good: a reload asks only for the pages' files.
            again = server.mark()
            page.reload()
            expect(page.locator(READY).first).to_be_attached(timeout=RUNTIME_TIMEOUT_MS)
            asked = {s.path for s in server.since(again)}
            assert not [p for p in asked if "/immutable/" in p], sorted(asked)
    finally:
        context.close()
