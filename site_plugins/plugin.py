"""The ``refund-policies`` MkDocs plugin: vendor pages, the comparison, the calculator's assets, the CSP.

Events, in build order:

- ``on_config``: load every policy (a malformed file stops the build, naming file and
  field), check the Pyodide runtime is installed, expand the ``Vendors: vendors/`` nav entry.
- ``on_files``: add ``vendors/<id>.md`` and ``compare.md`` (generated Markdown holding
  placeholders), and the calculator's assets (see :mod:`site_plugins.assets`).
- ``on_page_content``: replace the placeholders with generated HTML (see :mod:`site_plugins.pages`),
  setting aside the markup the search index skips (see :mod:`site_plugins.searchview`).
- ``on_page_context`` (after the search plugin's): put that markup back.
- ``on_post_page`` / ``on_post_template``: add the Content-Security-Policy (see :mod:`site_plugins.csp`).
- ``on_post_build``: write the headers file and the precompressed siblings (see :mod:`site_plugins.deploy`).
- ``on_serve``: watch the policy files and the calculator's sources.

The plugin writes plain HTML with its own class names; the theme only styles it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

import refundlib
import refundlib.registry
from refundlib.model import Policy

from . import assets, bytecode, csp, deploy, pages, searchview, shared_json, vendor_page
from .config import RefundPoliciesConfig
from .placeholders import PlaceholderError, substitute

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def load_policies(load: Callable[[], list[Policy]] = refundlib.all_policies) -> list[Policy]:
    """Every shipped policy, or a PluginError carrying the library's message (file, field, expected)."""
    try:
        policies = load()
    except refundlib.RefundlibError as error:
        raise PluginError(f"refund-policies: {error}") from None
    if not policies:
        raise PluginError("refund-policies: refundlib/policies holds no policy file (*.toml)")
    return policies


def reload_policies() -> list[Policy]:
    """Like :func:`load_policies`, re-reading the files (``mkdocs serve`` rebuilds in one process)."""
    refundlib.registry.reload()
    return load_policies()


