"""The policy model: what a vendor's refund policy says, as frozen, cited data.

Every rule, note, request and timing carries the ids of the clauses it rests on, and
each :class:`Clause` is a sentence found verbatim in the captured policy text. The
loader (:mod:`refundlib.loader`) builds these objects from a policy file and
refuses anything malformed; the evaluator only reads them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .expr import Expression


class Outcome(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    DISCRETIONARY = "discretionary"  # the policy says the vendor *may* refund
    NONE = "none"
    CONDITIONAL = "conditional"  # depends on an answer given as "unknown": see the branches


class Destination(enum.StrEnum):
    ORIGINAL_PAYMENT_METHOD = "original_payment_method"
    ACCOUNT_BALANCE = "account_balance"
    CREDITS = "credits"


class Billing(enum.StrEnum):
    MONTHLY = "monthly"
    ANNUAL = "annual"
    ONE_TIME = "one_time"


class Channel(enum.StrEnum):
    EMAIL = "email"
    SETTINGS_PAGE = "settings_page"
    CONTACT_FORM = "contact_form"
    CONTACT_TEAM = "contact_team"
    AUTOMATIC = "automatic"


class NoteKind(enum.StrEnum):
    AMBIGUITY = "ambiguity"  # the text can be read more than one way
    INCONSISTENCY = "inconsistency"  # two statements of the same policy disagree
    UNSTATED = "unstated"  # something a purchaser needs that the policy does not say
    INTERPRETATION = "interpretation"  # a reading we chose, and why


class TimingKind(enum.StrEnum):
    RESPONSE = "response"
    PROCESSING = "processing"


class Topic(enum.StrEnum):
    """The comparison terms, in display order."""

    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    DISCOUNT_PENALTY = "discount_penalty"
    FEES = "fees"
    DESTINATION = "destination"
    CANCELLATION = "cancellation"
    SPECIAL_CASES = "special_cases"
    EXCLUSIONS = "exclusions"
    HOW_TO_REQUEST = "how_to_request"
    RESPONSE_TIME = "response_time"
    PROCESSING_TIME = "processing_time"
    CHARGEBACKS = "chargebacks"


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    text: str
    start: int  # offset of the sentence in Capture.text
    end: int


@dataclass(frozen=True, slots=True)
class Capture:
    """The policy text exactly as captured, and which part of it is the policy."""

    file: str
    text: str
    policy_start: int
    policy_end: int
    omitted: str  # what was left out of the capture, and why ("" when nothing)

    @property
    def policy_text(self) -> str:
        return self.text[self.policy_start : self.policy_end]


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    billing: tuple[Billing, ...]
    charged: bool  # False for free plans and trials: nothing is charged, nothing to refund
    cites: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    question: str
    type: str  # "bool" or "number"
    default: bool | Decimal | None
    products: tuple[str, ...]  # empty: asked for every product
    cites: tuple[str, ...]
    help: str = ""


@dataclass(frozen=True, slots=True)
class Requirement:
    test: Expression
    says: str
    cites: tuple[str, ...]
    id: str = ""  # optional: lets a note apply whenever this condition is checked, met or not


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A blanket exclusion: when it holds, nothing is refunded, whatever else applies."""

    id: str
    label: str
    when: Expression
    products: tuple[str, ...]
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the decision list: the first rule whose requirements all hold decides."""

    id: str
    label: str
    products: tuple[str, ...]
    requires: tuple[Requirement, ...]
    outcome: Outcome
    amount: Expression | None
    amount_max: Expression | None
    destination: Destination | None  # None: the policy does not say where the money goes
    automatic: bool
    request: str | None
    timings: tuple[str, ...]
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fee:
    id: str
    label: str
    when: Expression
    rate: Decimal
    applies_to: Destination
    destination_after: Destination | None
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    channel: Channel
    address: str
    steps: tuple[str, ...]
    include: tuple[str, ...]
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timing:
    id: str
    kind: TimingKind
    text: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    kind: NoteKind
    text: str
    cites: tuple[str, ...]
    applies_to: tuple[str, ...]  # ids of products, facts, rules, exclusions, fees, requests or timings


@dataclass(frozen=True, slots=True)
class TopicSummary:
    topic: Topic
    summary: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    name: str
    sells: str
    source_url: str
    last_updated: date | None
    last_updated_as_published: str
    capture: Capture
    clauses: tuple[Clause, ...]
    products: tuple[Product, ...]
    facts: tuple[Fact, ...]
    exclusions: tuple[Exclusion, ...]
    rules: tuple[Rule, ...]
    fees: tuple[Fee, ...]
    requests: tuple[Request, ...]
    timings: tuple[Timing, ...]
    notes: tuple[Note, ...]
    topics: tuple[TopicSummary, ...]
    file: str = field(default="", compare=False)
    # Lookup tables by id, built on first use: a cache, not data (no init, repr, comparison or hash).
    # The evaluator looks up clauses, facts and products many times per verdict; a linear scan each
    # time was a tenth of its run time (see docs/performance.md).
    # Each table holds one kind of thing; the methods below say which (the values are typed where they are read).
    _tables: dict[str, dict[Any, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, kind: str) -> dict[object, object]:
        """A per-policy store for values derived from it (quotes, per-product plans): policies are
        immutable, so what was derived once stays true."""
        return self._memo(kind)

    def _memo(self, kind: str) -> dict[Any, Any]:
        found = self._tables.get(kind)  # kinds differ from index()'s ("products", "facts", ...)
        if found is None:
            found = self._tables[kind] = {}
        return found

    def index(self, kind: str) -> dict[str, object]:
        """``kind`` ("products", "facts", "clauses", ...) by id; the first of a duplicated id wins."""
        return self._table(kind)

    def _table(self, kind: str) -> dict[str, Any]:
        table = self._tables.get(kind)
        if table is None:
            table = {}
            for item in getattr(self, kind):
                table.setdefault(item.id, item)  # the first of a duplicated id wins, as a scan would
            self._tables[kind] = table
        return table

    def clause(self, clause_id: str) -> Clause:
        found: Clause | None = self._table("clauses").get(clause_id)
        return found if found is not None else next(c for c in self.clauses if c.id == clause_id)

    def product(self, product_id: str) -> Product:
        found: Product | None = self._table("products").get(product_id)
        return found if found is not None else next(p for p in self.products if p.id == product_id)

    def fact(self, fact_id: str) -> Fact:
        found: Fact | None = self._table("facts").get(fact_id)
        return found if found is not None else next(f for f in self.facts if f.id == fact_id)

    def request(self, request_id: str) -> Request:
        found: Request | None = self._table("requests").get(request_id)
        return found if found is not None else next(r for r in self.requests if r.id == request_id)

    def timing(self, timing_id: str) -> Timing:
        found: Timing | None = self._table("timings").get(timing_id)
        return found if found is not None else next(t for t in self.timings if t.id == timing_id)

    def notes_for(self, ids: set[str] | frozenset[str]) -> tuple[Note, ...]:
        """The notes about any of ``ids``, in the policy's order."""
        known: dict[frozenset[str], tuple[Note, ...]] = self._memo("notes_for")
        key = frozenset(ids)
        found = known.get(key)
        if found is None:
            found = known[key] = tuple(n for n in self.notes if not key.isdisjoint(n.applies_to))
        return found

    def topic(self, topic: Topic) -> TopicSummary | None:
        return next((t for t in self.topics if t.topic == topic), None)
