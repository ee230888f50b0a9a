"""The bad-input corpus (tests/bad_input/cases.json) through the browser: #s= permalinks.

A permalink holds a scenario as JSON; the vendor page puts it to the library exactly as it is
(until the form is changed), so a link the CLI refuses is refused here too, naming the same
field. For every case that applies to ``evaluate`` (spread over the vendors: case n on vendor
n mod the number of vendors, so each case runs once and every vendor gets some), the page is
sent to the link and must:

- show the error state (no verdict), with the refusal next to the control of the field the
  library names (marked aria-invalid), or above the form when no control answers that field;
- show no traceback, "Error:" or Python exception name anywhere in the calculator;
- keep the link's other answers filled in.

The field the page must name is the one ``refundlib.evaluate`` names for the same scenario in
CPython (the same path, through refundlib.bridge): tests/test_bad_input.py checks that this is
the corpus's ``field``. (A scenario the library does not refuse with its own error is shown as
the bridge's generic "internal" error, named ``""``, above the form; one it accepts gets a verdict.)
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

import refundlib
from bad_input_cases import BadInput, bad_inputs, base_scenarios
from calculator_helpers import RUNTIME_TIMEOUT_MS, start_over, vendor_page, wait_until_settled
from refundlib.serialize import policy_to_dict

VENDORS = refundlib.vendor_ids()
ALL = [item for item in bad_inputs() if item.call == "evaluate"]
CASES = list(dict.fromkeys(item.case for item in ALL))
# Case n runs on vendor n mod len(VENDORS).
CHOSEN = [item for item in ALL if item.vendor == VENDORS[CASES.index(item.case) % len(VENDORS)]]
RAW = re.compile(r"Traceback|Error:|\b[A-Z]\w*(Error|Exception)\b|InvalidOperation|decimal\.")
TYPED = ("product", "billing", "purchased_on", "requested_on", "amount_paid", "list_price", "currency", "first_payment")


def permalink(scenario: Any) -> str:
    """``#s=`` + the scenario's JSON, as a link would hold it; an infinite float as 1e400 (JSON.parse reads it)."""
    text = json.dumps(scenario, separators=(",", ":"), ensure_ascii=False)
    text = re.sub(r'(?<!")(-?)Infinity(?!")', r"\g<1>1e400", text)
    return "#s=" + quote(text, safe="-_.!~*'()")


