"""The policy playground: a draft policy file checked, linted, compared and charted beside the published ones.

The site's ``/playground/`` page sends the text of the editor here (through
the bridge call ``playground`` of :func:`refundlib.bridge.dispatch`, in the browser's Pyodide) on every pause in
typing, and shows what comes back; it computes nothing about the draft itself.

:func:`playground` answers, for a draft (TOML text) and a purchase to chart:

- the draft does not load: ``{"valid": false, "error": {field, expected, message, line, column}}``
  (``field`` as the loader names it, e.g. ``rules["late"].outcome``, or ``(syntax)`` for a TOML
  syntax error; ``line``/``column``: where in the text, 1-based, when it can be told);
- it loads: ``{"valid": true, "policy": policy_to_dict(draft), "lint": lint_to_dict(...),
  "columns": [...], "topics": [...], "chart": {...}}``: the lint findings (silence judged
  against the five published policies), the comparison terms of every published policy and
  the draft (``cells`` keyed by vendor id, and :data:`DRAFT` for the draft), and the refund
  over time for the purchase, one line per published vendor plus the draft.

The draft never replaces a published policy: one with the id of a published vendor is shown
as "draft: <name>" next to it. Its column and its chart line use the key :data:`DRAFT`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

from .chart import Series, plain_answers, refund_series
from .chart_svg import chart_title, render_svg
from .compare import pick_product
from .errors import FieldTypeError, PolicyFileError, RefundlibError, ScenarioError, UnknownVendorError
from .lint import lint
from .lint_report import lint_to_dict
from .loader import load_policy_text
from .model import Billing, Policy, Topic
from .purchase import CHART_PURCHASE_FIELDS, DEFAULT_PURCHASE, parse_chart_purchase
from .registry import POLICY_PACKAGE, all_policies, vendor_ids
from .serialize import policy_to_dict
from .words import BILLED, FINDING_KINDS, TOPICS

DRAFT = "draft"  # the draft's key in the comparison's cells and its chart line's data-vendor
DRAFT_SOURCE = "draft"  # how error messages name the draft (draft: rules["late"].outcome: expected ...)
CHART_ID = "refund-playground-chart"  # id prefix of the chart's <title>/<desc>

PURCHASE_KEYS = tuple(k for k in CHART_PURCHASE_FIELDS if k != "facts")

BLANK_TEMPLATE = '''\
# A refund policy as cited data. Every key is described on the site's "Policy format" page.
# This template loads as it is: change it, or uncomment the sections you need.
schema = 1
id = "my-vendor"  # lower-case letters, digits and hyphens
name = "My vendor"
sells = "What the vendor sells, in one line"
source_url = ""  # where the policy is published, when known
last_updated = ""  # the "last updated" date exactly as published ("" when none is shown)
# last_updated_iso = 2026-01-31  # the same date, unquoted, when it can be read unambiguously

# The policy text exactly as published. Every clause below is a sentence found in it verbatim.
[capture]
file = "my-vendor.txt"
text = \'\'\'
Refund policy

You can cancel your subscription at any time in your account settings.
We refund the full amount if you ask within 14 days of your purchase.
To ask for a refund, email billing@example.com.
\'\'\'
# begins_at = "Refund policy"  # where the policy starts inside the capture (verbatim)
# ends_before = "..."          # where it ends; then say what lies outside it in `omitted`
# omitted = "..."

# The vendor's own sentences, in document order: cited by everything else.
[[clauses]]
id = "cancel-anytime"
text = "You can cancel your subscription at any time in your account settings."
[[clauses]]
id = "full-14-days"
text = "We refund the full amount if you ask within 14 days of your purchase."
[[clauses]]
id = "ask-by-email"
text = "To ask for a refund, email billing@example.com."

[[products]]
id = "subscription"
name = "My vendor subscription"
description = ""
billing = ["monthly", "annual"]  # any of monthly, annual, one_time
charged = true  # false for free plans and trials
cites = ["cancel-anytime"]

# Questions a purchaser may need to answer, usable by name in conditions and formulas.
# [[facts]]
# id = "service_used"
# question = "Have you used the service?"
# type = "bool"  # or "number"
# cites = ["..."]

# [[exclusions]]  # the first that holds means no refund, whatever else applies
# id = "..."
# label = "..."
# when = "service_used"
# cites = ["..."]

[[requests]]
id = "email"
channel = "email"  # email, settings_page, contact_form, contact_team or automatic
address = "billing@example.com"
cites = ["ask-by-email"]

# [[timings]]
# id = "reply"
# kind = "response"  # or "processing"
# text = "..."
# cites = ["..."]

# The decision list, in priority order: the first rule whose requirements all hold decides.
[[rules]]
id = "full-within-14-days"
label = "Full refund within 14 days of the purchase"
outcome = "full"  # full, partial (with amount = "<formula>"), discretionary or none
destination = "original_payment_method"  # or account_balance, credits; leave out when unstated
request = "email"
cites = ["full-14-days"]
  [[rules.requires]]
  test = "days_since_purchase <= 14"
  says = "asked within 14 days of the purchase"
  cites = ["full-14-days"]

# [[fees]]
# id = "..."
# label = "..."
# when = "true"
# rate = "0.10"
# applies_to = "original_payment_method"
# cites = ["..."]

# Ambiguities, inconsistencies, unstated points and readings chosen.
# [[notes]]
# id = "..."
# kind = "unstated"  # ambiguity, inconsistency, unstated or interpretation
# text = "..."
# cites = ["..."]
# applies_to = ["full-within-14-days"]

# One short summary per comparison term the policy speaks to (full_refund, partial_refund,
# discount_penalty, fees, destination, cancellation, special_cases, exclusions,
# how_to_request, response_time, processing_time, chargebacks).
[[topics]]
topic = "full_refund"
summary = "Full refund within 14 days of the purchase."
cites = ["full-14-days"]
[[topics]]
topic = "cancellation"
summary = "Cancel at any time in the account settings."
cites = ["cancel-anytime"]
[[topics]]
topic = "how_to_request"
summary = "By email to billing@example.com."
cites = ["ask-by-email"]
'''


# -- the shipped text --------------------------------------------------------------------------------

def policy_source(vendor_id: str) -> str:
    """The TOML text of a published policy, as shipped; ``""`` gives :data:`BLANK_TEMPLATE`."""
    if not vendor_id:
        return BLANK_TEMPLATE
    known = vendor_ids()
    if vendor_id not in known:  # also keeps the name to a file of the package
        raise UnknownVendorError(vendor_id, known)
    return resources.files(POLICY_PACKAGE).joinpath(f"{vendor_id}.toml").read_text(encoding="utf-8")


# -- where in the text a field is ------------------------------------------------------------------------

_ARRAY_HEADER = re.compile(r"\s*\[\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-]+)\s*=\s*(.*)$")
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_FIELD_STEP = re.compile(r"^(.*?)(?:\.[^.\[\]]+|\[\d+\]|\[\"[^\"]*\"\])$")
_ID_VALUE = re.compile(r"\"([^\"]+)\"\s*(?:#.*)?$")


def field_lines(text: str) -> dict[str, int]:
    """Where each table and key of a TOML text starts (1-based), by the loader's field paths.

    A best-effort scan, not a parser: ``[[rules]]`` … ``[[rules.requires]]`` … ``outcome = …``
    give ``rules[0]``, ``rules[0].requires[0]`` and ``rules[0].outcome``; an entry with an
    ``id`` is also found by it (``rules["late"].outcome``), as the loader names it; an array of
    tables is also found by its name (``rules``: its first entry). Multi-line strings are skipped.
    """
    found: dict[str, int] = {}
    counts: dict[str, int] = {}  # array of tables (its path without an index) -> index of its last entry
    ids: dict[str, str] = {}  # rules[1] -> rules["late"]
    table = ""
    closing = ""  # the delimiter of the multi-line string being skipped
    for number, line in enumerate(text.splitlines(), 1):
        if closing:
            if closing in line:
                closing = ""
            continue
        header = _ARRAY_HEADER.match(line)
        is_array = header is not None
        header = header or _TABLE_HEADER.match(line)
        if header:
            path = ""
            parts = [p.strip() for p in header.group(1).split(".")]
            for index, part in enumerate(parts):
                path = f"{path}.{part}" if path else part
                if index == len(parts) - 1 and is_array:
                    found.setdefault(path, number)
                    counts[path] = counts.get(path, -1) + 1
                if path in counts:
                    path = f"{path}[{counts[path]}]"
            table = path
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            found.setdefault(f"{table}.{key.group(1)}" if table else key.group(1), number)
            value = key.group(2)
            if key.group(1) == "id" and table.endswith("]") and (named := _ID_VALUE.match(value)):
                ids[table] = f'{table.rpartition("[")[0]}["{named.group(1)}"]'
            for quotes in ("'''", '"""'):
                if value.startswith(quotes) and value.count(quotes) == 1:
                    closing = quotes
    for path, line_number in list(found.items()):  # the same places by id: rules[1].outcome -> rules["late"].outcome
        variants = {path}
        for indexed in sorted(ids, key=len, reverse=True):  # inner entries first: requires[1] before rules[0]
            for variant in list(variants):
                if variant == indexed or variant.startswith((indexed + ".", indexed + "[")):
                    variants.add(ids[indexed] + variant[len(indexed):])
        for variant in variants:
            found.setdefault(variant, line_number)
    return found


