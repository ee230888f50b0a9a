"""Helpers for the calculator's browser tests: which scenarios to try, how a person fills
the form, and how to read (and wait for) the verdict the page shows.

The words used to find controls (legends, labels, button names) are the calculator's own
(site_plugins/assets/refund/*.js, and refundlib.words for what the library words); if they change
there, change them here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from playwright.sync_api import Locator, Page, expect

import refundlib
from case_files import load_cases
from refundlib import words
from refundlib.serialize import policy_to_dict

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUNTIME_TIMEOUT_MS = 90_000  # first Pyodide start on a busy 2-core machine
VERDICT_TIMEOUT_MS = 30_000  # a verdict once the runtime is up (generous: CI machines are slow)

PRODUCT_QUESTION = "What did you buy?"
BILLING_QUESTION = "How is it billed?"
FIRST_PAYMENT_QUESTION = words.FIRST_PAYMENT_QUESTION
BILLING_WORDS = {billing: words.capitalized(label) for billing, label in words.BILLING.items()}
ANSWER_WORDS = {True: "Yes", False: "No", "unknown": "I don't know"}
LABELS = {
    "purchased_on": "Purchase date",
    "requested_on": "Date of the refund request",
    "amount_paid": "Amount paid",
    "list_price": "List price before any discount (optional)",
    "currency": "Currency",
}
SCENARIO_ORDER = ["product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency",
                  "billing", "first_payment", "facts", "products"]
RADIO_PRODUCTS_MAX = 3  # up to this many products the calculator shows radios, else a select


# --- scenarios ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    vendor: str
    name: str
    input: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.vendor}: {self.name}"


def policy(vendor: str) -> dict[str, Any]:
    return policy_to_dict(refundlib.get_policy(vendor))


def _synthetic(vendor: str) -> list[Scenario]:
    """For a vendor without case files: its first paid product, every question unanswered, then all "no"."""
    data = policy(vendor)
    product = next(p for p in data["products"] if p["charged"])
    base = {"product": product["id"], "purchased_on": "2026-03-01", "requested_on": "2026-03-05",
            "amount_paid": "20.00", "currency": "USD", "billing": product["billing"][0]}
    facts = [f for f in data["facts"] if f["type"] == "bool" and (not f["products"] or product["id"] in f["products"])]
    return [Scenario(vendor, "synthetic: questions unanswered", base),
            Scenario(vendor, "synthetic: every question answered no, first payment",
                     {**base, "first_payment": True, "facts": {f["id"]: False for f in facts}}),
            Scenario(vendor, "synthetic: every question I don't know",
                     {**base, "facts": {f["id"]: "unknown" for f in facts}})]


def scenarios_for(vendor: str, count: int = 3) -> list[Scenario]:
    """Up to ``count`` non-error cases of ``vendor`` from tests/cases: a conditional one (when there is
    one) first, then cases with other outcomes. Vendors without case files get synthetic scenarios."""
    cases = [c for c in load_cases() if c.vendor == vendor and c.output is not None]
    if len(cases) < 2:
        return _synthetic(vendor)[:count]

    def outcome(case) -> str:
        return refundlib.evaluate(vendor, case.input).to_dict()["outcome"]

    picked = [c for c in cases if outcome(c) == "conditional"][:1]
    seen = {outcome(c) for c in picked}
    for case in cases:
        if len(picked) >= count:
            break
        if case not in picked and outcome(case) not in seen:
            picked.append(case)
            seen.add(outcome(case))
    for case in cases:  # fewer distinct outcomes than count: fill up in file order
        if len(picked) >= count:
            break
        if case not in picked:
            picked.append(case)
    return [Scenario(vendor, c.name, c.input) for c in picked]


def error_case(vendor: str, field: str) -> dict[str, Any] | None:
    """A case file's input that the library refuses naming ``field`` (None when there is none)."""
    for case in load_cases():
        if case.vendor == vendor and case.error is not None and case.error["field"] == field:
            return case.input
    return None


