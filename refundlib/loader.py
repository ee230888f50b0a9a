"""Reading policy files: TOML in, a validated :class:`~refundlib.model.Policy` out.

A malformed file fails with one :class:`PolicyFileError` naming the file, the field
(as a path such as ``rules[2].requires[0].test``) and what was expected. Every
clause must be found verbatim, in order, in the captured text; every citation must
name a clause; every expression must parse and type-check against the policy's facts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .errors import ExpressionError, PolicyFileError, UnknownKeyError
from .expr import BOOL, NUMBER, Expression, compile_expression
from .model import (
    Billing,
    Capture,
    Channel,
    Clause,
    Destination,
    Exclusion,
    Fact,
    Fee,
    Note,
    NoteKind,
    Outcome,
    Policy,
    Product,
    Request,
    Requirement,
    Rule,
    Timing,
    TimingKind,
    Topic,
    TopicSummary,
)
from .policy_keys import FACT_ID_EXPECTED, FACT_ID_PATTERN, ID_EXPECTED, ID_PATTERN, TABLE_KEYS, unknown_key_hint
from .quoting import TomlSyntaxHint, verbatim_mismatch
from .scenario import BUILTIN_NAMES, FUNCTION_SIGNATURES

SCHEMA_VERSION = 1
E = TypeVar("E", bound=StrEnum)


class _Reader:
    """Typed access to one table of the file, with the path to it for error messages."""

    def __init__(self, source: str, data: Any, path: str = "", table: str = "") -> None:
        if not isinstance(data, Mapping):
            raise PolicyFileError(source, path or "(top level)", "a table")
        self.source, self.data, self.path, self.table_name = source, data, path, table
        allowed = TABLE_KEYS[table]
        for key in data:
            if key not in allowed:
                raise UnknownKeyError(source, self.at(key), unknown_key_hint(key, allowed))

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, expected: str) -> PolicyFileError:
        return PolicyFileError(self.source, self.at(key), expected)

    def text(self, key: str, default: str | None = None, *, empty_ok: bool = False) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            raise self.fail(key, "a non-empty string" if not empty_ok else "a string")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false")
        return value

    def strs(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "a list of strings")
        if required and not value:
            raise self.fail(key, "at least one entry")
        return tuple(value)

    def enum(self, key: str, kind: type[E], default: E | None = None) -> E:
        value = self.data.get(key, default)
        try:
            return kind(value)
        except ValueError:
            raise self.fail(key, f"one of {', '.join(kind)}") from None

    def optional_enum(self, key: str, kind: type[E]) -> E | None:
        return None if self.data.get(key) in (None, "") else self.enum(key, kind)

    def decimal(self, key: str) -> Decimal:
        value = self.data.get(key)
        try:
            if isinstance(value, str):
                return Decimal(value)
        except InvalidOperation:
            pass
        raise self.fail(key, 'a decimal number written as a string, such as "0.10"')

    def tables(self, key: str) -> list[_Reader]:
        """The entries of an array of tables; each is named by its id in messages (``rules["late"]``)."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "an array of tables")
        table = f"{self.table_name}.{key}" if self.table_name else key
        return [_Reader(self.source, item, f"{self.at(key)}[{_entry_name(item, i)}]", table)
                for i, item in enumerate(value)]

    def table(self, key: str) -> _Reader:
        return _Reader(self.source, self.data.get(key), self.at(key), key)

    def expression(self, key: str, names: Mapping[str, str], want: str) -> Expression:
        try:
            # A missing (empty) or non-string value goes in as it is: compile_expression refuses it itself.
            return compile_expression(self.data.get(key, ""), names, FUNCTION_SIGNATURES, want)
        except ExpressionError as error:
            raise self.fail(key, f"a {want} expression ({error})") from None

    def optional_expression(self, key: str, names: Mapping[str, str], want: str) -> Expression | None:
        return None if key not in self.data else self.expression(key, names, want)


