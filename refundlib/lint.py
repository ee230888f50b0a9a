"""The ambiguity and gap report: what a policy leaves undefined, inconsistent, discretionary or unsaid.

Every finding is derived from the structured policy (its clauses, facts, rules, timings,
notes and topics), never written by hand per vendor. The heuristics are deliberately
simple, so that a policy writer can predict them:

``undefined-term``
    A yes/no fact tested by a rule, exclusion or fee relies on a judgement word (see
    ``TERMS``: use/usage, abuse/misuse/fraud, error, issue, verified, documented,
    continuous/consistently) when the word occurs both in the fact's question and in a
    clause the fact cites (so it is the vendor's word, not ours). The term counts as
    defined when some clause of the policy has a definitional pattern (``means``,
    ``criteria``, ``include:``, ``counts as``, ``defined as``) and mentions the term, as
    a clause “Criteria for determining usage include:” does for “used”. Number facts are
    counts the purchaser reads off (credits used, percent used) and are not examined.
``inconsistent-statement``
    A rule lists two timings of the same kind (two response times for one request), and
    every note of kind ``inconsistency`` not already covered by such a timing finding.
``discretionary-language``
    A clause saying the vendor “may” (not “you may”), “case-by-case”, “at … discretion” or
    “reserves the right”, when a rule with outcome ``discretionary`` cites it, or when no
    rule or exclusion cites it at all (the discretion is not modelled).
``mixed-window-events``
    The clauses cited by one rule's (or exclusion's) tests of ``days_since_purchase`` or
    ``within_hours`` count the window from different events: “N days of …” followed within
    three words by purchase, subscription/subscribing, charge or payment.
``contradicted-absolute``
    A clause states an absolute (“non-refundable”, “not eligible”, “ineligible”, “no
    refund”, “cannot provide refunds”) with no condition word (if, unless, after, before,
    once, when, within, until, except, generally) in it or in the list header it belongs to
    (a clause ending with “:” heads the bulleted clauses after it, and is itself skipped),
    while a rule with a refunding outcome (full, partial, discretionary) applies to one of
    the products the absolute covers. The absolute covers the products that cite it and
    the products of the rules and exclusions citing it; all products when nothing does.
``silent-topic``
    A comparison topic every *other* policy covers (has a ``[[topics]]`` entry) and this
    one does not. A draft is compared with the shipped policies.
``destination-unstated``
    A rule with a refunding outcome and no destination, or a fee after which the refund's
    destination is not stated.

Each finding lists the clauses involved (quoted) and ``refs``: the ids of the facts,
rules (and their requirements, when these have ids), exclusions, fees and timings
involved, then of the notes that already say so. A note is taken to say so when its kind
fits the finding (``NOTE_FIT``), it applies to one of those ids (or the finding has none),
and it cites two of the finding's clauses (one, when the finding quotes one) or, for the
kinds where the note must also use the finding's word (the term; “where”; “may”,
“discretion”), one of them. Silent topics quote nothing and are matched to no note.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .decision import Quote, quotes
from .expr import Expression
from .exprwalk import tests_window
from .model import Clause, Exclusion, Note, NoteKind, Outcome, Policy, Rule, Topic

REFUNDING = (Outcome.FULL, Outcome.PARTIAL, Outcome.DISCRETIONARY)


class FindingKind(enum.StrEnum):
    UNDEFINED_TERM = "undefined-term"
    INCONSISTENT_STATEMENT = "inconsistent-statement"
    DISCRETIONARY_LANGUAGE = "discretionary-language"
    MIXED_WINDOW_EVENTS = "mixed-window-events"
    CONTRADICTED_ABSOLUTE = "contradicted-absolute"
    SILENT_TOPIC = "silent-topic"
    DESTINATION_UNSTATED = "destination-unstated"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    vendor: str
    subject: str  # what the finding is about: a term, a clause, a topic, a rule or note id
    message: str
    clauses: tuple[Quote, ...]
    refs: tuple[str, ...]  # ids of facts, rules, exclusions, fees, timings, then notes

    def to_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), "vendor": self.vendor, "subject": self.subject, "message": self.message,
                "clauses": [q.to_dict() for q in self.clauses], "refs": list(self.refs)}


_I = re.IGNORECASE
TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("use", re.compile(r"\b(?:use|used|uses|using|usage)\b", _I)),
    ("abuse", re.compile(r"\b(?:abuse|misuse|fraud|fraudulent)\b", _I)),
    ("error", re.compile(r"\berrors?\b", _I)),
    ("issue", re.compile(r"\bissues?\b", _I)),
    ("verified", re.compile(r"\bverif(?:y|ied|ies|ication)\b", _I)),
    ("documented", re.compile(r"\bdocument(?:ed|s)?\b", _I)),
    ("persistent", re.compile(r"\b(?:continuous(?:ly)?|consistent(?:ly)?)\b", _I)),
)
DEFINITIONAL = re.compile(r"\bmeans?\b|\bcriteria\b|\binclude:|\bcounts? as\b|\bdefined as\b", _I)
DISCRETION = re.compile(r"\bmay\b|\bcase[- ]by[- ]case\b|\bdiscretion\b|\breserves? the right\b", _I)
USER_SUBJECT = re.compile(r"\b(?:you|users?|they|customers?)\s+$", _I)
WINDOW_EVENT = re.compile(r"\b\d+\s+(?:calendar\s+|business\s+)?(?:days?|hours?)\s+(?:of|from|after|since)\s+"
                          r"(?:[\w’']+\s+){0,3}?(purchas\w*|subscri\w*|charg\w*|payments?)\b", _I)
EVENTS = {"purchas": "purchase", "subscri": "subscription", "charg": "charge", "payment": "payment"}
ABSOLUTE = re.compile(r"non-refundable|\bnot refundable\b|\bnot eligible\b|\bineligible\b|\bno refunds?\b"
                      r"|\bcannot provide refunds?\b", _I)
CONDITION = re.compile(r"\b(?:if|unless|after|before|once|when|within|until|except|generally)\b", _I)
LIST_MARK = re.compile(r"\s*(?:[•*\-–]|\d+[.)])\s*")
_ALL_NOTES = frozenset(NoteKind)
NOTE_FIT: dict[FindingKind, tuple[frozenset[NoteKind], re.Pattern[str] | None]] = {
    FindingKind.UNDEFINED_TERM: (frozenset({NoteKind.UNSTATED, NoteKind.AMBIGUITY}), None),  # + the term itself
    FindingKind.INCONSISTENT_STATEMENT: (frozenset({NoteKind.INCONSISTENCY}), None),
    FindingKind.DISCRETIONARY_LANGUAGE: (_ALL_NOTES,
                                         re.compile(r"discretion|decision|“may|case[- ]by[- ]case|reserves", _I)),
    FindingKind.MIXED_WINDOW_EVENTS: (frozenset({NoteKind.AMBIGUITY, NoteKind.INCONSISTENCY, NoteKind.INTERPRETATION}),
                                      None),
    FindingKind.CONTRADICTED_ABSOLUTE: (frozenset({NoteKind.INCONSISTENCY, NoteKind.AMBIGUITY}), None),
    FindingKind.SILENT_TOPIC: (frozenset(), None),
    FindingKind.DESTINATION_UNSTATED: (frozenset({NoteKind.UNSTATED}), re.compile(r"\bwhere\b|destination", _I)),
}
TOPIC_WORDS = {
    Topic.FULL_REFUND: "when a full refund is given", Topic.PARTIAL_REFUND: "when a partial refund is given",
    Topic.DISCOUNT_PENALTY: "what happens to discounts", Topic.FEES: "fees taken from a refund",
    Topic.DESTINATION: "where the refund is paid", Topic.CANCELLATION: "cancellation",
    Topic.SPECIAL_CASES: "special cases", Topic.EXCLUSIONS: "what is excluded",
    Topic.HOW_TO_REQUEST: "how to request a refund", Topic.RESPONSE_TIME: "how long a reply takes",
    Topic.PROCESSING_TIME: "how long processing takes", Topic.CHARGEBACKS: "chargebacks",
}


def _quote_words(texts: Sequence[str]) -> str:
    return ", ".join(f"“{t}”" for t in dict.fromkeys(texts))


class _Linter:
    def __init__(self, policy: Policy, others: Sequence[Policy]) -> None:
        self.policy, self.others = policy, others
        self.findings: list[Finding] = []
        self.charged = {p.id for p in policy.products if p.charged}

    def add(self, kind: FindingKind, subject: str, message: str, clause_ids: Sequence[str],
            refs: Sequence[str], word: re.Pattern[str] | None = None) -> None:
        clause_ids = tuple(dict.fromkeys(clause_ids))
        items = tuple(dict.fromkeys(refs))
        notes = [n.id for n in self.policy.notes
                 if n.id not in items and self.says_so(n, kind, clause_ids, items, word)]
        self.findings.append(Finding(kind, self.policy.id, subject, message, quotes(self.policy, clause_ids),
                                     (*items, *notes)))

    @staticmethod
    def says_so(note: Note, kind: FindingKind, clause_ids: tuple[str, ...], items: tuple[str, ...],
                word: re.Pattern[str] | None) -> bool:
        """Whether a note of the file already says what the finding says (see the module docstring)."""
        kinds, default_word = NOTE_FIT[kind]
        word = word or default_word
        if note.kind not in kinds or not clause_ids or (items and not set(note.applies_to) & set(items)):
            return False
        if word is not None and not word.search(note.text):
            return False
        shared = len(set(note.cites) & set(clause_ids))
        return shared >= (1 if word is not None else min(2, len(clause_ids)))

    def products_of(self, products: tuple[str, ...]) -> set[str]:
        return set(products) & self.charged if products else set(self.charged)

    def run(self) -> tuple[Finding, ...]:
        for check in (self.undefined_terms, self.inconsistent_statements, self.discretionary_language,
                      self.mixed_window_events, self.contradicted_absolutes, self.silent_topics,
                      self.destinations_unstated):
            check()
        return tuple(self.findings)

    # -- undefined-term ---------------------------------------------------------------------
    def undefined_terms(self) -> None:
        policy = self.policy
        testers: dict[str, list[str]] = {}
        conditions: list[tuple[tuple[str, ...], Expression]] = [((r.id, q.id), q.test) for r in policy.rules
                                                                 for q in r.requires]
        conditions += [((e.id,), e.when) for e in policy.exclusions] + [((f.id,), f.when) for f in policy.fees]
        for owners, test in conditions:
            for name in sorted(test.names):
                testers.setdefault(name, []).extend(o for o in owners if o)
        definitions = [c for c in policy.clauses if DEFINITIONAL.search(c.text)]
        for term, pattern in TERMS:
            if any(pattern.search(c.text) for c in definitions):
                continue
            facts, clause_ids, words = [], [], []
            for fact in policy.facts:
                if fact.type != "bool" or fact.id not in testers or not pattern.search(fact.question):
                    continue
                cited = [policy.clause(c) for c in fact.cites if pattern.search(policy.clause(c).text)]
                if cited:
                    facts.append(fact.id)
                    clause_ids += [c.id for c in cited]
                    words += [m.group(0).lower() for c in cited for m in pattern.finditer(c.text)]
            if not facts:
                continue
            testing = [o for f in facts for o in testers[f]]
            self.add(FindingKind.UNDEFINED_TERM, term,
                     f"Not defined: {_quote_words(words)}. The verdict depends on it through {', '.join(facts)}, "
                     "but no clause says what counts as such.", clause_ids, [*facts, *testing], pattern)

    # -- inconsistent-statement ---------------------------------------------------------------
    def inconsistent_statements(self) -> None:
        policy = self.policy
        groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for rule in policy.rules:
            by_kind: dict[str, list[str]] = {}
            for timing_id in rule.timings:
                by_kind.setdefault(str(policy.timing(timing_id).kind), []).append(timing_id)
            for kind, same_kind in by_kind.items():
                if len(same_kind) > 1:
                    groups.setdefault((kind, tuple(same_kind)), []).append(rule.id)
        covered: set[str] = set()
        for (kind, ids), rules in groups.items():
            texts = "; ".join(f"“{policy.timing(t).text}”" for t in ids)
            self.add(FindingKind.INCONSISTENT_STATEMENT, f"{kind}-time",
                     f"{len(ids)} different {kind} times apply to the same request ({', '.join(rules)}): {texts}",
                     [c for t in ids for c in policy.timing(t).cites], [*ids, *rules])
            covered.update(n.id for n in policy.notes
                           if n.kind == NoteKind.INCONSISTENCY and set(n.applies_to) & set(ids))
        for note in policy.notes:
            if note.kind == NoteKind.INCONSISTENCY and note.id not in covered:
                self.add(FindingKind.INCONSISTENT_STATEMENT, note.id, note.text, note.cites,
                         [*note.applies_to, note.id])

    # -- discretionary-language ---------------------------------------------------------------
    def discretionary_language(self) -> None:
        policy = self.policy
        for clause in policy.clauses:
            words = [m.group(0) for m in DISCRETION.finditer(clause.text)
                     if not (m.group(0).lower() == "may" and USER_SUBJECT.search(clause.text[: m.start()]))]
            if not words:
                continue
            citing = [r for r in policy.rules if clause.id in r.cites or any(clause.id in q.cites for q in r.requires)]
            modelled = citing or any(clause.id in e.cites for e in policy.exclusions)
            discretionary = [r.id for r in citing if r.outcome == Outcome.DISCRETIONARY]
            if discretionary:
                message = (f"{_quote_words(words)}: the refund is the vendor's decision, and the policy gives no "
                           f"criteria for it; modelled as discretionary ({', '.join(discretionary)}).")
            elif not modelled:
                message = f"{_quote_words(words)}: the vendor keeps a discretion that no rule models."
            else:
                continue
            self.add(FindingKind.DISCRETIONARY_LANGUAGE, clause.id, message, [clause.id], discretionary)

    # -- mixed-window-events --------------------------------------------------------------------
    def mixed_window_events(self) -> None:
        policy = self.policy
        windows = [([r.id, *(q.id for q in r.requires if q.id and tests_window(q.test))],
                     [c for q in r.requires if tests_window(q.test) for c in q.cites]) for r in policy.rules]
        windows += [([e.id], list(e.cites)) for e in policy.exclusions if tests_window(e.when)]
        for (owner, *requirements), clause_ids in windows:
            found: dict[str, list[tuple[str, str]]] = {}
            for clause_id in dict.fromkeys(clause_ids):
                for match in WINDOW_EVENT.finditer(policy.clause(clause_id).text):
                    word = match.group(1).lower()
                    event = next(name for prefix, name in EVENTS.items() if word.startswith(prefix))
                    found.setdefault(event, []).append((clause_id, match.group(0)))
            if len(found) < 2:
                continue
            parts = "; ".join(f"“{text}” [{cid}]" for hits in found.values() for cid, text in hits)
            self.add(FindingKind.MIXED_WINDOW_EVENTS, owner,
                     f"The window is counted from different events ({', '.join(found)}): {parts}. "
                     "The verdict counts days from the purchase date given.",
                     [cid for hits in found.values() for cid, _ in hits], [owner, *requirements])

    # -- contradicted-absolute ------------------------------------------------------------------
    def _headers(self) -> dict[str, Clause | None]:
        """For each clause, the list header (a clause ending with ':') it is an item of, if any."""
        text, header, previous_end = self.policy.capture.text, None, self.policy.capture.policy_start
        result: dict[str, Clause | None] = {}
        for clause in self.policy.clauses:
            gap = text[previous_end : clause.start]
            is_item = "\n" in gap and LIST_MARK.fullmatch(gap.rsplit("\n", 1)[1]) is not None
            if not is_item:
                header = None
            result[clause.id] = header
            if clause.text.rstrip().endswith(":"):
                header = clause
            previous_end = clause.end
        return result

    def contradicted_absolutes(self) -> None:
        policy = self.policy
        headers = self._headers()
        refunding = [r for r in policy.rules if r.outcome in REFUNDING]
        cites_clauses: tuple[Rule | Exclusion, ...] = (*policy.rules, *policy.exclusions)
        for clause in policy.clauses:
            match = ABSOLUTE.search(clause.text)
            header = headers[clause.id]
            if (match is None or clause.text.rstrip().endswith(":") or CONDITION.search(clause.text)
                    or (header is not None and CONDITION.search(header.text))):
                continue
            citing = [x for x in cites_clauses if clause.id in x.cites]
            covered = {p.id for p in policy.products if clause.id in p.cites} & self.charged
            for item in citing:
                covered |= self.products_of(item.products)
            if not covered and not citing:
                covered = set(self.charged)
            against = [r for r in refunding if self.products_of(r.products) & covered]
            if not against:
                continue
            shared = sorted(set().union(*(self.products_of(r.products) for r in against)) & covered)
            refund_clauses = [c for r in against for c in r.cites if "refund" in policy.clause(c).text.lower()]
            self.add(FindingKind.CONTRADICTED_ABSOLUTE, clause.id,
                     f"“{match.group(0)}” is stated without condition, yet "
                     + ", ".join(f"{r.id} ({r.outcome})" for r in against)
                     + f" refunds the same product{'s' if len(shared) > 1 else ''} ({', '.join(shared)}).",
                     [clause.id, *refund_clauses], [*(r.id for r in against), *(x.id for x in citing)])

    # -- silent-topic and destination-unstated ----------------------------------------------------
    def silent_topics(self) -> None:
        if not self.others:
            return
        for topic in Topic:
            if self.policy.topic(topic) is None and all(o.topic(topic) is not None for o in self.others):
                names = ", ".join(o.name for o in self.others)
                self.add(FindingKind.SILENT_TOPIC, str(topic),
                         f"Silent on {TOPIC_WORDS.get(topic, str(topic))} ({topic}), "
                         f"which every other policy covers ({names}).",
                         [], [])

    def destinations_unstated(self) -> None:
        for rule in self.policy.rules:
            if rule.outcome in REFUNDING and rule.destination is None:
                self.add(FindingKind.DESTINATION_UNSTATED, rule.id,
                         f"{rule.id} gives a {rule.outcome} refund, but no clause it cites says where the money goes.",
                         rule.cites, [rule.id])
        for fee in self.policy.fees:
            if fee.destination_after is None:
                self.add(FindingKind.DESTINATION_UNSTATED, fee.id,
                         f"After {fee.id} ({fee.label}), the policy does not say where the money goes.",
                         fee.cites, [fee.id])


def lint(policy: Policy, others: Sequence[Policy] | None = None) -> tuple[Finding, ...]:
    """The findings for ``policy``; silence is judged against ``others`` (default: the other shipped policies)."""
    if others is None:
        from .registry import all_policies

        others = [p for p in all_policies() if p.id != policy.id]
    order = list(FindingKind)
    findings = _Linter(policy, others).run()
    return tuple(sorted(findings, key=lambda f: order.index(f.kind)))
