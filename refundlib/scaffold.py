"""``refundlib new``: the first draft of a vendor's policy file and case file, from a capture.

The capture is embedded byte for byte; its text is split into clauses at list items and
sentences, with generated ids and the text (quotes included) exactly as captured, so every
clause is found verbatim. Everything the author must decide (products, facts, rules,
requests, timings, notes, topics) is a commented template: nothing is guessed. The policy
file does not load until it names a product; then ``refundlib lint --strict VENDOR`` and the
case-coverage tests list what is left to do.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import ScenarioError
from .policy_keys import ID_EXPECTED, ID_PATTERN

_BULLET = re.compile(r"\s*(?:[-*•‣◦]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"\s*#{1,6}\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ID_WORDS = 4


@dataclass(frozen=True, slots=True)
class DraftClause:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Draft:
    """The two files ``refundlib new`` writes, as text."""

    policy: str
    cases: str
    clauses: tuple[DraftClause, ...]


def split_clauses(capture: str) -> tuple[DraftClause, ...]:
    """The capture's sentences and list items, in order, each exactly as captured, with an id."""
    texts: list[str] = []
    for line in capture.splitlines():
        if not line.strip() or _HEADING.match(line):
            continue
        bullet = _BULLET.match(line)
        body = line[bullet.end():] if bullet else line.strip()
        start = 0
        for boundary in _SENTENCE_END.finditer(body):
            texts.append(body[start:boundary.start() + len(boundary.group(0).rstrip())].strip())
            start = boundary.end()
        texts.append(body[start:].strip())
    ids: set[str] = set()
    return tuple(DraftClause(id=_unique(_slug(t), ids), text=t) for t in texts if t)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:_ID_WORDS]
    return "-".join(words) or "clause"


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def toml_string(text: str) -> str:
    """A one-line TOML string holding ``text`` exactly: literal ('...') when it can be, else basic."""
    if "'" not in text and all(c == "\t" or (c.isprintable()) for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # JSON's escapes are valid TOML basic-string escapes


def _capture_value(capture: str) -> str:
    plain = "'''" not in capture and all(c in "\t\n" or c.isprintable() for c in capture)
    if plain:
        return f"'''\n{capture}'''"  # TOML drops the newline right after the opening quotes
    escaped = json.dumps(capture, ensure_ascii=False)[1:-1].replace('"""', '\\"\\"\\"')
    return f'"""\n{escaped}"""'


def draft(vendor_id: str, capture: str, capture_file: str, name: str | None = None) -> Draft:
    """The policy file and case file ``refundlib new`` would write for this capture."""
    if not ID_PATTERN.fullmatch(vendor_id) or "_" in vendor_id:
        raise ScenarioError("VENDOR_ID", 'lower-case letters, digits and hyphens, such as "acme-cloud"', vendor_id)
    clauses = split_clauses(capture)
    if not clauses:
        raise ScenarioError("CAPTURE", "a text with at least one sentence", capture_file)
    clause_lines = "\n".join(f"[[clauses]]\nid = \"{c.id}\"\ntext = {toml_string(c.text)}" for c in clauses)
    policy = _POLICY_TEMPLATE.format(
        id=vendor_id, title=name or vendor_id, name=json.dumps(name or vendor_id, ensure_ascii=False),
        clauses=clause_lines,
        first=clauses[0].id, file=json.dumps(capture_file, ensure_ascii=False), capture=_capture_value(capture))
    return Draft(policy=policy, cases=_CASES_TEMPLATE.format(id=vendor_id), clauses=clauses)


def write_draft(root: Path, vendor_id: str, capture_path: Path, name: str | None = None) -> list[Path]:
    """Write ``refundlib/policies/<id>.toml`` and ``tests/cases/<id>.toml`` under ``root``; refuse to overwrite."""
    try:
        capture = capture_path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError("CAPTURE", "a readable UTF-8 text file",
                            f"{capture_path}: {type(error).__name__}") from None
    made = draft(vendor_id, capture, capture_path.name, name)
    targets = {root / "refundlib" / "policies" / f"{vendor_id}.toml": made.policy,
               root / "tests" / "cases" / f"{vendor_id}.toml": made.cases}
    for path in targets:
        if path.exists():
            raise ScenarioError("VENDOR_ID", f"a vendor with no files yet ({path} exists; nothing was written)",
                                vendor_id)
        if not path.parent.is_dir():
            raise ScenarioError("--root", "the project folder (holding refundlib/policies and tests/cases)",
                                str(root))
    for path, text in targets.items():  # both checked first, so nothing is half-written
        path.write_text(text, encoding="utf-8")
    return list(targets)


_POLICY_TEMPLATE = """\
# {title}'s refund policy as cited data: a draft made by `refundlib new`. Format: docs/policy-format.md.
# Fill in the commented templates (uncomment and edit), then run `refundlib lint --strict {id}`
# and `make test`: the case-coverage test names every rule no case in tests/cases/{id}.toml decides.
schema = 1
id = "{id}"
name = {name}
sells = "TODO: what the vendor sells, in one line"
source_url = ""  # where the policy is published
last_updated = ""  # the "last updated" date exactly as published ("" when none is shown)
# last_updated_iso = 2026-01-31  # the same date, unquoted, when it can be read unambiguously

# The policy's sentences, found verbatim in [capture] text below, in order. Merge or delete
# clauses as you need; keep the text exactly as captured (curly quotes included).
{clauses}

# [[products]]  # at least one: what a purchaser can buy
# id = "pro-monthly"
# name = "Pro (monthly)"
# billing = ["monthly"]  # any of monthly, annual, one_time
# charged = true  # false for free plans and trials
# cites = ["{first}"]

# [[facts]]  # a question the purchaser answers; read by name in expressions
# id = "service_used"
# question = "Have you used the service since you paid?"
# type = "bool"  # or "number"
# products = ["pro-monthly"]  # optional: asked only for these
# cites = ["{first}"]

# [[exclusions]]  # the first that holds means no refund
# id = "terms-violation"
# label = "No refund for accounts closed for breaking the terms"
# when = "terminated_for_violation"
# cites = ["{first}"]

# [[rules]]  # in priority order: the first whose requirements all hold decides
# id = "full-first-14-days"
# label = "Full refund within 14 days of purchase"
# outcome = "full"  # full, partial, discretionary or none
# destination = "original_payment_method"  # omit when the policy does not say
# request = "email-support"
# cites = ["{first}"]
#   [[rules.requires]]
#   test = "days_since_purchase <= 14"
#   says = "requested within 14 days of purchase"
#   cites = ["{first}"]

# [[requests]]  # how to ask
# id = "email-support"
# channel = "email"  # email, settings_page, contact_form, contact_team, automatic
# address = "support@example.com"
# steps = ["Email support with your order number."]
# cites = ["{first}"]

# [[timings]]
# id = "response-time"
# kind = "response"  # or processing
# text = "within 2 business days"
# cites = ["{first}"]

# [[notes]]  # every ambiguity, inconsistency, unstated point, or reading we chose
# id = "unclear-usage"
# kind = "ambiguity"  # ambiguity, inconsistency, unstated, interpretation
# text = "The policy does not say what counts as use."
# cites = ["{first}"]
# applies_to = ["full-first-14-days"]

# [[topics]]  # one short summary per comparison term the policy speaks to
# topic = "full_refund"
# summary = "Within 14 days of purchase."
# cites = ["{first}"]

[capture]
file = {file}
text = {capture}
"""

_CASES_TEMPLATE = """\
# Cases for {id}: each is a purchase and the verdict the policy text gives it, worked out by
# hand from the text. tests/test_case_coverage.py requires that every rule and exclusion
# decides at least one case, and that every window has a case on its last day and the day after.
vendor = "{id}"
cases = []

# [[cases]]
# name = "day 14: still within the window"
# input = {{ product = "pro-monthly", billing = "monthly", purchased_on = "2026-03-01", requested_on = "2026-03-15", amount_paid = "20.00", currency = "USD", facts = {{ service_used = false }} }}
# output = {{ outcome = "full", amount = "20.00", rule = "full-first-14-days" }}
"""  # noqa: E501  # a TOML inline table is one line, so the example input is too

__all__ = ["ID_EXPECTED", "Draft", "DraftClause", "draft", "split_clauses", "toml_string", "write_draft"]
