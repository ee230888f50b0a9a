"""Fuzz of the JSON contract: scenario-shaped JSON in, a result or the library's own error out.

Every generated input is JSON (what a page, a permalink or an embedder can send): a scenario
the vendor accepts with up to three fields changed (to values mostly plausible: real dates,
amounts, currencies, product and fact ids of the vendors; sometimes junk, any JSON), left out
or added; or not an object at all. It is put to ``evaluate``, ``compare`` or ``chart_series``: the answer must be a
result whose ``to_dict()`` is JSON, or a ``RefundlibError`` whose ``to_dict()`` is the error
contract. Anything else escaping is a bug.

``make test`` runs a short fuzz (:data:`EXAMPLES`, 300 examples); ``make fuzz`` runs
``FUZZ_EXAMPLES=10000`` (or more) and prints hypothesis's statistics.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import refundlib
from refundlib.chart import chart_series
from refundlib.compare import compare
from refundlib.errors import ErrorKind, RefundlibError
from refundlib.model import Policy
from refundlib.money import MINOR_UNITS
from refundlib.purchase import SITUATION_FIELDS

POLICIES = refundlib.all_policies()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
ERROR_KEYS = {"error", "field", "kind", "expected", "given", "message"}

junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


def mostly(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Plausible values four times in five, junk otherwise."""
    return st.one_of(plausible, plausible, plausible, plausible, junk)


dates = mostly(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)).map(date.isoformat)
               | st.sampled_from(["2026-02-30", "2026-13-01", "", "2026-1-1", "0000-01-01", "2026-01-01T00:00"]))
amounts = mostly(st.decimals(min_value=0, max_value=10**6, places=2).map(lambda d: f"{d:f}")
                 | st.integers(min_value=-10, max_value=10**40)
                 | st.text(alphabet="0123456789.-+eE ,", max_size=40)
                 | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "0.001", "1" * 27, "9" * 15 + ".99"]))
currencies = mostly(st.sampled_from(["USD", "GBP", "INR", "JPY", "KWD", "CLF", "usd", "ZZZ", ""]))
billings = mostly(st.sampled_from(["monthly", "annual", "one_time", "weekly", ""]))
answers = st.sampled_from([True, False, "unknown"]) | amounts
tristates = mostly(st.sampled_from([True, False, "unknown", "yes"]))
fact_ids = st.sampled_from(sorted({f.id for p in POLICIES for f in p.facts})) | st.text(max_size=8)
product_ids = mostly(st.sampled_from(sorted({x.id for p in POLICIES for x in p.products})))
vendor_ids = st.sampled_from([p.id for p in POLICIES])

FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "product": product_ids, "purchased_on": dates, "requested_on": dates, "amount_paid": amounts,
    "list_price": amounts, "currency": currencies, "billing": billings, "first_payment": tristates,
    "facts": mostly(st.dictionaries(fact_ids, mostly(answers), max_size=4)),
    "products": mostly(st.dictionaries(vendor_ids | st.text(max_size=6), product_ids, max_size=3)),
}
assert set(FIELDS) == set(SITUATION_FIELDS)


@st.composite
def valid_scenario(draw: st.DrawFn, policy: Policy) -> dict[str, Any]:
    """A scenario the policy accepts (so that mutating a few of its fields reaches every check)."""
    product = draw(st.sampled_from(policy.products))
    purchased = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    currency = draw(st.sampled_from(["USD", "GBP", "INR", "JPY", "KWD"]))
    digits = MINOR_UNITS[currency]
    paid = Decimal(draw(st.integers(0, 10**7)) if product.charged else 0).scaleb(-digits)
    facts = {f.id: draw(st.sampled_from([True, False, "unknown"]) if f.type == "bool" else
                        st.integers(0, 40).map(str)) for f in policy.facts if draw(st.booleans())}
    return {"product": product.id, "billing": str(draw(st.sampled_from(product.billing))),
            "purchased_on": purchased.isoformat(),
            "requested_on": (purchased + timedelta(days=draw(st.integers(0, 800)))).isoformat(),
            "amount_paid": f"{paid:f}",
            "list_price": f"{paid + Decimal(draw(st.integers(0, 10**5))).scaleb(-digits):f}",
            "currency": currency, "first_payment": draw(st.sampled_from([True, False, "unknown"])), "facts": facts}


@st.composite
def scenario_json(draw: st.DrawFn, policy: Policy) -> Any:
    """A valid scenario for ``policy`` with up to three fields changed, left out or added; or junk."""
    if draw(st.integers(0, 19)) == 0:
        return draw(junk)  # not an object, or an object of anything
    scenario = draw(valid_scenario(policy))
    for name in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=3)):
        if draw(st.integers(0, 4)) == 0:
            scenario.pop(name, None)
        else:
            scenario[name] = draw(FIELDS[name])
    if draw(st.integers(0, 19)) == 0:
        scenario[draw(st.text(max_size=6))] = draw(junk)
    return json.loads(json.dumps(scenario))  # exactly what crosses the bridge (1e400 stays infinite)


def _check(work: Any) -> None:
    try:
        result = work()
    except RefundlibError as error:
        shape = error.to_dict()
        event(f"refused: {shape['kind']}")
        assert set(shape) >= ERROR_KEYS and shape["kind"] in set(ErrorKind), shape
        assert "\n" not in shape["message"] and shape["message"].isprintable(), shape
        json.dumps(shape)
        return
    event("answered")
    items = result if isinstance(result, list) else [result]
    json.dumps([item.to_dict() for item in items])


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                              HealthCheck.data_too_large])


policies = st.sampled_from(POLICIES)


@FUZZ
@given(data=st.data(), policy=policies)
def test_evaluate_answers_or_raises_the_library_error(data: st.DataObject, policy: Policy) -> None:
    scenario = data.draw(scenario_json(policy))
    _check(lambda: refundlib.evaluate(policy.id, scenario))


@FUZZ
@given(data=st.data(), policy=policies)
def test_compare_answers_or_raises_the_library_error(data: st.DataObject, policy: Policy) -> None:
    scenario = data.draw(scenario_json(policy))
    scenario = {k: v for k, v in scenario.items() if k != "product"} if isinstance(scenario, dict) else scenario
    _check(lambda: compare(scenario))


@FUZZ
@given(data=st.data(), policy=policies, also=st.lists(vendor_ids, max_size=1))
def test_chart_answers_or_raises_the_library_error(data: st.DataObject, policy: Policy, also: list[str]) -> None:
    scenario = data.draw(scenario_json(policy))
    _check(lambda: chart_series([policy.id, *also], scenario))
