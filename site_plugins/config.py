"""Settings of the ``refund-policies`` plugin (the ``plugins:`` entry in mkdocs.yml)."""

from __future__ import annotations

from typing import Any

from mkdocs.config.base import BaseConfigOption, Config, ValidationError
from mkdocs.config.config_options import Deprecated, ListOfItems, Type

from refundlib.errors import RefundlibError
from refundlib.purchase import DEFAULT_CHART_PURCHASES, parse_chart_purchase

# The default chart purchases (refundlib.purchase holds them), by the names the site's code uses.
ANNUAL_PURCHASE, MONTHLY_PURCHASE = DEFAULT_CHART_PURCHASES


class ChartPurchase(BaseConfigOption[dict[str, Any]]):
    """One purchase to chart: a scenario without the product (each vendor's is picked by billing, as
    the compare page does) or the request date (the chart has one point per request day).

    Checked by refundlib (:func:`refundlib.purchase.parse_chart_purchase`) and returned as scenario
    JSON: YAML dates (``purchased_on: 2026-01-01``) become ``"2026-01-01"``; amounts must be strings
    or whole numbers (a float such as ``1200.10`` is refused, as refundlib refuses it).
    """

    def run_validation(self, value: object) -> dict[str, Any]:
        try:
            return parse_chart_purchase(value)
        except RefundlibError as error:
            raise ValidationError(str(error)) from None


class ChartPurchases(ListOfItems[dict[str, Any]]):
    def run_validation(self, value: object) -> list[dict[str, Any]]:
        purchases = super().run_validation(value)
        if not purchases:
            raise ValidationError("expected at least one purchase to chart")
        return purchases


class RefundPoliciesConfig(Config):
    # Turn the plugin off entirely (no generated pages, assets or CSP)
    enabled = Type(bool, default=True)

    # Removed: the site always serves the Pyodide runtime itself, copied from node_modules, so that
    # no page makes a request outside its own origin (it used to offer `pyodide: cdn`, jsDelivr)
    pyodide = Deprecated(removed=True, message=(
        "'{}' was removed: the site always serves Pyodide itself (copied from node_modules), so that no page "
        "makes a request outside its own origin; remove the setting"))

    # The npm install directory holding the pyodide package, relative to mkdocs.yml
    node_modules = Type(str, default="node_modules")

    # Ship refundlib, and the standard library modules the calculator imports, compiled to bytecode
    # by that Pyodide (in Node at build time, cached under node_modules/.cache), so the browser does
    # not compile them on every start (see site_plugins/bytecode.py): the calculator is ready in
    # about half the time, for about 1.6 MB more to download
    bytecode = Type(bool, default=True)

    # Add a Content-Security-Policy <meta> element to every page
    csp = Type(bool, default=True)

    # Up to this many vendors, the nav's "vendors/" entry lists each vendor page; above it, the
    # entry is one page listing them all (vendors/index.md, generated). A sidebar of hundreds of
    # vendors helps nobody, and rendering it into every page makes the build grow with N².
    nav_vendor_limit = Type(int, default=50)

    # The purchases drawn as "refund over time" charts (inline SVG, at build time). The compare
    # page charts the first for every vendor selling something with that billing; each vendor page
    # charts every one it sells something for. Each is a scenario without product or request date;
    # questions it does not answer are answered "no" (see refundlib.chart.plain_answers).
    chart_scenarios = ChartPurchases(ChartPurchase(), default=[dict(p) for p in DEFAULT_CHART_PURCHASES])