def field_line(text: str, field: str) -> int | None:
    """The line of ``field`` (a loader field path) in ``text``, or of the nearest table holding it."""
    lines = field_lines(text)
    while field:
        if field in lines:
            return lines[field]
        step = _FIELD_STEP.match(field)
        if step is None:
            return None
        field = step.group(1)
    return None


def _error(error: PolicyFileError, text: str) -> dict[str, object]:
    line = column = None
    if error.field == "(syntax)":
        at = _TOML_AT.search(error.expected)
        if at:
            line, column = int(at.group(1)), int(at.group(2))
    else:
        line = field_line(text, error.field)
    return {"field": error.field, "expected": error.expected, "message": str(error), "line": line, "column": column}


# -- the chart ------------------------------------------------------------------------------------------

_published_series: dict[tuple[int, str, str], Series] = {}  # (id(policy), vendor, scenario JSON): kept per page


def _purchase(scenario: object) -> dict[str, Any]:
    """The purchase to chart: the page's scenario (its purchase fields, ``product``, ``products``, ``facts``)."""
    if scenario is None:
        return dict(DEFAULT_PURCHASE)
    return parse_chart_purchase(scenario, also=("product", "products"))


def _single(policy: Policy, purchase: Mapping[str, Any], product: str) -> dict[str, Any]:
    """The one-vendor scenario charted: the purchase, the product, every question answered "no" unless given."""
    defined = {f.id for f in policy.facts}
    given = {k: v for k, v in purchase.get("facts", {}).items() if k in defined}
    base = {k: purchase[k] for k in PURCHASE_KEYS if k in purchase}
    return {**base, "product": product, "facts": {**plain_answers(policy, product), **given}}


