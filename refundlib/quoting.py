"""Telling a policy author exactly where their text differs from the capture.

Authors copy sentences from a capture that uses typographic quotes (’ “ ”) into TOML, where
a straight ``'`` ends a literal string. The loader's messages name the character that differs
and say which quote the capture uses.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata

_QUOTES = "'\"‘’“”′″"  # noqa: RUF001  # the look-alike quote marks (primes too) are what this looks for
_SHOWN = 30  # characters of context shown before the difference


def describe_character(char: str) -> str:
    """``’ (U+2019, a curly right single quote)``: a character as an author can recognise it."""
    if not char:
        return "the end of the policy text"
    name = unicodedata.name(char, "").lower()
    kind = ""
    if char in _QUOTES:
        kind = ", a straight quote" if char in "'\"" else ", a curly quote"
    shown = repr(char)[1:-1] if not char.isprintable() else char
    return f"{shown} (U+{ord(char):04X} {name}{kind})" if name else f"{shown} (U+{ord(char):04X}{kind})"


def verbatim_mismatch(text: str, capture: str, start: int, end: int) -> str:
    """Where ``text`` stops matching the capture between ``start`` and ``end``.

    Returns the longest part found, and the next character of each.
    """
    low, high = 0, len(text)  # the longest prefix of text found in capture[start:end] has length in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if capture.find(text[:middle], start, end) >= 0:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f"not even its first character, {describe_character(text[0])}, is there"
    found_at = capture.find(text[:low], start, end)
    captured = capture[found_at + low] if found_at + low < end else ""
    matched = text[:low]
    shown = matched if len(matched) <= _SHOWN else "…" + matched[-_SHOWN:]
    return (f"it matches up to “{shown}”, then the clause has {describe_character(text[low])} "
            f"where the capture has {describe_character(captured)}")


class TomlSyntaxHint:
    """A hint added to a TOML syntax error when a quote is the likely cause."""

    _LINE = re.compile(r"at line (\d+)")

    @classmethod
    def for_error(cls, text: str, error: tomllib.TOMLDecodeError) -> str:
        found = cls._LINE.search(str(error))
        lines = text.splitlines()
        if not found or not 0 < int(found.group(1)) <= len(lines):
            return ""
        line = lines[int(found.group(1)) - 1]
        _, _, value = line.partition("=")
        value = value.strip()
        if value.startswith("'") and not value.startswith("'''") and value.count("'") > 2:
            return ("; this line's '...' string has a straight ' inside it, which ends the string: "
                    "copy the capture's own character (often ’), or write the string in \"...\"")
        return ""
