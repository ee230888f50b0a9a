"""The site's words for the library's enumerations: comparison terms, note kinds, outcomes.

Kept apart from the HTML so that the same labels serve every page (and a test can
check that each enumeration value has one).
"""

from __future__ import annotations

from refundlib.chart import PointKind
from refundlib.labels import FINDING_LABELS, TOPIC_LABELS
from refundlib.lint import FindingKind
from refundlib.model import Billing, Channel, Destination, NoteKind, Outcome, Topic

TOPICS: dict[Topic, str] = TOPIC_LABELS

NOTE_KINDS: dict[NoteKind, str] = {
    NoteKind.AMBIGUITY: "Ambiguity",
    NoteKind.INCONSISTENCY: "Inconsistency",
    NoteKind.UNSTATED: "Not stated",
    NoteKind.INTERPRETATION: "Our reading",
}

OUTCOMES: dict[Outcome, str] = {
    Outcome.FULL: "Full refund",
    Outcome.PARTIAL: "Partial refund",
    Outcome.DISCRETIONARY: "At the vendor's discretion (it may refund, nothing is guaranteed)",
    Outcome.NONE: "No refund",
    Outcome.CONDITIONAL: "Depends on an answer",
}

DESTINATIONS: dict[Destination | None, str] = {
    Destination.ORIGINAL_PAYMENT_METHOD: "to the original payment method",
    Destination.ACCOUNT_BALANCE: "to the account balance (deposit)",
    Destination.CREDITS: "as credits on the account",
    None: "the policy does not say where the money goes",
}

CHANNELS: dict[Channel, str] = {
    Channel.EMAIL: "by email",
    Channel.SETTINGS_PAGE: "in the account settings",
    Channel.CONTACT_FORM: "through the contact form",
    Channel.CONTACT_TEAM: "by contacting the team",
    Channel.AUTOMATIC: "automatically",
}

BILLING: dict[Billing, str] = {
    Billing.MONTHLY: "monthly",
    Billing.ANNUAL: "annual",
    Billing.ONE_TIME: "one-time",
}

# "sells nothing billed annually", "a first payment of 1200.00 USD, billed annually"
BILLED: dict[Billing, str] = {
    Billing.MONTHLY: "billed monthly",
    Billing.ANNUAL: "billed annually",
    Billing.ONE_TIME: "paid once",
}

FINDING_KINDS: dict[FindingKind, str] = FINDING_LABELS

# How one day of a refund chart reads in its table: "{amount}" is the amount drawn.
POINT_KINDS: dict[PointKind, str] = {
    PointKind.ENTITLEMENT: "{amount}",
    PointKind.UPPER_BOUND: "at most {amount}",
    PointKind.DISCRETIONARY: "up to {amount}, at the vendor's discretion",
    PointKind.CONDITIONAL: "up to {amount}, depending on an answer",
    PointKind.NONE: "no refund",
}

NOT_STATED = "Not stated in the policy"
NOT_STATED_SHORT = "Not stated"
NO_DATE = "Not shown in the policy"
LAST_UPDATED = "Last updated"


def topic_label(topic: Topic) -> str:
    return TOPICS.get(topic, str(topic).replace("_", " ").capitalize())


def note_kind_label(kind: NoteKind) -> str:
    return NOTE_KINDS.get(kind, str(kind).capitalize())


def finding_kind_label(kind: FindingKind) -> str:
    return FINDING_KINDS.get(kind, str(kind).replace("-", " ").capitalize())


def billed(billing: Billing | str) -> str:
    return BILLED.get(Billing(billing), f"billed {billing}")