def _entry_name(item: object, index: int) -> str:
    """How messages name an entry of an array: by its id when it has a usable one, else by position."""
    if isinstance(item, Mapping):
        item_id = item.get("id")
        if isinstance(item_id, str) and item_id and '"' not in item_id:
            return f'"{item_id}"'
    return str(index)


def load_policy_text(text: str, source: str) -> Policy:
    """Parse and validate a policy given as TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        hint = TomlSyntaxHint.for_error(text, error)
        raise PolicyFileError(source, "(syntax)", f"valid TOML ({error}){hint}") from None
    return build_policy(data, source)


def build_policy(data: Any, source: str) -> Policy:
    top = _Reader(source, data)
    if data.get("schema") != SCHEMA_VERSION:
        raise top.fail("schema", str(SCHEMA_VERSION))
    vendor_id = top.text("id")
    if not vendor_id.replace("-", "").isalnum() or vendor_id != vendor_id.lower():
        raise top.fail("id", "lower-case letters, digits and hyphens")

    capture = _capture(top.table("capture"))
    clauses = _clauses(top, capture)
    clause_ids = {c.id for c in clauses}
    ids: set[str] = set()  # one namespace for everything a note may point at

    def cites(reader: _Reader, key: str = "cites") -> tuple[str, ...]:
        found = reader.strs(key, required=True)
        for clause_id in found:
            if clause_id not in clause_ids:
                raise reader.fail(key, f"clause ids of this policy; {clause_id!r} is not one")
        return found

    def new_id(reader: _Reader) -> str:
        item_id = reader.text("id")
        if not ID_PATTERN.fullmatch(item_id):
            raise reader.fail("id", f"{ID_EXPECTED}; {item_id!r} is not")
        if item_id in ids:
            raise reader.fail("id", f"an id not used elsewhere in the file; {item_id!r} is taken")
        ids.add(item_id)
        return item_id

    products = tuple(
        Product(id=new_id(r), name=r.text("name"), description=r.text("description", "", empty_ok=True),
                billing=tuple(_enum_list(r, "billing", Billing)), charged=r.flag("charged", True), cites=cites(r))
        for r in top.tables("products"))
    if not products:
        raise top.fail("products", "at least one product")
    product_ids = {p.id for p in products}

    def product_list(reader: _Reader) -> tuple[str, ...]:
        found = reader.strs("products")
        for product_id in found:
            if product_id not in product_ids:
                raise reader.fail("products", f"product ids of this policy ({', '.join(product_ids)})")
        return found

    facts = tuple(_fact(r, new_id(r), product_list(r), cites(r)) for r in top.tables("facts"))
    for reader, fact in zip(top.tables("facts"), facts, strict=True):
        if not FACT_ID_PATTERN.fullmatch(fact.id):
            raise reader.fail("id", f"{FACT_ID_EXPECTED}; {fact.id!r} is not")
    names = {**BUILTIN_NAMES, **{f.id: BOOL if f.type == "bool" else NUMBER for f in facts}}
    for fact in facts:
        if fact.id in BUILTIN_NAMES:
            raise PolicyFileError(source, "facts", f"fact ids other than the built-in names; {fact.id!r} is built in")

    requests = tuple(
        Request(id=new_id(r), channel=r.enum("channel", Channel), address=r.text("address", "", empty_ok=True),
                steps=r.strs("steps"), include=r.strs("include"), cites=cites(r))
        for r in top.tables("requests"))
    timings = tuple(Timing(id=new_id(r), kind=r.enum("kind", TimingKind), text=r.text("text"), cites=cites(r))
                    for r in top.tables("timings"))
    exclusions = tuple(
        Exclusion(id=new_id(r), label=r.text("label"), when=r.expression("when", names, BOOL),
                  products=product_list(r), cites=cites(r))
        for r in top.tables("exclusions"))
    rules = tuple(_rule(r, new_id(r), names, product_list(r), cites, new_id, requests, timings)
                  for r in top.tables("rules"))
    fees = tuple(
        Fee(id=new_id(r), label=r.text("label"), when=r.expression("when", names, BOOL), rate=_rate(r),
            applies_to=r.enum("applies_to", Destination),
            destination_after=r.optional_enum("destination_after", Destination), cites=cites(r))
        for r in top.tables("fees"))
    notes = tuple(
        Note(id=new_id(r), kind=r.enum("kind", NoteKind), text=r.text("text"), cites=cites(r),
             applies_to=r.strs("applies_to"))
        for r in top.tables("notes"))
    for reader, note in zip(top.tables("notes"), notes, strict=True):
        for target in note.applies_to:
            if target not in ids:
                raise reader.fail("applies_to", f"ids defined in this file; {target!r} is not")
    _check_fact_scopes(source, facts, [p.id for p in products], rules, exclusions)
    topics = tuple(TopicSummary(topic=r.enum("topic", Topic), summary=r.text("summary"), cites=cites(r))
                   for r in top.tables("topics"))
    if len({t.topic for t in topics}) != len(topics):
        raise top.fail("topics", "each topic at most once")

    published = top.text("last_updated", "", empty_ok=True)
    return Policy(
        id=vendor_id, name=top.text("name"), sells=top.text("sells"),
        source_url=top.text("source_url", "", empty_ok=True),
        last_updated=_iso_date(top, "last_updated_iso"), last_updated_as_published=published,
        capture=capture, clauses=clauses, products=products, facts=facts, exclusions=exclusions, rules=rules,
        fees=fees, requests=requests, timings=timings, notes=notes, topics=topics, file=source)


def _check_fact_scopes(source: str, facts: tuple[Fact, ...], product_ids: list[str], rules: tuple[Rule, ...],
                       exclusions: tuple[Exclusion, ...]) -> None:
    """Refuse a fact asked only for some products being read by a rule or exclusion for others.

    A purchaser of another product is never asked that question, so such a test could only
    ever see the fact's default or "unknown": almost always a rule put under the wrong product.
    """
    scoped = {f.id: f.products for f in facts if f.products}
    entries: list[tuple[str, tuple[str, ...], list[Expression]]] = [
        (f'exclusions["{e.id}"].when', e.products, [e.when]) for e in exclusions]
    for rule in rules:
        expressions = [r.test for r in rule.requires] + [x for x in (rule.amount, rule.amount_max) if x is not None]
        entries.append((f'rules["{rule.id}"]', rule.products, expressions))
    for where, applies_to, expressions in entries:
        for name in sorted({n for x in expressions for n in x.names if n in scoped}):
            outside = [p for p in (applies_to or product_ids) if p not in scoped[name]]
            if outside:
                raise PolicyFileError(source, where, (
                    f"facts asked for the products it applies to; {name!r} is asked only for "
                    f"{', '.join(scoped[name])}, but this also applies to {', '.join(outside)} "
                    "(limit it with products = [...], or widen the fact's products)"))


def _enum_list(reader: _Reader, key: str, kind: type[E]) -> list[E]:
    values = reader.strs(key, required=True)
    try:
        return [kind(v) for v in values]
    except ValueError:
        raise reader.fail(key, f"a list of: {', '.join(kind)}") from None


def _iso_date(reader: _Reader, key: str) -> date | None:
    value = reader.data.get(key)
    if value is None:
        return None
    if isinstance(value, date):
        return value
    raise reader.fail(key, "a date (YYYY-MM-DD, unquoted)")


def _rate(reader: _Reader) -> Decimal:
    rate = reader.decimal("rate")
    if not 0 <= rate <= 1:
        raise reader.fail("rate", "a share between 0 and 1")
    return rate


def _capture(reader: _Reader) -> Capture:
    text = reader.text("text")
    begins_at = reader.text("begins_at", "", empty_ok=True)
    ends_before = reader.text("ends_before", "", empty_ok=True)
    start = text.find(begins_at) if begins_at else 0
    if start < 0:
        raise reader.fail("begins_at", "text found verbatim in capture.text")
    end = text.find(ends_before, start) if ends_before else len(text)
    if end < 0:
        raise reader.fail("ends_before", "text found verbatim in capture.text after begins_at")
    omitted = reader.text("omitted", "", empty_ok=True)
    if ends_before and not omitted:
        raise reader.fail("omitted", "a description of the non-policy text after ends_before")
    return Capture(file=reader.text("file"), text=text, policy_start=start, policy_end=end, omitted=omitted)


def _clauses(top: _Reader, capture: Capture) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    seen: set[str] = set()
    position = capture.policy_start
    for reader in top.tables("clauses"):
        clause_id, text = reader.text("id"), reader.text("text")
        if not ID_PATTERN.fullmatch(clause_id):
            raise reader.fail("id", f"{ID_EXPECTED}; {clause_id!r} is not")
        if clause_id in seen:
            raise reader.fail("id", f"a unique clause id; {clause_id!r} is repeated")
        start = capture.text.find(text, position, capture.policy_end)
        if start < 0:
            if capture.text.find(text, capture.policy_start, capture.policy_end) >= 0:
                where = f"after the previous clause ({clauses[-1].id}); clauses go in document order"
            else:
                where = ("anywhere in the policy part of the capture; "
                         + verbatim_mismatch(text, capture.text, capture.policy_start, capture.policy_end))
            raise reader.fail("text", f"a sentence found verbatim {where}")
        seen.add(clause_id)
        clauses.append(Clause(clause_id, text, start, start + len(text)))
        position = start + len(text)
    if not clauses:
        raise top.fail("clauses", "at least one clause")
    return tuple(clauses)


def _fact(reader: _Reader, fact_id: str, products: tuple[str, ...], cites: tuple[str, ...]) -> Fact:
    kind = reader.text("type")
    if kind not in ("bool", "number"):
        raise reader.fail("type", "bool or number")
    default = reader.data.get("default")
    if default is not None:
        if kind == "bool" and not isinstance(default, bool):
            raise reader.fail("default", "true or false")
        if kind == "number":
            default = reader.decimal("default")
    return Fact(id=fact_id, question=reader.text("question"), type=kind, default=default, products=products,
                cites=cites, help=reader.text("help", "", empty_ok=True))


def _rule(reader: _Reader, rule_id: str, names: Mapping[str, str], products: tuple[str, ...],
          cites: Callable[[_Reader], tuple[str, ...]], new_id: Callable[[_Reader], str],
          requests: tuple[Request, ...], timings: tuple[Timing, ...]) -> Rule:
    outcome = reader.enum("outcome", Outcome)
    if outcome == Outcome.CONDITIONAL:
        raise reader.fail("outcome", "full, partial, discretionary or none (conditional is computed, not declared)")
    requires = tuple(Requirement(test=r.expression("test", names, BOOL), says=r.text("says"), cites=cites(r),
                                 id=new_id(r) if "id" in r.data else "")
                     for r in reader.tables("requires"))
    amount = reader.optional_expression("amount", names, NUMBER)
    amount_max = reader.optional_expression("amount_max", names, NUMBER)
    if outcome == Outcome.PARTIAL and amount is None and amount_max is None:
        raise reader.fail("amount", "a formula for a partial refund (or amount_max when it cannot be exact)")
    if outcome in (Outcome.FULL, Outcome.NONE, Outcome.DISCRETIONARY) and amount is not None:
        raise reader.fail("amount", f"no formula: a {outcome} refund's amount follows from the outcome")
    request = reader.data.get("request")
    if request is not None and request not in {r.id for r in requests}:
        raise reader.fail("request", f"the id of a [[requests]] entry ({', '.join(r.id for r in requests)})")
    timing_ids = reader.strs("timings")
    for timing_id in timing_ids:
        if timing_id not in {t.id for t in timings}:
            raise reader.fail("timings", f"ids of [[timings]] entries; {timing_id!r} is not one")
    return Rule(id=rule_id, label=reader.text("label"), products=products, requires=requires, outcome=outcome,
                amount=amount, amount_max=amount_max, destination=reader.optional_enum("destination", Destination),
                automatic=reader.flag("automatic", False), request=request, timings=timing_ids, cites=cites(reader))
