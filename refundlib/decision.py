"""The verdict as a value: outcome, amount, where the money goes, and the steps that led there.

A :class:`Decision` explains itself: every :class:`Step` names the clauses it applied
and quotes them. ``to_dict()`` is the JSON contract shared by the CLI, the browser
and embedders (see docs and ``schemas/decision.schema.json``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from .model import Destination, Note, Outcome, Policy, Request, Timing
from .money import format_amount

if TYPE_CHECKING:
    from .deadline import AskBy


class StepKind(enum.StrEnum):
    PRODUCT = "product"  # what was bought, and whether anything was charged
    ANSWER = "answer"  # how an answer was taken: given, default, or assumed in a branch
    EXCLUSION = "exclusion"  # a blanket exclusion that applied
    REQUIREMENT = "requirement"  # one condition of a rule, met or not
    RULE = "rule"  # the rule that decided
    AMOUNT = "amount"  # how the amount was computed
    FEE = "fee"  # a fee taken from the amount
    FALLBACK = "fallback"  # no rule granted anything


@dataclass(frozen=True, slots=True)
class Quote:
    clause: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"clause": self.clause, "text": self.text}


def quotes(policy: Policy, clause_ids: tuple[str, ...] | list[str]) -> tuple[Quote, ...]:
    # Quotes are immutable, so each policy keeps the tuple it made for a list of clause ids.
    made = policy.memo("quotes")
    key = tuple(clause_ids)
    found = made.get(key)
    if found is None:
        found = made[key] = tuple(Quote(clause=c, text=policy.clause(c).text) for c in key)
    return found  # type: ignore[return-value]  # the memo's "quotes" table holds only what this function puts in it


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of a verdict's explanation (built by keyword: ``Step(kind=..., text=..., ref=...)``)."""

    kind: StepKind
    text: str
    quotes: tuple[Quote, ...] = ()
    met: bool | None = None  # for requirements: held or not
    detail: str = ""  # the values the step looked at, e.g. "days_since_purchase = 20"
    ref: str = ""  # id of the rule, exclusion, fee or fact the step is about

    def to_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), "text": self.text, "met": self.met, "detail": self.detail, "ref": self.ref,
                "quotes": [q.to_dict() for q in self.quotes]}


class Assumption(NamedTuple):
    """In a branch of a conditional verdict: the answer this branch assumes.

    (Named tuples, like :class:`Decision`, for what every forking evaluation builds.)
    """

    key: str  # a fact id, "first_payment", or "within_hours:N"
    question: str
    answer: bool

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "question": self.question, "answer": self.answer}


class Branch(NamedTuple):
    """One answer (or combination of answers) to the unknown questions, and the verdict it leads to."""

    assuming: tuple[Assumption, ...]
    decision: Decision

    def to_dict(self) -> dict[str, object]:
        return {"assuming": [a.to_dict() for a in self.assuming], "decision": self.decision.to_dict()}


def _request_dict(policy: Policy, request: Request) -> dict[str, object]:
    return {"id": request.id, "channel": str(request.channel), "address": request.address,
            "steps": list(request.steps), "include": list(request.include),
            "quotes": [q.to_dict() for q in quotes(policy, request.cites)]}


def _timing_dict(policy: Policy, timing: Timing) -> dict[str, object]:
    return {"id": timing.id, "kind": str(timing.kind), "text": timing.text,
            "quotes": [q.to_dict() for q in quotes(policy, timing.cites)]}


def _note_dict(policy: Policy, note: Note) -> dict[str, object]:
    return {"id": note.id, "kind": str(note.kind), "text": note.text,
            "quotes": [q.to_dict() for q in quotes(policy, note.cites)]}


class Explanation:
    """A decision's steps, made when first read.

    Working out the verdict is cheap; wording each step (quotes, the values each test read,
    amounts in words) costs several times more. Charts, series and comparisons need only
    verdicts, so the evaluator hands over a recipe for the steps, and the first reader of
    :attr:`Decision.steps` (``to_dict``, the CLI, the page) pays for them once.
    """

    __slots__ = ("_make", "_steps")

    def __init__(self, steps: tuple[Step, ...] | None, make: Callable[[], tuple[Step, ...]] | None = None):
        """Either the ``steps``, or (with ``steps=None``) a function that makes them."""
        self._steps, self._make = steps, make

    @property
    def steps(self) -> tuple[Step, ...]:
        if self._steps is None:
            make = self._make
            if make is None:
                raise TypeError("an Explanation is made with its steps or with a function that makes them")
            self._steps = tuple(make())
            self._make = None
        return self._steps

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Explanation) and self.steps == other.steps

    def __hash__(self) -> int:
        # Unhashable, as __eq__ compares steps made on demand (written as a method, like Decision's:
        # mypy refuses ``__hash__ = None`` where the base class has a __hash__ method).
        raise TypeError(f"unhashable type: {type(self).__name__!r}")


class Decision(NamedTuple):
    """The verdict: immutable, like every value here, but a named tuple rather than a frozen dataclass.

    Every evaluation makes one (three for a verdict that forks), and building a frozen dataclass
    of 16 fields cost 23 k instructions under CPython 3.11 against 4 k for a named tuple: a tenth
    of an evaluation (measured with ``perf stat``; see docs/performance.md). Equality ignores the
    policy object (``vendor`` names it), as the dataclass's did.
    """

    policy: Policy
    vendor: str
    product: str
    outcome: Outcome
    amount: Decimal | None  # exact, rounded once; None when the policy does not let it be computed
    amount_max: Decimal | None  # upper bound where the amount is discretionary or uncertain
    currency: str
    destination: Destination | None  # None: not stated by the policy, or differs between branches
    automatic: bool
    rule: str  # id of the rule or exclusion that decided ("" when none did)
    summary: str
    explanation: Explanation  # the steps, worded on first use; see :attr:`steps`
    request: Request | None = None
    timings: tuple[Timing, ...] = ()
    flags: tuple[Note, ...] = ()
    branches: tuple[Branch, ...] = ()
    ask_by: AskBy | None = None  # by when to ask for this verdict (refundlib.deadline); set by evaluate()

    @property
    def steps(self) -> tuple[Step, ...]:
        """How the verdict was reached, step by step, each naming and quoting the clause it applied."""
        return self.explanation.steps

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Decision) and tuple.__eq__(self[1:], other[1:])

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        # Unhashable, as __eq__ (which ignores the policy) and the explanation made on demand ask
        # (a named tuple's body cannot set ``__hash__ = None``: NamedTuple takes each assignment for a field).
        raise TypeError(f"unhashable type: {type(self).__name__!r}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields[1:], self[1:], strict=True)
                          if name != "explanation")
        return f"Decision({shown})"

    def to_dict(self) -> dict[str, object]:
        return {
            "vendor": self.vendor,
            "product": self.product,
            "outcome": str(self.outcome),
            "amount": format_amount(self.amount),
            "amount_max": format_amount(self.amount_max),
            "currency": self.currency,
            "destination": None if self.destination is None else str(self.destination),
            "automatic": self.automatic,
            "rule": self.rule,
            "summary": self.summary,
            "steps": [s.to_dict() for s in self.steps],
            "request": None if self.request is None else _request_dict(self.policy, self.request),
            "timings": [_timing_dict(self.policy, t) for t in self.timings],
            "flags": [_note_dict(self.policy, n) for n in self.flags],
            "branches": [b.to_dict() for b in self.branches],
            "ask_by": None if self.ask_by is None else self.ask_by.to_dict(),
        }