def form_scenario(vendor: str, scenario: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario the vendor page's form sends after a person entered ``scenario``: the same
    values, as strings where typed, billing filled in when the product has only one way of billing,
    in the calculator's key order. (The library treats both the same way.)"""
    data = policy(vendor)
    product = next(p for p in data["products"] if p["id"] == scenario["product"])
    out: dict[str, Any] = {"product": product["id"]}
    for key in ("purchased_on", "requested_on", "amount_paid", "list_price", "currency"):
        if scenario.get(key) not in (None, ""):
            out[key] = str(scenario[key])
    billing = scenario.get("billing") or (product["billing"][0] if len(product["billing"]) == 1 else None)
    if billing:
        out["billing"] = billing
    if "first_payment" in scenario:
        out["first_payment"] = scenario["first_payment"]
    asked = [f["id"] for f in data["facts"] if not f["products"] or product["id"] in f["products"]]
    given = scenario.get("facts", {})
    facts = {f: given[f] if isinstance(given[f], bool) or given[f] == "unknown" else str(given[f])
             for f in asked if f in given}
    if facts:
        out["facts"] = facts
    return out


def ordered(scenario: Mapping[str, Any]) -> dict[str, Any]:
    return {k: scenario[k] for k in SCENARIO_ORDER if k in scenario}


def permalink_hash(scenario: Mapping[str, Any]) -> str:
    """``#s=`` + encodeURIComponent(JSON.stringify(scenario)), as the calculator writes it."""
    text = json.dumps(scenario, separators=(",", ":"), ensure_ascii=False)
    return "#s=" + quote(text, safe="-_.!~*'()")


def scenario_in_url(url: str) -> dict[str, Any] | None:
    fragment = urlsplit(url).fragment
    return json.loads(unquote(fragment[2:])) if fragment.startswith("s=") else None


# --- filling the form as a person would ---------------------------------------------------

def group(scope: Locator | Page, legend: str) -> Locator:
    return scope.get_by_role("group", name=legend, exact=True)


def choose(scope: Locator | Page, legend: str, answer: str) -> None:
    """Click the radio button ``answer`` in the question ``legend``."""
    group(scope, legend).get_by_role("radio", name=answer, exact=True).check()


def product_label(product: Mapping[str, Any]) -> str:
    return product["name"] + ("" if product["charged"] else " (never charged)")


def fill_common(form: Locator, scenario: Mapping[str, Any]) -> None:
    for key, label in LABELS.items():
        if key in scenario:
            form.get_by_label(label, exact=True).fill(str(scenario[key]))
    if "first_payment" in scenario:
        choose(form, FIRST_PAYMENT_QUESTION, ANSWER_WORDS[scenario["first_payment"]])


def answer_facts(form: Locator, facts_by_id: Mapping[str, Mapping[str, Any]], answers: Mapping[str, Any]) -> None:
    for fact_id, answer in answers.items():
        fact = facts_by_id[fact_id]
        if fact["type"] == "bool":
            choose(form, fact["question"], ANSWER_WORDS[answer])
        else:
            form.get_by_label(fact["question"], exact=True).fill(str(answer))


def fill_vendor_form(section: Locator, vendor: str, scenario: Mapping[str, Any]) -> None:
    """Enter ``scenario`` in the vendor page's calculator: pick, type and click like a person."""
    data = policy(vendor)
    form = section.locator("form.refund-form")
    product = next(p for p in data["products"] if p["id"] == scenario["product"])
    if len(data["products"]) <= RADIO_PRODUCTS_MAX:
        choose(form, PRODUCT_QUESTION, product_label(product))
    else:
        form.get_by_label(PRODUCT_QUESTION, exact=True).select_option(label=product_label(product))
    if scenario.get("billing"):
        choose(form, BILLING_QUESTION, BILLING_WORDS[scenario["billing"]])
    fill_common(form, scenario)
    answer_facts(form, {f["id"]: f for f in data["facts"]}, scenario.get("facts", {}))


def start_over(section: Locator) -> None:
    section.get_by_role("button", name="Start over").click()


# --- reading the verdict ----------------------------------------------------------------------

_SHOWS_SCENARIO = """([expected, selector]) => {
  const canon = (v) => Array.isArray(v) ? v.map(canon) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
  if (!location.hash.startsWith("#s=")) return false;
  let shown;
  try { shown = JSON.parse(decodeURIComponent(location.hash.slice(3))); } catch { return false; }
  if (JSON.stringify(canon(shown)) !== JSON.stringify(canon(expected))) return false;
  const verdicts = [...document.querySelectorAll(selector)];
  return verdicts.length > 0 && verdicts.every((v) => v.dataset.state === "done" || v.dataset.state === "error");
}"""


def wait_for_verdict(page: Page, scenario: Mapping[str, Any], selector: str = ".refund-verdict",
                     timeout: int = RUNTIME_TIMEOUT_MS) -> None:
    """Wait until the URL holds exactly ``scenario`` and every verdict for it has arrived."""
    page.wait_for_function(_SHOWS_SCENARIO, arg=[dict(scenario), selector], timeout=timeout)


def wait_until_settled(page: Page, selector: str = ".refund-verdict", timeout: int = RUNTIME_TIMEOUT_MS) -> None:
    page.wait_for_function(
        """(selector) => { const v = [...document.querySelectorAll(selector)];
             return v.length > 0 && v.every((x) => ["done", "error", "failed"].includes(x.dataset.state)); }""",
        arg=selector, timeout=timeout)


def verdict_seen(verdict: Locator) -> dict[str, Any]:
    return verdict.evaluate("""(v) => ({
      state: v.dataset.state, outcome: v.dataset.outcome, amount: v.dataset.amount,
      summary: v.querySelector(".refund-verdict__summary")?.textContent ?? null,
      headline: v.querySelector(".refund-verdict__headline")?.textContent ?? "",
      flags: [...v.querySelectorAll(":scope > .refund-verdict__body > .refund-verdict-flags > li")]
        .map((li) => li.dataset.flag),
      branches: [...v.querySelectorAll(":scope > .refund-verdict__body > .refund-branches > li")]
        .map((li) => [li.dataset.outcome, li.dataset.amount]),
    })""")


def expected_seen(decision: Mapping[str, Any]) -> dict[str, Any]:
    """What ``verdict_seen`` must read for the library's decision (a ``Decision.to_dict()``)."""
    return {
        "state": "done", "outcome": decision["outcome"], "amount": decision["amount"] or "",
        "summary": decision["summary"], "flags": [f["id"] for f in decision["flags"]],
        "branches": [[b["decision"]["outcome"], b["decision"]["amount"] or ""] for b in decision["branches"]],
    }


def assert_shows_decision(verdict: Locator, decision: Mapping[str, Any]) -> None:
    seen = verdict_seen(verdict)
    seen.pop("headline")
    assert seen == expected_seen(decision)


def assert_form_shows(section: Locator, vendor: str, scenario: Mapping[str, Any]) -> None:
    """The vendor form's controls hold ``scenario``'s values."""
    data = policy(vendor)
    form = section.locator("form.refund-form")
    product = next(p for p in data["products"] if p["id"] == scenario["product"])
    if len(data["products"]) <= RADIO_PRODUCTS_MAX:
        radio = group(form, PRODUCT_QUESTION).get_by_role("radio", name=product_label(product), exact=True)
        expect(radio).to_be_checked()
    else:
        expect(form.get_by_label(PRODUCT_QUESTION, exact=True)).to_have_value(product["id"])
    if scenario.get("billing"):
        expect(group(form, BILLING_QUESTION).get_by_role("radio", name=BILLING_WORDS[scenario["billing"]],
                                                         exact=True)).to_be_checked()
    for key, label in LABELS.items():
        expect(form.get_by_label(label, exact=True)).to_have_value(str(scenario.get(key, "")))
    if "first_payment" in scenario:
        expect(group(form, FIRST_PAYMENT_QUESTION).get_by_role(
            "radio", name=ANSWER_WORDS[scenario["first_payment"]], exact=True)).to_be_checked()
    facts = {f["id"]: f for f in data["facts"]}
    for fact_id, answer in scenario.get("facts", {}).items():
        fact = facts[fact_id]
        if fact["type"] == "bool":
            radio = group(form, fact["question"]).get_by_role("radio", name=ANSWER_WORDS[answer], exact=True)
            expect(radio).to_be_checked()
        else:
            expect(form.get_by_label(fact["question"], exact=True)).to_have_value(str(answer))


# --- accessibility under the site's Content-Security-Policy ------------------------------------

_AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now.

    Like conftest's ``check_accessibility``, but axe is evaluated through the DevTools protocol
    instead of an inline <script> tag, which the site's CSP (rightly) refuses.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `make setup` (npm ci)"
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_AXE_RUN)