def _series(policy: Policy, scenario: dict[str, Any], *, cache: bool) -> Series:
    if not cache:
        return refund_series(policy, scenario, lenient_facts=True)
    key = (id(policy), policy.id, json.dumps(scenario, sort_keys=True))
    found = _published_series.get(key)
    if found is None:
        if len(_published_series) > 120:
            _published_series.clear()
        found = _published_series[key] = refund_series(policy, scenario, lenient_facts=True)
    return found


def chart(draft: Policy, published: Sequence[Policy], scenario: object, draft_name: str) -> dict[str, object]:
    """Refund over time for the purchase: one line per published vendor, then the draft's (key :data:`DRAFT`)."""
    try:
        purchase = _purchase(scenario)
    except ScenarioError as error:
        return {"svg": None, "error": error.to_dict(),
                "charted": [], "not_charted": [], "purchase": None}
    billing = Billing(purchase["billing"])
    chosen = purchase.get("products", {})
    entries: list[tuple[str, Policy, str | None, str]] = []  # key, policy, product, display name
    for policy in published:
        product = chosen.get(policy.id) or pick_product(policy, {"billing": billing})
        entries.append((policy.id, policy, product, policy.name))
    wanted = purchase.get("product")
    draft_product = wanted if any(p.id == wanted for p in draft.products) else pick_product(draft, {"billing": billing})
    entries.append((DRAFT, draft, draft_product, draft_name))

    series: list[Series] = []
    charted: list[dict[str, object]] = []
    not_charted: list[dict[str, object]] = []
    for key, policy, product, name in entries:
        if product is None:
            not_charted.append({"vendor": key, "name": name,
                                "reason": f"{name} sells nothing {BILLED[billing]}."})
            continue
        try:
            line = _series(policy, _single(policy, purchase, product), cache=key != DRAFT)
        except RefundlibError as error:
            not_charted.append({"vendor": key, "name": name, "reason": f"{name}: {error}"})
            continue
        if key == DRAFT:
            line = replace(line, vendor=DRAFT, name=name)
        series.append(line)
        charted.append({"vendor": key, "name": name, "product": line.product, "product_name": line.product_name})
    svg = None
    if series:
        svg = render_svg(series, title=chart_title(series), id_prefix=CHART_ID)
    return {"svg": svg, "error": None, "charted": charted, "not_charted": not_charted,
            "purchase": {k: purchase[k] for k in PURCHASE_KEYS if k in purchase}}


