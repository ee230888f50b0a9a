"""The purchase: every way refundlib is told about one, validated in one place.

Three shapes, each a JSON object (see docs/schemas/scenario.schema.json, tested against
:data:`SCENARIO_FIELDS` and the limits of :mod:`refundlib.purchase_fields`):

- a **scenario**, one vendor's purchase (:func:`parse_scenario`, used by ``evaluate``)::

    {"product": "subscription", "purchased_on": "2026-01-01", "requested_on": "2026-07-01",
     "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
     "billing": "annual", "first_payment": true, "facts": {"cash_out": "unknown"}}

- a **situation**, one purchase put to several vendors (:func:`check_situation`, used by
  ``compare`` and ``chart_series``): the scenario's fields, the product optional, plus
  ``products`` naming the product per vendor (``{"kino": "pro_annual"}``); a fact must be one
  that some of the vendors ask;
- a **chart purchase** (:func:`parse_chart_purchase`, used by the playground and the site's
  ``chart_scenarios`` setting): what is charted over every request day, so no ``requested_on``.

Bad input raises the :mod:`refundlib.errors` class for what is wrong, naming the field as the
user knows it; nothing else escapes (tests/bad_input/ and tests/test_fuzz.py check it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .errors import NOT_GIVEN, FieldRangeError, FieldRelationError, FieldTypeError, MissingFieldError, UnknownNameError
from .model import Billing, Fact, Policy, Product
from .purchase_fields import (
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    check_minor_unit,
    parse_amount,
    parse_currency,
    parse_date,
    parse_tristate,
    refuse_unknown_fields,
    require_mapping,
)
from .scenario import UNKNOWN, Scenario

SCENARIO_FIELDS = ("product", "purchased_on", "requested_on", "amount_paid", "list_price",
                   "currency", "billing", "first_payment", "facts")
REQUIRED_FIELDS = ("product", "purchased_on", "requested_on", "amount_paid", "currency")
SITUATION_FIELDS = (*SCENARIO_FIELDS, "products")
CHART_PURCHASE_FIELDS = ("billing", "purchased_on", "amount_paid", "list_price", "currency", "first_payment", "facts")
CHART_PURCHASE_REQUIRED = ("billing", "purchased_on", "amount_paid", "currency")

# The purchase charted when none is given: the site's first chart and the playground's purchase.
DEFAULT_PURCHASE: dict[str, Any] = {
    "billing": "annual", "purchased_on": "2026-01-01", "amount_paid": "1200.00", "list_price": "1200.00",
    "currency": "USD", "first_payment": True}
MONTHLY_PURCHASE: dict[str, Any] = {**DEFAULT_PURCHASE, "billing": "monthly", "amount_paid": "100.00",
                                    "list_price": "100.00"}
DEFAULT_CHART_PURCHASES = (DEFAULT_PURCHASE, MONTHLY_PURCHASE)

OBJECT = "a JSON object"
FACTS_EXPECTED = "an object mapping fact ids to answers"
PRODUCTS_EXPECTED = "an object mapping vendor ids to product ids"
FACT_ANSWER_EXPECTED = 'true, false, "unknown" or a number as a string'

_SCENARIO_SET = frozenset(SCENARIO_FIELDS)
_SITUATION_SET = frozenset(SITUATION_FIELDS)
_BILLING_NAMES = frozenset(str(b) for b in Billing)

__all__ = ["CHART_PURCHASE_FIELDS", "DEFAULT_PURCHASE", "MAX_DECIMALS", "MAX_INTEGER_DIGITS", "SCENARIO_FIELDS",
           "check_situation", "parse_chart_purchase", "parse_scenario"]


def _billings(policy: Policy, product: Product) -> dict[str, Billing]:
    """How ``product`` may be billed, by name (worked out once per policy and product)."""
    known = policy.memo("billings")
    found = known.get(product.id)
    if found is None:
        found = known[product.id] = {str(b): b for b in product.billing}
    return found  # type: ignore[return-value]  # the memo's "billings" table holds only what this function puts in it


def _fact_answer(fact: Fact, answer: object, field: str) -> bool | Decimal | None:
    if fact.type == "bool":
        return answer if answer is True or answer is False else parse_tristate(answer, field)
    return parse_amount(answer, field, f"a number as a string answering “{fact.question}”")


def _money(raw: Mapping[str, object]) -> tuple[Decimal, Decimal, str]:
    """amount_paid, list_price (default: amount_paid) and the currency, each within its limits."""
    amount_paid = parse_amount(raw.get("amount_paid", NOT_GIVEN), "amount_paid")
    listed = raw.get("list_price")
    list_price = amount_paid if listed is None or listed == "" else parse_amount(listed, "list_price")
    if list_price < amount_paid:
        raise FieldRelationError("list_price", f"the price before any discount, at least amount_paid ({amount_paid})",
                                 listed)
    currency = parse_currency(raw.get("currency", NOT_GIVEN))
    check_minor_unit(amount_paid, currency, "amount_paid")
    check_minor_unit(list_price, currency, "list_price")
    return amount_paid, list_price, currency


def _dates(raw: Mapping[str, object]) -> tuple[date, date]:
    purchased_on = parse_date(raw.get("purchased_on", NOT_GIVEN), "purchased_on")
    requested_on = parse_date(raw.get("requested_on", NOT_GIVEN), "requested_on")
    if requested_on < purchased_on:
        raise FieldRelationError("requested_on", f"a date on or after purchased_on ({purchased_on})",
                                 str(requested_on))
    return purchased_on, requested_on


def _check_billing(billing: object) -> None:
    """Refuse a billing that is none of monthly, annual and one_time (whatever the product)."""
    if billing.__class__ is not str or billing not in _BILLING_NAMES:
        expected = f"one of {', '.join(Billing)}"
        if billing is NOT_GIVEN:
            raise MissingFieldError("billing", expected)
        raise (UnknownNameError if isinstance(billing, str) else FieldTypeError)("billing", expected, billing)


def parse_scenario(policy: Policy, raw: object, *, lenient_facts: bool = False) -> Scenario:
    """Validate a scenario against a policy; raise a :class:`~refundlib.errors.ScenarioError` naming the first
    bad field.

    With ``lenient_facts`` (used by ``compare`` and charts, after :func:`check_situation`),
    facts this policy does not define are ignored instead of refused.
    """
    raw = require_mapping(raw, "", OBJECT)
    refuse_unknown_fields(raw, _SCENARIO_SET, SCENARIO_FIELDS, "scenario fields")

    products: dict[str, Product] = policy.index("products")  # type: ignore[assignment]  # the products table
    product_id = raw.get("product", NOT_GIVEN)
    if product_id.__class__ is not str or product_id not in products:
        expected = f"one of {', '.join(products)} for {policy.name}"
        if product_id is NOT_GIVEN:
            raise MissingFieldError("product", expected)
        raise (UnknownNameError if isinstance(product_id, str) else FieldTypeError)("product", expected, product_id)
    product = products[product_id]

    purchased_on, requested_on = _dates(raw)
    amount_paid, list_price, currency = _money(raw)
    if not product.charged and amount_paid != 0:
        raise FieldRangeError("amount_paid", f"0: {product.name} is never charged; pick the product you paid for",
                              raw.get("amount_paid"))

    allowed = _billings(policy, product)
    billing = raw.get("billing", next(iter(allowed)) if len(allowed) == 1 else NOT_GIVEN)
    if billing.__class__ is not str or billing not in allowed:
        expected = f"one of {', '.join(allowed)} for {product.name}"
        if billing is NOT_GIVEN:
            raise MissingFieldError("billing", expected)
        raise (UnknownNameError if isinstance(billing, str) else FieldTypeError)("billing", expected, billing)

    first_payment = parse_tristate(raw.get("first_payment", UNKNOWN), "first_payment")

    given = require_mapping(raw.get("facts", {}), "facts", FACTS_EXPECTED)
    known: dict[str, Fact] = policy.index("facts")  # type: ignore[assignment]  # the facts table
    facts: dict[str, bool | Decimal | None] = {}
    for fact_id, answer in given.items():
        fact = known.get(fact_id)
        if fact is None:
            if lenient_facts:
                continue
            raise UnknownNameError(f"facts.{fact_id}", f"one of the facts of {policy.name}: {', '.join(known)}")
        facts[fact_id] = _fact_answer(fact, answer, f"facts.{fact_id}")
    return Scenario(product_id, purchased_on, requested_on, amount_paid, list_price, currency,
                    allowed[billing], first_payment, facts, {})


def check_situation(raw: object, policies: Sequence[Policy], *, requested: bool = True,
                    askers: Sequence[Policy] | None = None) -> Mapping[str, object]:
    """Raise for what is wrong in a situation put to ``policies``, whatever the vendor; return it.

    ``requested``: whether the request date counts (a chart ignores it). ``askers``: the policies
    whose facts the situation may answer (default ``policies``; a chart of some vendors may carry
    the answers given for all). What is wrong for one vendor only (a product it does not bill
    that way) is that vendor's answer, not an error here.
    """
    raw = require_mapping(raw, "", OBJECT)
    refuse_unknown_fields(raw, _SITUATION_SET, SITUATION_FIELDS, "situation's fields")
    if requested:
        _dates(raw)
    else:
        parse_date(raw.get("purchased_on", NOT_GIVEN), "purchased_on")
    _money(raw)
    by_id = {p.id: p for p in policies}
    if "product" in raw:
        product = raw["product"]
        expected = "a product id of one of the vendors"
        if not isinstance(product, str):
            raise FieldTypeError("product", expected, product)
        if not any(product == p.id for policy in policies for p in policy.products):
            raise UnknownNameError("product", expected, product)
    if "billing" in raw:
        _check_billing(raw["billing"])
    parse_tristate(raw.get("first_payment", UNKNOWN), "first_payment")
    chosen = require_mapping(raw.get("products", {}), "products", PRODUCTS_EXPECTED)
    for vendor, product in chosen.items():
        policy = by_id.get(vendor)
        if policy is None:
            raise UnknownNameError(f"products.{vendor}", f"one of the vendors: {', '.join(by_id)}")
        expected = f"one of {', '.join(p.id for p in policy.products)} for {policy.name}"
        if not isinstance(product, str):
            raise FieldTypeError(f"products.{vendor}", expected, product)
        if not any(product == p.id for p in policy.products):
            raise UnknownNameError(f"products.{vendor}", expected, product)
    facts = require_mapping(raw.get("facts", {}), "facts", FACTS_EXPECTED)
    for fact_id, answer in facts.items():
        asking = [p.fact(fact_id) for p in askers or policies if fact_id in p.index("facts")]
        if not asking:
            raise UnknownNameError(f"facts.{fact_id}", "one of the facts the vendors ask about")
        for fact in asking:
            _fact_answer(fact, answer, f"facts.{fact_id}")
    return raw


def parse_chart_purchase(raw: object, *, also: tuple[str, ...] = ()) -> dict[str, Any]:
    """A purchase to chart, as scenario JSON without empty values (``also``: fields allowed besides).

    Facts are checked for their shape only: which vendor asks them is the chart's business.
    A YAML date (the site's settings) becomes ``"YYYY-MM-DD"``.
    """
    raw = require_mapping(raw, "", f"{OBJECT} with {', '.join(CHART_PURCHASE_REQUIRED)}")
    names = (*CHART_PURCHASE_FIELDS, *also)
    refuse_unknown_fields(raw, frozenset(names), names, "purchase fields")
    purchase = {str(k): v for k, v in raw.items() if v is not None and v != ""}
    _check_billing(purchase.get("billing", NOT_GIVEN))
    purchase["purchased_on"] = parse_date(purchase.get("purchased_on", NOT_GIVEN), "purchased_on").isoformat()
    _money(purchase)
    parse_tristate(purchase.get("first_payment", UNKNOWN), "first_payment")
    if "products" in purchase:
        for vendor, product in require_mapping(purchase["products"], "products", PRODUCTS_EXPECTED).items():
            if not isinstance(product, str):
                raise FieldTypeError(f"products.{vendor}", "a product id", product)
    for fact_id, answer in require_mapping(purchase.get("facts", {}), "facts", FACTS_EXPECTED).items():
        if not isinstance(fact_id, str):
            raise FieldTypeError("facts", FACTS_EXPECTED, fact_id)
        if answer is not True and answer is not False and answer != UNKNOWN:
            parse_amount(answer, f"facts.{fact_id}", FACT_ANSWER_EXPECTED)
    return purchase

