"""What the browser's scripts share with the library, published as ``assets/refund/shared.json``.

The calculator and the playground hold no word table and no constant of their own: they import
this file (a JSON module) for the words of :mod:`refundlib.words`, the size of the site's charts,
the purchase the playground charts first, and the product each vendor is given on the compare
page for each way of billing (:func:`refundlib.compare.pick_product`, so that the browser never
chooses one itself). See docs/site-contract.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from refundlib.chart_svg import CHART_HEIGHT, CHART_WIDTH
from refundlib.compare import pick_product
from refundlib.model import Billing, Policy
from refundlib.purchase import DEFAULT_PURCHASE
from refundlib.words import browser_words

SHARED_JSON = "shared.json"  # next to the scripts, in assets/refund/


def default_products(policies: Sequence[Policy]) -> dict[str, dict[str, str | None]]:
    """Billing ("" when none is chosen) -> vendor id -> the product the comparison gives it."""
    return {billing: {p.id: pick_product(p, {"billing": billing} if billing else {}) for p in policies}
            for billing in ("", *Billing)}


def shared(policies: Sequence[Policy]) -> dict[str, object]:
    return {"words": browser_words(), "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT},
            "default_purchase": dict(DEFAULT_PURCHASE), "default_products": default_products(policies)}


def shared_json(policies: Sequence[Policy]) -> str:
    return json.dumps(shared(policies), ensure_ascii=False, indent=1) + "\n"
