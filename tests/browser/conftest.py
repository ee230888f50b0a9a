"""Browser test fixtures: built site, local HTTP server, Chromium via Playwright.

Every test that uses ``page`` (or ``page_watch``) automatically checks at teardown
that the page made no request outside our local test servers and logged no
console error / uncaught exception. Opt out of the console/error check for a test
that injects a failure on purpose with ``@pytest.mark.allow_console_errors``.

Fixtures:
  mkdocs_config        path of the MkDocs config to build (default: repo mkdocs.yml)
  built_site           session: ``mkdocs build --strict`` output directory
  site_server          session: base URL (ends with "/") serving ``built_site``
  serve_directory      session: ``serve_directory(path) -> base URL`` for any other dir
  build_mkdocs_site    session: ``build_mkdocs_site(config, site_dir) -> site_dir``
  browser              session: Playwright Chromium (system binary, $CHROMIUM)
  page_watch           function: PageWatch(page, console_errors, page_errors, foreign_requests)
  page                 function: ``page_watch.page``
  check_accessibility  ``check_accessibility(page) -> list of serious/critical axe violations``
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
MKDOCS_CONFIG = REPO_ROOT / "mkdocs.yml"
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Origins ("http://127.0.0.1:PORT") of the HTTP servers started by these fixtures;
# requests to anything else are "foreign".
_local_origins: set[str] = set()


# --- building the site ------------------------------------------------------


def build_mkdocs_site(config: Path, site_dir: Path) -> Path:
    """Run ``mkdocs build --strict`` for ``config`` into ``site_dir``; fail the test on error."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed for {config}:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return site_dir


@pytest.fixture(name="build_mkdocs_site", scope="session")
def build_mkdocs_site_fixture() -> Callable[[Path, Path], Path]:
    return build_mkdocs_site


@pytest.fixture(scope="session")
def mkdocs_config() -> Path:
    """The MkDocs config that ``built_site`` builds. Override in a conftest to change it."""
    return MKDOCS_CONFIG