def assert_accessible(page: Page) -> None:
    found = axe_violations(page)
    assert not found, "serious/critical axe violations:\n" + "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}: {', '.join(v['nodes'][:5])}" for v in found)


# --- the keyboard alone -------------------------------------------------------------------------

_ACTIVE = """() => { const a = document.activeElement;
  return a ? {field: a.dataset ? a.dataset.field || "" : "", type: a.type || a.tagName.toLowerCase(),
              value: a.value, checked: Boolean(a.checked), text: (a.textContent || "").trim(),
              inForm: Boolean(a.closest("form.refund-form"))} : null; }"""


def active(page: Page) -> dict[str, Any]:
    return page.evaluate(_ACTIVE)


def tab_into_form(page: Page, limit: int = 600) -> dict[str, Any]:
    """Press Tab from the top of the page until the focus is in the calculator's form."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if now and now["inForm"]:
            return now
    raise AssertionError(f"{limit} presses of Tab never reached the calculator's form")


def keyboard_value(field: str, scenario: Mapping[str, Any]) -> str | None:
    """What the control ``field`` must end up holding for ``scenario`` (None: leave it alone)."""
    if field.startswith("facts."):
        value = scenario.get("facts", {}).get(field[6:])
    elif field.startswith("products."):
        value = scenario.get("products", {}).get(field[9:])
    else:
        value = scenario.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or value == "unknown":
        return {True: "yes", False: "no"}.get(value, "unknown")
    return str(value)


def keyboard_fill(page: Page, scenario: Mapping[str, Any]) -> list[str]:
    """Fill the calculator's form with the keyboard alone: Tab from the top of the page, type into
    text and date fields, arrow keys and Space on radio buttons and selects. Returns the fields visited."""
    now = tab_into_form(page)
    visited: list[str] = []
    for _ in range(200):
        field = now["field"]
        if not now["inForm"] or now["text"] == "Start over":
            return visited
        if field:
            assert field not in visited, f"Tab came back to {field}: {visited}"
            visited.append(field)
            want = keyboard_value(field, scenario)
            if want is not None:
                _set_with_keys(page, now, want)
            # Leave the control (a date input takes a Tab per part: month, day, year).
            for _ in range(4):
                page.keyboard.press("Tab")
                now = active(page)
                if now["field"] != field:
                    break
        else:  # e.g. the <summary> of "More questions": open it with Enter, then go on
            if now["type"] == "summary":
                page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            now = active(page)
    raise AssertionError(f"the form never ended: {visited}")


def _set_with_keys(page: Page, now: dict[str, Any], want: str) -> None:
    kind = now["type"]
    if kind == "radio":
        for _ in range(8):
            if now["value"] == want:
                break
            page.keyboard.press("ArrowRight")  # moves to the next choice and selects it
            now = active(page)
        assert now["value"] == want, f"no choice {want!r} in {now['field']}"
        if not now["checked"]:
            page.keyboard.press("Space")
    elif kind.startswith("select"):
        for _ in range(30):
            if now["value"] == want:
                break
            page.keyboard.press("ArrowDown")
            now = active(page)
        assert now["value"] == want, f"no option {want!r} in {now['field']}"
    elif kind == "date":
        year, month, day = want.split("-")
        page.keyboard.type(f"{month}{day}{year}")  # en-US: mm/dd/yyyy, each part moves on by itself
    else:
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(want)


# --- the compare page ---------------------------------------------------------------------------

MORE_QUESTIONS = "More questions (optional)"

# Situations put to every vendor: what a person enters on the compare page. ``pick`` names
# products chosen by hand in a vendor's select (the others keep the page's default).
COMPARE_SCENARIOS: dict[str, dict[str, Any]] = {
    "monthly, day 5, first payment": {
        "purchased_on": "2026-03-01", "requested_on": "2026-03-06", "amount_paid": "30.00", "currency": "USD",
        "billing": "monthly", "first_payment": True,
    },
    "annual with a discount, six months in, some answers unknown": {
        "purchased_on": "2026-01-01", "requested_on": "2026-07-01", "amount_paid": "800.00", "list_price": "1000.00",
        "currency": "EUR", "billing": "annual", "first_payment": "unknown",
        "facts": {"service_plan_used": True, "one_time_copy_used": True, "cash_out": "unknown",
                  "technical_issue_continuous": True, "technical_issue_verified": True},
    },
    "one-time payment, a product picked by hand": {
        "purchased_on": "2026-02-10", "requested_on": "2026-02-12", "amount_paid": "2500.00", "currency": "INR",
        "billing": "one_time", "first_payment": False,
        "facts": {"technical_issue_continuous": True, "technical_issue_verified": "unknown"},
        "pick": {"softdukan": "conversation_credits"},
    },
}


def merged_facts(vendors: list[str]) -> dict[str, dict[str, Any]]:
    """The compare page's questions: each fact id once, worded as the first vendor that asks it."""
    merged: dict[str, dict[str, Any]] = {}
    for vendor in vendors:
        for fact in policy(vendor)["facts"]:
            merged.setdefault(fact["id"], fact)
    return merged


