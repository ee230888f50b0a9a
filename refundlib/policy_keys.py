"""The keys each table of a policy file may hold, and the checks on ids and unknown keys.

One home for the file format's vocabulary: the loader refuses any key not listed here (a
misspelt ``amount_maximum`` would otherwise be silently ignored and change verdicts), and
``docs/policy-format.md`` is tested to describe every key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches

# Table path (array names joined by "."; "" is the top level) -> the keys it may hold.
TABLE_KEYS: dict[str, frozenset[str]] = {
    "": frozenset({"schema", "id", "name", "sells", "source_url", "last_updated", "last_updated_iso", "capture",
                   "clauses", "products", "facts", "exclusions", "rules", "fees", "requests", "timings", "notes",
                   "topics"}),
    "capture": frozenset({"file", "text", "begins_at", "ends_before", "omitted"}),
    "clauses": frozenset({"id", "text"}),
    "products": frozenset({"id", "name", "description", "billing", "charged", "cites"}),
    "facts": frozenset({"id", "question", "type", "default", "products", "help", "cites"}),
    "exclusions": frozenset({"id", "label", "when", "products", "cites"}),
    "rules": frozenset({"id", "label", "products", "requires", "outcome", "amount", "amount_max", "destination",
                        "automatic", "request", "timings", "cites"}),
    "rules.requires": frozenset({"id", "test", "says", "cites"}),
    "fees": frozenset({"id", "label", "when", "rate", "applies_to", "destination_after", "cites"}),
    "requests": frozenset({"id", "channel", "address", "steps", "include", "cites"}),
    "timings": frozenset({"id", "kind", "text", "cites"}),
    "notes": frozenset({"id", "kind", "text", "cites", "applies_to"}),
    "topics": frozenset({"topic", "summary", "cites"}),
}

# Ids are written in citations, anchors and expressions: lower-case words joined by "-" or "_".
ID_PATTERN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
ID_EXPECTED = ('lower-case letters and digits, words joined by "-" or "_", such as "annual-14-days" '
               "(ids become citations and page anchors)")
# Facts are read by name in expressions, so they are identifiers.
FACT_ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
FACT_ID_EXPECTED = 'lower-case letters and digits, words joined by "_" (such as "cash_out"), usable in expressions'


def unknown_key_hint(key: str, allowed: Iterable[str]) -> str:
    """What to tell the author about a key the table may not hold: the closest valid key, or all of them."""
    choices = sorted(allowed)
    close = get_close_matches(key, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    return f"expected one of: {', '.join(choices)}"