@pytest.fixture(scope="session")
def built_site(mkdocs_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mkdocs_site(mkdocs_config, tmp_path_factory.mktemp("site"))


# --- serving it -------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class _Servers:
    running: list[tuple[http.server.ThreadingHTTPServer, threading.Thread]] = field(default_factory=list)

    def serve(self, root: Path, handler_class: type[_QuietHandler] | None = None) -> str:
        """Serve ``root`` on 127.0.0.1 (ephemeral port) until the session ends; return its base URL."""
        handler = functools.partial(handler_class or _QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"http:{root}", daemon=True)
        thread.start()
        self.running.append((server, thread))
        host, port = server.server_address[:2]
        _local_origins.add(f"http://{host}:{port}")
        return f"http://{host}:{port}/"

    def close(self) -> None:
        for server, thread in self.running:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            _local_origins.discard("http://{}:{}".format(*server.server_address[:2]))
        self.running.clear()


@pytest.fixture(scope="session")
def serve_directory() -> Iterator[Callable[[Path], str]]:
    servers = _Servers()
    yield servers.serve
    servers.close()


@pytest.fixture(scope="session")
def local_origin() -> Iterator[Callable[[str], None]]:
    """``local_origin(url)``: let pages reach a server the tests started otherwise (e.g. bench.server's)."""
    added: list[str] = []

    def allow(url: str) -> None:
        parts = urlsplit(url)
        added.append(f"{parts.scheme}://{parts.netloc}")
        _local_origins.add(added[-1])

    yield allow
    for origin in added:
        _local_origins.discard(origin)


@pytest.fixture(scope="session")
def site_server(built_site: Path, serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(built_site)


# --- the browser ------------------------------------------------------------


def chromium_executable() -> str | None:
    exe = os.environ.get("CHROMIUM")
    if exe:
        return exe if os.access(exe, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    exe = chromium_executable()
    if exe is None:
        pytest.fail(
            f"Chromium not found (CHROMIUM={os.environ.get('CHROMIUM', '')!r}, /usr/bin/chromium, PATH). "
            "Run `make test`, which installs it, or `apt-get install chromium`, or set CHROMIUM=/path/to/chromium.",
            pytrace=False,
        )
    with sync_playwright() as pw:
        # launch() gives every run a fresh temporary profile (user-data dir).
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return f"{parts.scheme}://{parts.netloc}" in _local_origins


@dataclass
class PageWatch:
    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page_watch(browser: Browser, request: pytest.FixtureRequest) -> Iterator[PageWatch]:
    context = browser.new_context()
    # The same recording (and routing away of foreign requests) as the shared context's;
    # context-level events also cover requests and console messages from workers.
    seen = watch_context(context)
    watch = PageWatch(page=context.new_page(), console_errors=seen.console_errors, page_errors=seen.page_errors,
                      foreign_requests=seen.foreign_requests)
    try:
        yield watch
    finally:
        context.close()

    assert not watch.foreign_requests, f"requests outside the test server: {watch.foreign_requests}"
    if request.node.get_closest_marker("allow_console_errors") is None:
        assert not watch.page_errors, f"uncaught errors in the page: {watch.page_errors}"
        assert not watch.console_errors, f"console errors: {watch.console_errors}"


@pytest.fixture
def page(page_watch: PageWatch) -> Page:
    return page_watch.page


# --- accessibility ----------------------------------------------------------

_AXE_RUN = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


def check_accessibility(page: Page, options: dict | None = None) -> list[dict]:
    """Run axe-core on the current page; return its serious and critical violations.

    Each violation is ``{"id", "impact", "help", "nodes": [css selector, ...]}``.
    ``options`` is passed to ``axe.run`` (e.g. ``{"runOnly": ["wcag2a", "wcag2aa"]}``).
    """
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci).", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE_JS)
    return page.evaluate(_AXE_RUN, options or {"resultTypes": ["violations"]})


@pytest.fixture(name="check_accessibility")
def check_accessibility_fixture() -> Callable[..., list[dict]]:
    return check_accessibility


# --- a watched context shared by many tests (appended for the calculator tests) -------
#
# Pyodide takes seconds to start on every page load, so the calculator tests keep one
# browser context (and its pages) for the whole session instead of a fresh ``page`` per
# test. It is watched exactly like ``page_watch``, plus Content-Security-Policy violations;
# the function-scoped ``shared`` fixture asserts, after each test, that nothing was seen
# since the test began (``allow_console_errors`` exempts console/page errors only).


@dataclass
class ContextWatch:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for seen in (self.console_errors, self.page_errors, self.foreign_requests, self.csp_violations):
            seen.clear()


_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def watch_context(context: BrowserContext) -> ContextWatch:
    """Record (and route away) what ``page_watch`` records, for every page of ``context``."""
    watch = ContextWatch()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "")
            watch.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

    def on_request(req: Request) -> None:
        if not _is_local(req.url):
            watch.foreign_requests.append(req.url)

    context.on("console", on_console)
    context.on("weberror", lambda err: watch.page_errors.append(str(err.error)))
    context.on("request", on_request)
    context.route(lambda url: not _is_local(url), lambda route: route.abort("blockedbyclient"))
    context.expose_function("__reportCspViolation", lambda text: watch.csp_violations.append(text))
    context.add_init_script(_CSP_LISTENER)
    return watch


@dataclass
class SharedContext:
    """A watched browser context whose pages outlive a test: ``page(key)`` opens or reuses one."""

    context: BrowserContext
    watch: ContextWatch
    pages: dict[str, Page] = field(default_factory=dict)

    def page(self, key: str = "main") -> Page:
        page = self.pages.get(key)
        if page is None or page.is_closed():
            page = self.pages[key] = self.context.new_page()
        return page


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> Iterator[SharedContext]:
    # en-US: the tests type dates into <input type=date> as mm/dd/yyyy.
    context = browser.new_context(locale="en-US", timezone_id="UTC")
    shared = SharedContext(context, watch_context(context))
    try:
        yield shared
    finally:
        context.close()


@pytest.fixture
def shared(shared_context: SharedContext, request: pytest.FixtureRequest) -> Iterator[SharedContext]:
    """``shared_context``, checked after this test like ``page`` is (and for CSP violations)."""
    shared_context.watch.clear()
    yield shared_context
    watch = shared_context.watch
    problems = []
    if watch.foreign_requests:
        problems.append(f"requests outside the test server: {watch.foreign_requests}")
    if watch.csp_violations:
        problems.append(f"Content-Security-Policy violations: {watch.csp_violations}")
    if request.node.get_closest_marker("allow_console_errors") is None:
        if watch.page_errors:
            problems.append(f"uncaught errors in the page: {watch.page_errors}")
        if watch.console_errors:
            problems.append(f"console errors: {watch.console_errors}")
    watch.clear()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def serve_with_headers() -> Iterator[Callable[[Path, Callable[[str], dict[str, str]]], str]]:
    """``serve_with_headers(root, headers_for) -> base URL``: like ``serve_directory``, but each
    response also carries ``headers_for(request_path)`` (e.g. a Content-Security-Policy header)."""
    servers = _Servers()

    def serve(root: Path, headers_for: Callable[[str], dict[str, str]]) -> str:
        class Handler(_QuietHandler):
            def end_headers(self) -> None:
                for name, value in headers_for(self.path.split("?")[0]).items():
                    self.send_header(name, value)
                super().end_headers()

        return servers.serve(root, Handler)

    yield serve
    servers.close()