def compare_scenario(vendors: list[str], entered: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario the compare page sends for what a person ``entered``: the facts any vendor asks,
    and a product per vendor, chosen by hand or else like ``refundlib.compare.pick_product``."""
    from refundlib.compare import pick_product

    facts = merged_facts(vendors)
    out = {k: v for k, v in entered.items() if k not in ("facts", "pick")}
    answered = {k: v for k, v in entered.get("facts", {}).items() if k in facts}
    if answered:
        out["facts"] = answered
    products = {}
    for vendor in vendors:
        chosen = entered.get("pick", {}).get(vendor) or pick_product(refundlib.get_policy(vendor),
                                                                       {"billing": entered.get("billing")})
        if chosen:
            products[vendor] = chosen
    out["products"] = products
    return out


def fill_compare_form(section: Locator, vendors: list[str], entered: Mapping[str, Any]) -> None:
    form = section.locator("form.refund-form")
    if entered.get("billing"):
        choose(form, BILLING_QUESTION, BILLING_WORDS[entered["billing"]])
    fill_common(form, entered)
    for vendor, product_id in entered.get("pick", {}).items():
        data = policy(vendor)
        product = next(p for p in data["products"] if p["id"] == product_id)
        form.get_by_label(data["name"], exact=True).select_option(label=product_label(product))
    facts = merged_facts(vendors)
    answers = {k: v for k, v in entered.get("facts", {}).items() if k in facts}
    if answers:
        more = form.locator("details.refund-more")
        if more.get_attribute("open") is None:
            more.locator("summary").click()
        answer_facts(form, facts, answers)


def assert_compare_matches(section: Locator, results: list[dict[str, Any]]) -> None:
    """Each vendor's verdict on the compare page is refundlib.compare's result for that vendor."""
    for result in results:
        verdict = section.locator(f'.refund-verdict[data-vendor="{result["vendor"]}"]')
        if result["decision"] is None:
            seen = verdict_seen(verdict)
            assert (seen["state"], seen["outcome"], seen["amount"]) == ("error", "", ""), result
            # The library's error value in words: its message, or "<the field's label>: expected ...".
            error = result["error"]
            said = f"expected {error['expected']}" if error["field"] and error["expected"] else error["message"]
            assert said in seen["headline"], (result, seen)
        else:
            assert_shows_decision(verdict, result["decision"])


# --- pages kept open for the session ---------------------------------------------------------------

CALCULATOR_READY = ".refund-status progress[hidden]"  # status.js hides the progress bar when ready


def open_once(shared, url: str, key: str) -> Page:
    """The session's page ``key``, showing ``url`` (loaded only if it shows another page)."""
    page = shared.page(key)
    if page.url.split("#")[0] != url.split("#")[0]:
        page.goto(url)
        # The form is complete once the library is ready (its questions can still change before).
        page.locator(CALCULATOR_READY).first.wait_for(state="attached", timeout=RUNTIME_TIMEOUT_MS)
    return page


def vendor_page(shared, site: str, vendor: str) -> Page:
    """The session's page for this vendor's calculator (Pyodide starts once per vendor)."""
    return open_once(shared, f"{site}vendors/{vendor}/", f"form:{vendor}")


def compare_page(shared, site: str) -> Page:
    return open_once(shared, f"{site}compare/", "compare")


def focus_top_of_page(page: Page) -> None:
    """Put the keyboard focus where a fresh page load leaves it: before the first focusable element."""
    page.evaluate("""() => {
        window.scrollTo(0, 0);
        // Tab moves on from the last focused node: focus a node put before everything else, then remove it.
        const start = document.createElement("span");
        start.tabIndex = -1;
        document.body.prepend(start);
        start.focus();
        start.remove();
    }""")
