"""Settings of the ``refund-policies`` plugin (the ``plugins:`` entry in mkdocs.yml)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from mkdocs.config.base import BaseConfigOption, Config, ValidationError
from mkdocs.config.config_options import Deprecated, ListOfItems, Type

from refundlib.errors import RefundlibError
from refundlib.model import Billing
from refundlib.money import check_minor_unit, parse_amount, parse_currency
from refundlib.scenario import parse_date

# What a chart purchase may say: a scenario (docs/schemas/scenario.schema.json) without the
# product (each vendor's is picked by billing, as the compare page does) or the request date
# (the chart has one point per request day).
PURCHASE_FIELDS = ("billing", "purchased_on", "amount_paid", "list_price", "currency", "first_payment", "facts")
REQUIRED = ("billing", "purchased_on", "amount_paid", "currency")

ANNUAL_PURCHASE: dict[str, Any] = {
    "billing": "annual", "purchased_on": "2026-01-01", "amount_paid": "1200.00", "list_price": "1200.00",
    "currency": "USD", "first_payment": True}
MONTHLY_PURCHASE: dict[str, Any] = {
    "billing": "monthly", "purchased_on": "2026-01-01", "amount_paid": "100.00", "list_price": "100.00",
    "currency": "USD", "first_payment": True}


class ChartPurchase(BaseConfigOption[dict[str, Any]]):
    """One purchase to chart: a mapping checked as refundlib checks a scenario, returned as scenario JSON.

    YAML dates (``purchased_on: 2026-01-01``) become ``"2026-01-01"``; amounts must be strings or
    whole numbers (a float such as ``1200.10`` is refused, as refundlib refuses it).
    """

    def run_validation(self, value: object) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ValidationError(f"expected a mapping with {', '.join(REQUIRED)}, got {type(value).__name__}")
        extra = sorted(set(value) - set(PURCHASE_FIELDS))
        if extra:
            raise ValidationError(f"{extra[0]}: not a purchase field; expected some of {', '.join(PURCHASE_FIELDS)}")
        missing = [name for name in REQUIRED if name not in value]
        if missing:
            raise ValidationError(f"{missing[0]}: required (a purchase needs {', '.join(REQUIRED)})")
        purchase = {str(k): v for k, v in value.items()}
        if isinstance(purchase["purchased_on"], datetime.date):
            purchase["purchased_on"] = purchase["purchased_on"].isoformat()
        billings = [str(b) for b in Billing]
        if purchase["billing"] not in billings:
            raise ValidationError(f"billing: expected one of {', '.join(billings)}, got {purchase['billing']!r}")
        try:
            parse_date(purchase["purchased_on"], "purchased_on")
            currency = parse_currency(purchase["currency"])
            paid = parse_amount(purchase["amount_paid"], "amount_paid")
            check_minor_unit(paid, currency, "amount_paid")
            if purchase.get("list_price") not in (None, ""):
                listed = parse_amount(purchase["list_price"], "list_price")
                check_minor_unit(listed, currency, "list_price")
                if listed < paid:
                    raise ValidationError(f"list_price: expected at least amount_paid ({paid}), got {listed}")
        except RefundlibError as error:
            raise ValidationError(str(error)) from None
        if purchase.get("first_payment", "unknown") not in (True, False, "unknown"):
            raise ValidationError(f'first_payment: expected true, false or "unknown", '
                                  f'got {purchase["first_payment"]!r}')
        facts = purchase.get("facts", {})
        if not isinstance(facts, Mapping) or not all(isinstance(k, str) for k in facts):
            raise ValidationError("facts: expected a mapping of fact ids to answers (true, false, \"unknown\" or a "
                                  "number as a string)")
        for fact_id, answer in facts.items():
            if isinstance(answer, float) or not isinstance(answer, (bool, str, int)):
                raise ValidationError(f"facts.{fact_id}: expected true, false, \"unknown\" or a number as a string, "
                                      f"got {answer!r}")
        return purchase


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
    chart_scenarios = ChartPurchases(ChartPurchase(), default=[ANNUAL_PURCHASE, MONTHLY_PURCHASE])
