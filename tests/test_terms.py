"""The vendor page's opening sentence (refundlib.terms), derived from the rules."""

from __future__ import annotations

import pytest

import refundlib
from refundlib.terms import lead_sentence, refund_windows


@pytest.mark.parametrize("vendor", refundlib.vendor_ids())
def test_the_sentence_names_every_refund_window(vendor: str) -> None:
    policy = refundlib.get_policy(vendor)
    sentence = lead_sentence(policy)
    assert sentence[0].isupper() and sentence.endswith(".") and "_" not in sentence
    for window in refund_windows(policy):
        assert f"within {window.length}" in sentence


def test_a_window_of_days_with_conditions() -> None:
    # reCatch: "Full refunds are available within 7 days of subscription if you have not used the service at all."
    assert lead_sentence(refundlib.get_policy("recatch")) == "A full refund within 7 days, on conditions."


def test_a_policy_with_no_refund_as_of_right() -> None:
    # SoftDukan: paid services are non-refundable; a refund may be granted for verified continuous technical issues.
    assert lead_sentence(refundlib.get_policy("softdukan")) == (
        "No refund as of right; a refund only at SoftDukan's discretion, in some cases.")


def test_hours_are_kept_as_the_policy_counts_them() -> None:
    # KINO: credit packs, "The request is made within 48 hours of purchase".
    windows = {w.products: w.length for w in refund_windows(refundlib.get_policy("kino"))}
    assert "48 hours" in windows.values()