def same(a: Any, b: Any) -> bool:
    """The same JSON value (True is not 1 here)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def touched(item: BadInput, base: dict[str, Any]) -> set[str]:
    """The fields of the base scenario the case changes (``facts.<id>`` for one answer)."""
    if not isinstance(item.scenario, dict):
        return set(base) | {f"facts.{k}" for k in base.get("facts", {})}
    changed = {k for k in set(base) | set(item.scenario)
               if k != "facts" and not same(base.get(k), item.scenario.get(k))}
    facts, were = item.scenario.get("facts"), base.get("facts", {})
    if not isinstance(facts, dict):
        changed |= {"facts"} | {f"facts.{k}" for k in were}
    else:
        changed |= {f"facts.{k}" for k in set(facts) | set(were) if not same(facts.get(k), were.get(k))}
    return changed


def shown(value: Any) -> str:
    """How the form shows an answer (calculator's answers.js): yes/no/unknown, else the text."""
    return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def kept_answers(item: BadInput, base: dict[str, Any]) -> dict[str, str]:
    """data-field -> the value the form must still show: the base's answers the case leaves alone."""
    changed = touched(item, base)
    kept = {k: shown(base[k]) for k in TYPED if k in base and k not in changed}
    if "product" in changed:  # how it is billed and the questions shown depend on the product
        kept.pop("billing", None)
        return kept
    facts = {f["id"]: f for f in policy_to_dict(refundlib.get_policy(item.vendor))["facts"]}
    for fact_id, value in base.get("facts", {}).items():
        fact = facts.get(fact_id)
        if fact and f"facts.{fact_id}" not in changed and (not fact["products"] or base["product"] in fact["products"]):
            kept[f"facts.{fact_id}"] = shown(value)
    return kept


_FORM_VALUES = """(section) => {
  const out = {};
  for (const el of section.querySelectorAll("form.refund-form [data-field]")) {
    const field = el.dataset.field;
    if (el.type === "radio") { if (el.checked) out[field] = el.value; else if (!(field in out)) out[field] = ""; }
    else out[field] = el.value;
  }
  return out;
}"""

_WHERE = """([section, field]) => {
  const box = section.querySelector(".refund-problem:not([hidden])");
  if (!box) return null;
  const form = section.querySelector("form.refund-form");
  const controls = [...form.querySelectorAll("[data-field]")].filter((c) => c.dataset.field === field);
  const place = controls.length ? controls[0].closest(".refund-group, .refund-field-wrap, .refund-field") : null;
  return {
    field: box.dataset.problemField ?? null, text: box.textContent,
    placed: place ? box.previousElementSibling === place : box.nextElementSibling === form,
    invalid: controls.every((c) => c.getAttribute("aria-invalid") === "true"),
    verdict: section.querySelector(".refund-verdict").dataset.outcome,
  };
}"""


def as_the_browser_sends(scenario: Any) -> Any:
    """The scenario as it reaches the library from a permalink: JSON numbers are doubles in JS, and
    the worker sends Infinity as its text (JSON has none)."""
    return json.loads(json.dumps(scenario), parse_constant=str,
                      parse_int=lambda text: int(text) if abs(int(text)) < 2**53 else float(text))


def library_field(item: BadInput) -> str | None:
    """The field refundlib names refusing the scenario in CPython ("" for a failure that is not its
    own error, shown as the bridge's internal error); None when it accepts the scenario."""
    try:
        refundlib.evaluate(item.vendor, as_the_browser_sends(item.scenario))
    except refundlib.RefundlibError as error:
        return str(error.to_dict().get("field", ""))
    except Exception:  # noqa: BLE001 - the bridge answers any other failure with its internal error
        return ""
    return None


def problems(page: Page, item: BadInput, base: dict[str, Any]) -> list[str]:
    """What is wrong with how the page shows this bad link (empty when all is well)."""
    field = library_field(item)
    section = page.locator(f'section.refund-calculator[data-vendor="{item.vendor}"]')
    page.evaluate("() => { window.__lastVerdict = document.querySelector('.refund-verdict'); }")
    page.evaluate("(hash) => { location.hash = hash; }", permalink(item.scenario))
    page.wait_for_function("""() => { const v = document.querySelector('.refund-verdict');
        return v && v !== window.__lastVerdict && ['error', 'done', 'failed'].includes(v.dataset.state); }""",
                           timeout=RUNTIME_TIMEOUT_MS)
    state = section.locator(".refund-verdict").get_attribute("data-state")
    if field is None:  # the library accepts it (in CPython too): a verdict, as there
        return [] if state == "done" else [f"state {state!r}, not 'done' as the library answers it"]
    if state != "error":
        return [f"state {state!r}, not 'error' (the link was not refused)"]
    found = []
    where = page.evaluate(_WHERE, [section.element_handle(), field])
    if where is None:
        return ["no refusal shown next to the form"]
    if where["field"] != field:
        found.append(f"the refusal names {where['field']!r}, not {field!r}: {where['text']!r}")
    if not where["placed"]:
        found.append("the refusal is not next to the field's control (or above the form)")
    if not where["invalid"]:
        found.append("the field's control is not marked aria-invalid")
    if where["verdict"]:
        found.append(f"a verdict is shown: {where['verdict']}")
    raw = RAW.search(section.inner_text())
    if raw:
        found.append(f"raw error text shown: {raw.group(0)!r}")
    values = page.evaluate(_FORM_VALUES, section.element_handle())
    for field, value in kept_answers(item, base).items():
        if values.get(field) != value:
            found.append(f"the answer {field} is {values.get(field)!r}, not the link's {value!r}")
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_bad_permalinks_are_refused_naming_the_field(shared, site_server: str, vendor: str) -> None:
    base = base_scenarios()[vendor]
    page = vendor_page(shared, site_server, vendor)
    wait_until_settled(page)  # the calculator is up and listening for a new permalink
    failures = {}
    for item in (i for i in CHOSEN if i.vendor == vendor):
        found = problems(page, item, base)
        if found:
            failures[item.case] = found
    start_over(page.locator(f'section.refund-calculator[data-vendor="{vendor}"]'))
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_every_case_runs_once() -> None:
    assert sorted(i.case for i in CHOSEN) == sorted(CASES)
