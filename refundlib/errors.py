"""The library's exceptions: one class per kind of failure, each naming what was wrong.

Every error a caller can trigger with bad input is a :class:`RefundlibError`, so
front ends (CLI, browser, embedders) catch one class and show one line.
"""

from __future__ import annotations


class RefundlibError(Exception):
    """Base class: something the caller gave us was not acceptable."""

    def to_dict(self) -> dict[str, str]:
        return {"error": type(self).__name__, "message": str(self)}


class ScenarioError(RefundlibError, ValueError):
    """A scenario field is missing or has a value we cannot use."""

    def __init__(self, field: str, expected: str, got: object = None) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        detail = f"{field}: expected {expected}"
        if got is not None:
            detail += f", got {got!r}"
        super().__init__(detail)

    def to_dict(self) -> dict[str, str]:
        return {**super().to_dict(), "field": self.field, "expected": self.expected}


class UnknownVendorError(RefundlibError, LookupError):
    """No policy file has this vendor id."""

    def __init__(self, vendor_id: str, known: list[str]) -> None:
        self.vendor_id = vendor_id
        self.known = known
        super().__init__(f"vendor: unknown vendor {vendor_id!r}; expected one of: {', '.join(known)}")


class PolicyFileError(RefundlibError):
    """A policy data file is malformed; the message names the file, the field and what was expected."""

    def __init__(self, source: str, field: str, expected: str) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        super().__init__(f"{source}: {field}: expected {expected}")

    def to_dict(self) -> dict[str, str]:
        return {**super().to_dict(), "file": self.source, "field": self.field, "expected": self.expected}


class ExpressionError(RefundlibError):
    """A condition or formula in a policy file does not parse or names something unknown."""


class UnknownKeyError(PolicyFileError):
    """A table of a policy file holds a key the format does not define, most often a misspelling."""

    def __init__(self, source: str, field: str, hint: str) -> None:
        super().__init__(source, field, hint)
        self.args = (f"{source}: {field}: unknown key; {hint}",)
