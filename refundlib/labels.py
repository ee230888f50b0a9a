"""Words for the comparison terms and lint findings, shared by the site and the playground.

They live in the library (not in site_plugins) because the playground runs in the browser,
where only refundlib is loaded.
"""

from __future__ import annotations

from .lint import FindingKind
from .model import Topic

TOPIC_LABELS: dict[Topic, str] = {
    Topic.FULL_REFUND: "Full refund",
    Topic.PARTIAL_REFUND: "Partial refund",
    Topic.DISCOUNT_PENALTY: "Discounts and penalties",
    Topic.FEES: "Fees",
    Topic.DESTINATION: "Where the money goes",
    Topic.CANCELLATION: "Cancellation",
    Topic.SPECIAL_CASES: "Special cases",
    Topic.EXCLUSIONS: "Exclusions",
    Topic.HOW_TO_REQUEST: "How to request",
    Topic.RESPONSE_TIME: "Response time",
    Topic.PROCESSING_TIME: "Processing time",
    Topic.CHARGEBACKS: "Chargebacks",
}
FINDING_LABELS: dict[FindingKind, str] = {
    FindingKind.UNDEFINED_TERM: "Undefined term",
    FindingKind.INCONSISTENT_STATEMENT: "Inconsistent statements",
    FindingKind.DISCRETIONARY_LANGUAGE: "Vendor's discretion",
    FindingKind.MIXED_WINDOW_EVENTS: "Window counted from different events",
    FindingKind.CONTRADICTED_ABSOLUTE: "Absolute statement contradicted",
    FindingKind.SILENT_TOPIC: "Silent where the others speak",
    FindingKind.DESTINATION_UNSTATED: "Where the money goes: not stated",
}
