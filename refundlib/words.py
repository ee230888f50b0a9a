"""Every word a reader sees for the library's enumerations, once, in one voice.

Outcomes, destinations, request channels, billing, timings, note kinds, comparison terms,
lint findings, chart points, the calculator's start-up stages and the scenario's fields as
the form names them. The CLI's text (:mod:`refundlib.render`), the summaries of a verdict
(:mod:`refundlib.branches`), the site's pages (``site_plugins``) and the browser (the build
publishes :func:`browser_words` as JSON, see docs/site-contract.md) all read them here.

The voice: plain words, second person ("your original payment method"), lower case where a
phrase sits inside a sentence; whoever starts a line with one capitalizes it (:func:`capitalized`).
Tables are keyed by the enumerations' values (a ``StrEnum`` member is its value), so that this
module imports nothing that evaluating a purchase does not already need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import Billing, Channel, Destination, NoteKind, Outcome, TimingKind, Topic
from .purchase_fields import parse_amount

OUTCOMES: dict[str, str] = {
    Outcome.FULL: "Full refund",
    Outcome.PARTIAL: "Partial refund",
    Outcome.DISCRETIONARY: "Refund at the vendor's discretion",
    Outcome.NONE: "No refund",
    Outcome.CONDITIONAL: "It depends on your answers",
}

# Where the money goes, inside a sentence: "Full refund of 49.00 USD to your original payment method."
DESTINATIONS: dict[str | None, str] = {
    Destination.ORIGINAL_PAYMENT_METHOD: "to your original payment method",
    Destination.ACCOUNT_BALANCE: "to your account balance (deposit)",
    Destination.CREDITS: "as credits to your account",
    None: "the policy does not say where the money goes",
}

# How to ask, inside a sentence: "To request it: by email (billing@example.com)."
CHANNELS: dict[str, str] = {
    Channel.EMAIL: "by email",
    Channel.SETTINGS_PAGE: "in your account settings",
    Channel.CONTACT_FORM: "through the vendor's contact form",
    Channel.CONTACT_TEAM: "by contacting the vendor's team",
    Channel.AUTOMATIC: "nothing to do: it happens automatically",
}

# "sold monthly or annual"; a form's choice is the capitalized word.
BILLING: dict[str, str] = {
    Billing.MONTHLY: "monthly",
    Billing.ANNUAL: "annual",
    Billing.ONE_TIME: "one-time",
}

# "sells nothing billed annually", "a first payment of 1200.00 USD, billed annually"
BILLED: dict[str, str] = {
    Billing.MONTHLY: "billed monthly",
    Billing.ANNUAL: "billed annually",
    Billing.ONE_TIME: "paid once",
}

TIMINGS: dict[str, str] = {
    TimingKind.RESPONSE: "Response time",
    TimingKind.PROCESSING: "Processing time",
}

NOTE_KINDS: dict[str, str] = {
    NoteKind.AMBIGUITY: "Ambiguity",
    NoteKind.INCONSISTENCY: "Inconsistency",
    NoteKind.UNSTATED: "Not stated",
    NoteKind.INTERPRETATION: "Our reading",
}

TOPICS: dict[str, str] = {
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

# refundlib.lint.FindingKind (keyed by value: evaluating a purchase does not import the linter)
FINDING_KINDS: dict[str, str] = {
    "undefined-term": "Undefined term",
    "inconsistent-statement": "Inconsistent statements",
    "discretionary-language": "Vendor's discretion",
    "mixed-window-events": "Window counted from different events",
    "contradicted-absolute": "Absolute statement contradicted",
    "silent-topic": "Silent where the others speak",
    "destination-unstated": "Where the money goes: not stated",
}

# refundlib.chart.PointKind: how one day of a refund chart reads; "{amount}" is the amount drawn.
POINT_KINDS: dict[str, str] = {
    "entitlement": "{amount}",
    "upper_bound": "at most {amount}",
    "discretionary": "up to {amount}, at the vendor's discretion",
    "conditional": "up to {amount}, depending on an answer",
    "none": "no refund",
}

# The same, as a chart's description (<desc>) says it: "refund due", "no refund".
POINT_DESCRIPTIONS: dict[str, str] = {
    "entitlement": "refund due",
    "upper_bound": "partial refund of at most",
    "discretionary": "may be refunded (at the vendor's discretion), up to",
    "conditional": "depends on an answer not known, at most",
    "none": "no refund",
}

# The calculator's start-up, as its status line says it (the page's own first and last words apart).
STAGES: dict[str, str] = {
    "runtime": "Loading the Python runtime (step 1 of 3)…",
    "stdlib": "Loading Python's standard library (step 2 of 3)…",
    "wheel": "Loading refundlib, the policy library (step 3 of 3)…",
}
STAGE_PAGES: dict[str, dict[str, str]] = {
    "calculator": {"idle": "Starting the calculator…",
                   "ready": "Calculator ready: the verdict updates as you answer."},
    "playground": {"idle": "Starting the playground…",
                   "ready": "Ready: your draft is checked as you type."},
}

FIRST_PAYMENT_QUESTION = "Is this the first payment of the subscription (not a renewal)?"

# A scenario's fields as the calculator's form names them (an error names the field this way).
SCENARIO_FIELDS: dict[str, str] = {
    "scenario": "The scenario",
    "product": "Product",
    "products": "Products",
    "billing": "Billing",
    "purchased_on": "Purchase date",
    "requested_on": "Date of the refund request",
    "amount_paid": "Amount paid",
    "list_price": "List price before any discount",
    "currency": "Currency",
    "first_payment": "First payment or renewal",
    "facts": "The answers to the policy's questions",
}

# How a chart's caption begins: the site's own purchase, or (while the reader's is drawn) the default one.
CHART_LEADS: dict[str, str] = {"charted": "Charted: ", "default": "Default purchase: "}

NOT_STATED = "Not stated in the policy"
NOT_STATED_SHORT = "Not stated"
NO_DATE = "Not shown in the policy"
LAST_UPDATED = "Last updated"


# By when to ask (refundlib.deadline): what asking after the last day gives, inside a sentence.
LATER_OUTCOMES: dict[str, str] = {
    Outcome.FULL: "a full refund",
    Outcome.PARTIAL: "a partial refund",
    Outcome.DISCRETIONARY: "a refund at the vendor's discretion",
    Outcome.NONE: "no refund",
    Outcome.CONDITIONAL: "a verdict that depends on your answers",
}


# A refunding rule's outcome, in the vendor page's opening sentence ("a full refund within 7 days").
WINDOW_OUTCOMES: dict[str, str] = {
    Outcome.FULL: "a full refund",
    Outcome.PARTIAL: "a partial refund",
    Outcome.DISCRETIONARY: "a refund at {vendor}'s discretion",
}


def phrase_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def ask_by_sentence(*, last_day: str, days_left: int, next_day: str, next_outcome: str, next_amount: str | None,
                    next_amount_max: str | None, currency: str) -> str:
    """'Ask by 2026-08-15 (2 days after the request date you gave). From 2026-08-16: no refund.'"""
    if days_left == 0:
        left = "the request date you gave is the last day"
    else:
        left = f"{days_left} day{'s' if days_left != 1 else ''} after the request date you gave"
    later = LATER_OUTCOMES[next_outcome]
    if next_outcome in (Outcome.FULL, Outcome.PARTIAL) and next_amount is not None:
        later += f" of {next_amount} {currency}"
    elif next_outcome != Outcome.NONE and next_amount_max is not None:
        later += f", up to {next_amount_max} {currency}"
    return f"Ask by {last_day} ({left}). From {next_day}: {later}."


def capitalized(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def topic_label(topic: str) -> str:
    return TOPICS.get(topic, str(topic).replace("_", " ").capitalize())


def note_kind_label(kind: str) -> str:
    return NOTE_KINDS.get(kind, str(kind).capitalize())


def finding_kind_label(kind: str) -> str:
    return FINDING_KINDS.get(kind, str(kind).replace("-", " ").capitalize())


def billed(billing: str) -> str:
    return BILLED.get(billing, f"billed {billing}")


def purchase_words(purchase: Mapping[str, Any]) -> str:
    """'a first payment of 1200.00 USD, billed annually at list price, on 2026-01-01'."""
    first = purchase.get("first_payment")
    kind = "a first payment" if first is True else "a renewal payment" if first is False else "a payment"
    paid, listed = purchase["amount_paid"], purchase.get("list_price")
    discounted = listed not in (None, "") and parse_amount(listed, "list_price") > parse_amount(paid, "amount_paid")
    price = f"discounted from a list price of {listed} {purchase['currency']}" if discounted else "at list price"
    return (f"{kind} of {paid} {purchase['currency']}, {billed(purchase['billing'])} {price}, "
            f"on {purchase['purchased_on']}")


def browser_words() -> dict[str, object]:
    """The tables the browser shows (published by the site build as JSON, keyed by the values)."""
    return {"outcomes": OUTCOMES, "destinations": {k: v for k, v in DESTINATIONS.items() if k is not None},
            "no_destination": DESTINATIONS[None], "channels": CHANNELS, "billing": BILLING, "billed": BILLED,
            "timings": TIMINGS, "note_kinds": NOTE_KINDS, "stages": STAGES, "stage_pages": STAGE_PAGES,
            "first_payment_question": FIRST_PAYMENT_QUESTION, "scenario_fields": SCENARIO_FIELDS,
            "chart_leads": CHART_LEADS, "not_stated": NOT_STATED_SHORT}
