"""One situation, every vendor: put a scenario to each policy and collect the verdicts.

Product ids differ between vendors, so a comparison scenario may name the product per
vendor (``"products": {"kino": "pro_annual"}``); otherwise each vendor's first charged
product offered with the scenario's billing is used. Facts a vendor does not define are
ignored for that vendor (a fact no vendor defines is refused), and its own unanswered
questions stay "unknown".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .decision import Decision
from .errors import NotSoldError, RefundlibError
from .evaluator import evaluate
from .model import Policy
from .purchase import check_situation
from .registry import all_policies


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    vendor: str
    name: str
    product: str | None
    decision: Decision | None
    error: RefundlibError | None = None  # why this vendor cannot answer this situation

    def to_dict(self) -> dict[str, object]:
        return {"vendor": self.vendor, "name": self.name, "product": self.product,
                "decision": None if self.decision is None else self.decision.to_dict(),
                "error": None if self.error is None else self.error.to_dict()}


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


def compare(scenario: Mapping[str, object], policies: list[Policy] | None = None) -> list[ComparisonResult]:
    """Evaluate one situation under every policy.

    What is wrong whatever the vendor is raised (:func:`refundlib.purchase.check_situation`);
    what one vendor cannot answer (it bills nothing that way) is that vendor's result.
    """
    policies = policies if policies is not None else all_policies()
    check_situation(scenario, policies)
    results = []
    for policy in policies:
        product = pick_product(policy, scenario)
        if product is None:
            sold = sorted({str(b) for p in policy.products if p.charged for b in p.billing})
            results.append(ComparisonResult(policy.id, policy.name, None, None,
                                            NotSoldError(policy.name, scenario.get("billing"), sold)))
            continue
        single = {k: v for k, v in scenario.items() if k != "products"} | {"product": product}
        try:
            decision = evaluate(policy.id, single, policy=policy, lenient_facts=True)
        except RefundlibError as error:
            results.append(ComparisonResult(policy.id, policy.name, product, None, error))
            continue
        results.append(ComparisonResult(policy.id, policy.name, product, decision))
    return results
