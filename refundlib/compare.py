"""One situation, every vendor: put a scenario to each policy and collect the verdicts.

Product ids differ between vendors, so a comparison scenario may name the product per
vendor (``"products": {"kino": "pro_annual"}``); otherwise each vendor's first charged
product offered with the scenario's billing is used. Facts a vendor does not define are
ignored for that vendor, and its own unanswered questions stay "unknown".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .decision import Decision
from .errors import RefundlibError, ScenarioError
from .money import parse_amount, parse_currency
from .scenario import parse_date
from .evaluator import evaluate
from .model import Policy
from .registry import all_policies


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    vendor: str
    name: str
    product: str | None
    decision: Decision | None
    error: str = ""  # why this vendor cannot answer this situation

    def to_dict(self) -> dict[str, object]:
        return {"vendor": self.vendor, "name": self.name, "product": self.product,
                "decision": None if self.decision is None else self.decision.to_dict(), "error": self.error}


def pick_product(policy: Policy, scenario: Mapping[str, object]) -> str | None:
    chosen = scenario.get("products", {})
    if isinstance(chosen, Mapping) and policy.id in chosen:
        return str(chosen[policy.id])
    if any(p.id == scenario.get("product") for p in policy.products):
        return str(scenario["product"])
    billing = scenario.get("billing")
    for product in policy.products:
        if product.charged and (billing is None or billing in product.billing):
            return product.id
    return None


def check_common_fields(scenario: Mapping[str, object]) -> None:
    """Raise for what is wrong whatever the vendor: dates, amounts, currency."""
    purchased_on = parse_date(scenario.get("purchased_on"), "purchased_on")
    requested_on = parse_date(scenario.get("requested_on"), "requested_on")
    if requested_on < purchased_on:
        raise ScenarioError("requested_on", f"a date on or after purchased_on ({purchased_on})", str(requested_on))
    parse_amount(scenario.get("amount_paid"), "amount_paid")
    if scenario.get("list_price") not in (None, ""):
        parse_amount(scenario.get("list_price"), "list_price")
    parse_currency(scenario.get("currency"))


def compare(scenario: Mapping[str, object], policies: list[Policy] | None = None) -> list[ComparisonResult]:
    """Evaluate one situation under every policy. Input errors common to all vendors are raised."""
    if not isinstance(scenario, Mapping):
        raise ScenarioError("scenario", "a JSON object", type(scenario).__name__)
    products = scenario.get("products", {})
    if not isinstance(products, Mapping):
        raise ScenarioError("products", "an object mapping vendor ids to product ids", type(products).__name__)
    check_common_fields(scenario)
    results = []
    for policy in policies if policies is not None else all_policies():
        product = pick_product(policy, scenario)
        if product is None:
            results.append(ComparisonResult(policy.id, policy.name, None, None,
                                            f"{policy.name} sells nothing billed {scenario.get('billing')}."))
            continue
        single = {k: v for k, v in scenario.items() if k != "products"} | {"product": product}
        try:
            decision = evaluate(policy.id, single, policy=policy, lenient_facts=True)
        except RefundlibError as error:
            results.append(ComparisonResult(policy.id, policy.name, product, None, str(error)))
            continue
        results.append(ComparisonResult(policy.id, policy.name, product, decision))
    return results
