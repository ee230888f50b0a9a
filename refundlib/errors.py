"""The library's exceptions: one class per kind of failure, each naming what was wrong.

Every error a caller can trigger with bad input is a :class:`RefundlibError`, so front ends
(CLI, browser, embedders) catch one class and show one line. Errors are values too:
:meth:`RefundlibError.to_dict` is the shape that crosses the Pyodide bridge, and the browser
shows it without reading the message's text::

    {"error": "FieldFormatError",      # the class name
     "field": "amount_paid",           # as the user knows it ("facts.cash_out", "products.kino");
                                       # "" when the input as a whole is wrong
     "kind": "format",                 # an ErrorKind
     "expected": "a decimal amount as a string, such as \\"49.00\\"",
     "given": "'12,00'",               # what was given, shown as in the message; None: nothing was
     "message": "amount_paid: expected a decimal amount as a string, such as \\"49.00\\", got '12,00'"}

A field name holding characters that cannot be printed is shown with JSON escapes
(``facts.\\u001b[31m``), so that a message is always one printable line.
"""

from __future__ import annotations

import enum
import json


class ErrorKind(enum.StrEnum):
    """What kind of wrong an input is (``kind`` in :meth:`RefundlibError.to_dict`)."""

    MISSING = "missing"  # a required field is not there
    TYPE = "type"  # the wrong JSON type (a list for a date, a float for money)
    FORMAT = "format"  # the right type, but unreadable ("2026-13-01", "12,00")
    RANGE = "range"  # readable, but outside what is allowed (negative, too many digits or decimals)
    UNKNOWN = "unknown"  # a name nobody defines: a field, fact, product, vendor, currency or billing
    RELATION = "relation"  # at odds with another field (requested before purchased, list price below paid)


NOT_GIVEN = object()  # ``given`` of an error about something that was not given at all
_LONGEST_GIVEN = 80


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown_field(field: str) -> str:
    """A field name as messages show it: printable, with JSON escapes (``\\n``, ``\\u001b``) for anything else."""
    if field.isprintable():
        return field
    return "".join(c if c.isprintable() else _SHORT_ESCAPES.get(c) or (
        f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") for c in field)


def shown_value(value: object) -> str:
    """A given value as messages show it: strings quoted (escaped), JSON values by their JSON name."""
    if value is None:
        text = "null"
    elif value is True or value is False:
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        finite = value == value and abs(value) != float("inf")  # (NaN is the one float unequal to itself)
        text = json.dumps(value) if finite else "a number too large or not a number"
    elif isinstance(value, (list, tuple)):
        text = "a list"
    elif isinstance(value, dict):
        text = "an object"
    else:
        text = type(value).__name__
    return text if len(text) <= _LONGEST_GIVEN else text[:_LONGEST_GIVEN - 1] + "…"


class RefundlibError(Exception):
    """Base class: something the caller gave us was not acceptable."""

    kind = ErrorKind.FORMAT
    field = ""
    expected = ""
    given: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"error": type(self).__name__, "field": self.field, "kind": str(self.kind),
                "expected": self.expected, "given": self.given, "message": str(self)}


class ScenarioError(RefundlibError, ValueError):
    """A scenario field is missing or has a value we cannot use (the subclasses say which way)."""

    def __init__(self, field: str, expected: str, got: object = NOT_GIVEN) -> None:
        self.field = shown_field(field)
        self.expected = expected
        self.got = None if got is NOT_GIVEN else got
        self.given = None if got is NOT_GIVEN else shown_value(got)
        detail = f"{self.field or 'scenario'}: expected {expected}"
        if self.given is not None:
            detail += f", got {self.given}"
        super().__init__(detail)


class MissingFieldError(ScenarioError):
    """A required field is not there."""

    kind = ErrorKind.MISSING

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(field, expected)


class FieldTypeError(ScenarioError):
    """A field has the wrong JSON type."""

    kind = ErrorKind.TYPE


class FieldFormatError(ScenarioError):
    """A field has the right type but cannot be read (a date that does not exist, an amount with a comma)."""

    kind = ErrorKind.FORMAT


class FieldRangeError(ScenarioError):
    """A value is readable but not allowed: negative, or more digits or decimals than the limit."""

    kind = ErrorKind.RANGE


class UnknownNameError(ScenarioError):
    """A field, fact, product, vendor, currency or billing that nobody defines."""

    kind = ErrorKind.UNKNOWN


class FieldRelationError(ScenarioError):
    """A value at odds with another field: requested before purchased, list price below the amount paid."""

    kind = ErrorKind.RELATION


class NotSoldError(RefundlibError):
    """In a comparison, one vendor's answer: it sells nothing billed the way the situation is."""

    kind = ErrorKind.RELATION
    field = ""  # no field is wrong: this vendor sells nothing that fits, which is its answer

    def __init__(self, vendor_name: str, billing: object, sold: list[str]) -> None:
        self.expected = f"a billing {vendor_name} sells ({', '.join(sold)})"
        self.given = shown_value(billing)
        super().__init__(f"{vendor_name} sells nothing billed {billing}.")


class UnknownVendorError(RefundlibError, LookupError):
    """No policy file has this vendor id."""

    kind = ErrorKind.UNKNOWN
    field = "vendor"

    def __init__(self, vendor_id: str, known: list[str]) -> None:
        self.vendor_id = vendor_id
        self.known = known
        self.expected = f"one of: {', '.join(known)}"
        self.given = shown_value(vendor_id)
        super().__init__(f"vendor: unknown vendor {self.given}; expected one of: {', '.join(known)}")


class PolicyFileError(RefundlibError):
    """A policy data file is malformed; the message names the file, the field and what was expected."""

    def __init__(self, source: str, field: str, expected: str) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        super().__init__(f"{source}: {field}: expected {expected}")

    def to_dict(self) -> dict[str, str | None]:
        return {**super().to_dict(), "file": self.source}


class ExpressionError(RefundlibError):
    """A condition or formula in a policy file does not parse or names something unknown."""


class UnknownKeyError(PolicyFileError):
    """A table of a policy file holds a key the format does not define, most often a misspelling."""

    def __init__(self, source: str, field: str, hint: str) -> None:
        super().__init__(source, field, hint)
        self.args = (f"{source}: {field}: unknown key; {hint}",)