# -- everything ---------------------------------------------------------------------------------------

def draft_name(draft: Policy, published: Sequence[Policy]) -> str:
    """How the draft is named beside the published policies: "draft: <name>" when it takes a published id."""
    return f"draft: {draft.name}" if any(p.id == draft.id for p in published) else draft.name


def playground(text: str, scenario: object = None) -> dict[str, object]:
    """Check a draft policy (TOML text) and, when it loads, lint, compare and chart it (see the module docstring)."""
    if not isinstance(text, str):
        raise FieldTypeError("toml", "the policy file's text", text)
    try:
        draft = load_policy_text(text, DRAFT_SOURCE)
    except PolicyFileError as error:
        return {"valid": False, "error": _error(error, text)}
    except Exception as error:  # noqa: BLE001 - a draft the loader trips over is still just an invalid draft
        return {"valid": False, "error": {"field": "(file)", "expected": "a policy file the loader can read",
                                          "message": f"{DRAFT_SOURCE}: the file could not be read "
                                                     f"({type(error).__name__}: {error})",
                                          "line": None, "column": None}}
    published = all_policies()
    name = draft_name(draft, published)
    columns = [{"key": p.id, "vendor": p.id, "name": p.name, "draft": False} for p in published]
    columns.append({"key": DRAFT, "vendor": draft.id, "name": name, "draft": True})
    topics = []
    for topic in Topic:
        cells: dict[str, str | None] = {}
        for policy in published:
            summary = policy.topic(topic)
            cells[policy.id] = None if summary is None else summary.summary
        mine = draft.topic(topic)
        cells[DRAFT] = None if mine is None else mine.summary
        topics.append({"topic": str(topic), "label": TOPICS.get(topic, str(topic)), "cells": cells})
    return {
        "valid": True,
        "name": name,
        "policy": policy_to_dict(draft),
        "lint": {**lint_to_dict([(draft, lint(draft, published))]),
                 "labels": dict(FINDING_KINDS)},
        "columns": columns,
        "topics": topics,
        "chart": chart(draft, published, scenario, name),
    }