class RefundPoliciesPlugin(BasePlugin[RefundPoliciesConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.is_serve = False
        self.wheels = assets.WheelCache()  # kept across `mkdocs serve` rebuilds (on_startup keeps the instance)
        self.site = pages.Site([])
        self.node_modules = Path("node_modules")
        self.project = Path.cwd()  # the working tree: pyproject.toml, refundlib/
        self.set_aside: dict[str, list[str]] = {}  # page src_uri -> markup kept out of the search plugin's reach

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"

    # -- configuration -----------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.site = pages.Site(reload_policies(), use_directory_urls=config.use_directory_urls,
                               chart_purchases=self.config.chart_scenarios)
        config_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self.node_modules = config_dir / self.config.node_modules
        try:
            self.project = assets.project_root()
            assets.pyodide_runtime(self.node_modules)
        except assets.AssetError as error:
            raise PluginError(f"refund-policies: {error}") from None
        if config.nav is not None:
            config.nav = pages.expand_nav(config.nav, self.site.policies, self.config.nav_vendor_limit)
        stylesheet = f"{assets.ASSET_DIR}/calculator.css"
        if (assets.CALCULATOR_SOURCE / "calculator.css").is_file() and stylesheet not in config.extra_css:
            config.extra_css.append(stylesheet)
        return config

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., object]
                 ) -> LiveReloadServer:
        if not self.config.enabled:
            return server
        for path in (self.project / "refundlib" / "policies", assets.CALCULATOR_SOURCE.parent):
            if path.is_dir():
                server.watch(str(path))
        return server

    # -- files: generated pages and assets -----------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        policies = self.site.policies

        def add(file: File) -> None:
            if files.get_file_from_path(file.src_uri) is not None:
                raise PluginError(f"refund-policies: {Path(config.docs_dir) / file.src_uri}: this file is generated "
                                  f"by the plugin; remove it from docs/")
            files.append(file)

        for policy in policies:
            page = File.generated(config, pages.vendor_src(policy.id), content=vendor_page.markdown(policy))
            add(page)
            self.site.vendor_urls[policy.id] = page.url
        add(File.generated(config, pages.COMPARE_PAGE, content=pages.compare_markdown()))
        if len(policies) > self.config.nav_vendor_limit:
            add(File.generated(config, pages.VENDOR_INDEX, content=pages.vendor_index_markdown(policies)))

        try:
            wheel, compiled = self.wheels.get(self.project), None
            if self.config.bytecode:
                compiled = bytecode.compile_for_pyodide(wheel, self.node_modules)
                wheel = compiled.wheel
            runtime = assets.pyodide_runtime(self.node_modules)
        except assets.AssetError as error:
            raise PluginError(f"refund-policies: {error}") from None
        base, immutable = assets.ASSET_DIR, f"{assets.ASSET_DIR}/{assets.IMMUTABLE}"
        folder = assets.pyodide_folder(runtime)
        for name, source in runtime.items():
            add(File.generated(config, f"{immutable}/{folder}{name}", abs_src_path=str(source)))
        boot = assets.BootSettings(assets.hashed_name(wheel.name, wheel.content), folder)
        add(File.generated(config, f"{immutable}/{boot.wheel}", content=wheel.content))
        if compiled is not None:
            boot = assets.BootSettings(boot.wheel, folder, assets.hashed_name("python_stdlib-core.zip", compiled.core),
                                       assets.hashed_name("python_stdlib-lazy.zip", compiled.lazy))
            add(File.generated(config, f"{immutable}/{boot.stdlib}", content=compiled.core))
            add(File.generated(config, f"{immutable}/{boot.stdlib_lazy}", content=compiled.lazy))
        try:
            worker = assets.worker_source(assets.CALCULATOR_SOURCE / assets.WORKER, boot)
        except assets.AssetError as error:
            raise PluginError(f"refund-policies: {error}") from None
        worker_name = assets.hashed_name(assets.WORKER, worker.encode("utf-8"))
        add(File.generated(config, f"{immutable}/{worker_name}", content=worker))
        add(File.generated(config, f"{base}/manifest.json", content=assets.manifest(
            boot, worker_name, [p.id for p in policies])))
        for policy in policies:
            add(File.generated(config, f"{base}/policies/{policy.id}.json", content=assets.policy_json(policy)))
        add(File.generated(config, f"{base}/{shared_json.SHARED_JSON}", content=shared_json.shared_json(policies)))
        for dest, source in assets.calculator_files().items():
            if dest == f"{base}/{assets.WORKER}":
                continue
            if source.suffix == ".js" and assets.WORKER_REFERENCE.search(text := source.read_text(encoding="utf-8")):
                depth = dest.removeprefix(f"{base}/").count("/")
                add(File.generated(config, dest, content=assets.with_worker_name(text, worker_name, depth)))
            else:
                add(File.generated(config, dest, abs_src_path=str(source)))
        return files

    # -- pages -------------------------------------------------------------------------------

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        kept: list[str] = []
        try:
            html = substitute(html, lambda kind, arg: searchview.set_aside(self.site.render(page.url, kind, arg), kept))
        except PlaceholderError as error:
            raise PluginError(f"refund-policies: {page.file.src_uri}: {error}") from None
        if kept:
            self.set_aside[page.file.src_uri] = kept
        return html

    @event_priority(-100)  # after every other plugin's, the search plugin's included: it has indexed the page
    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: object
                        ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        kept = self.set_aside.pop(page.file.src_uri, None)
        if kept and page.content is not None:
            page.content = searchview.restore(page.content, kept)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            site = Path(config.site_dir)
            try:
                (site / deploy.HEADERS_FILE).write_text(deploy.headers(site), encoding="utf-8")
                if not self.is_serve:  # `mkdocs serve` neither reads nor needs them
                    deploy.precompress(site, self.node_modules)
            except assets.AssetError as error:
                raise PluginError(f"refund-policies: {error}") from None
            charts = self.site.charts
            log.info(f"refund-policies: charts: {charts.evaluations} verdicts ({len(charts._series)} series) "
                     f"in {charts.seconds:.2f} s")

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or not self.config.csp:
            return None
        return csp.add_to_page(output, serving=self.is_serve)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or not self.config.csp or not template_name.endswith(".html"):
            return None
        return csp.add_to_page(output_content, serving=self.is_serve)
