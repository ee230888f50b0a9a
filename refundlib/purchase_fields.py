"""Reading one field of a purchase: dates, amounts, currencies, yes/no/unknown answers.

Each reader takes the JSON value as given and returns the value refundlib computes with, or
raises the :mod:`refundlib.errors` class for what is wrong, naming the field.

The limit on numbers (the same everywhere a number is given: amounts, list prices and number
answers): a decimal string (or a JSON integer) of at most :data:`MAX_INTEGER_DIGITS` digits
before the point (leading zeros aside) and :data:`MAX_DECIMALS` after it; an amount of money
also no finer than its currency's minor unit (two decimals for USD, none for JPY). Floats,
exponents (``1e5``), ``NaN`` and ``Infinity`` are refused: money is exact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from .errors import NOT_GIVEN, FieldFormatError, FieldRangeError, FieldTypeError, MissingFieldError, UnknownNameError
from .money import MINOR_UNITS, QUANTUM
from .scenario import UNKNOWN

MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 15

DATE_EXPECTED = "a date as YYYY-MM-DD"
AMOUNT_EXPECTED = 'a decimal amount as a string, such as "49.00"'
CURRENCY_EXPECTED = "an ISO 4217 currency code such as USD, EUR, GBP or INR"
TRISTATE_EXPECTED = 'true, false or "unknown"'
NUMBER_LIMIT = f"at most {MAX_INTEGER_DIGITS} digits before the decimal point and {MAX_DECIMALS} after it"

_DECIMAL_STRING = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# The same limit as docs/schemas/scenario.schema.json states it (tests/site/test_site_schemas.py
# compares the two): a pattern for the string, a maximum for the integer.
SCHEMA_AMOUNT_PATTERN = (f"^0*[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\\.[0-9]{{0,{MAX_DECIMALS}}})?$"
                         f"|^\\.[0-9]{{1,{MAX_DECIMALS}}}$")
SCHEMA_INTEGER_MAXIMUM = 10**MAX_INTEGER_DIGITS - 1


def require(value: object, field: str, expected: str) -> object:
    """``value`` unless it is :data:`~refundlib.errors.NOT_GIVEN` (then: the field is missing)."""
    if value is NOT_GIVEN:
        raise MissingFieldError(field, expected)
    return value


def parse_date(value: object, field: str) -> date:
    # (``x.__class__ is str`` before ``isinstance``: scenarios are parsed once per verdict, and the
    # checks of the common, well-formed case were a third of the parsing time.)
    if value.__class__ is str and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, date):
        return value
    if value is NOT_GIVEN:
        raise MissingFieldError(field, DATE_EXPECTED)
    raise (FieldFormatError if isinstance(value, str) else FieldTypeError)(field, DATE_EXPECTED, value)


def parse_tristate(value: object, field: str) -> bool | None:
    """true, false, or "unknown" (None)."""
    if value is True or value is False:
        return value
    if value == UNKNOWN and value.__class__ is str:
        return None
    if value is NOT_GIVEN:
        raise MissingFieldError(field, TRISTATE_EXPECTED)
    raise (FieldFormatError if isinstance(value, str) else FieldTypeError)(field, TRISTATE_EXPECTED, value)


def parse_amount(value: object, field: str, expected: str = AMOUNT_EXPECTED) -> Decimal:
    """A non-negative decimal given as a string (or an int), within the limit on numbers.

    Floats are refused: a binary float cannot say 0.10 exactly, and money must be exact.
    """
    if value.__class__ is str:
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif value is NOT_GIVEN:
        raise MissingFieldError(field, expected)
    else:
        raise FieldTypeError(field, expected, value)
    if not _DECIMAL_STRING.fullmatch(text):
        raise FieldFormatError(field, expected, value)
    whole, _, decimals = text.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(decimals) > MAX_DECIMALS:
        raise FieldRangeError(field, f"a decimal amount of {NUMBER_LIMIT}", value)
    amount = Decimal(text)
    if amount < 0:
        raise FieldRangeError(field, "an amount of zero or more", value)
    return amount


def parse_currency(value: object, field: str = "currency") -> str:
    """Return the ISO 4217 code, or raise naming the field."""
    if value.__class__ is str and value.upper() in MINOR_UNITS:
        return value.upper()
    if value is NOT_GIVEN:
        raise MissingFieldError(field, CURRENCY_EXPECTED)
    raise (UnknownNameError if isinstance(value, str) else FieldTypeError)(field, CURRENCY_EXPECTED, value)


def check_minor_unit(amount: Decimal, currency: str, field: str) -> None:
    """Refuse an amount finer than the currency's minor unit (0.50 JPY cannot have been paid)."""
    digits = MINOR_UNITS[currency]
    if amount != amount.quantize(QUANTUM[digits]):
        unit = "no decimal places" if digits == 0 else f"at most {digits} decimal places"
        raise FieldRangeError(field, f"an amount in {currency}, which has {unit}", f"{amount:f}")


def require_mapping(value: object, field: str, expected: str) -> Mapping[str, object]:
    """A JSON object (``field`` ``""``: the whole input)."""
    if value.__class__ is dict or isinstance(value, Mapping):
        return value
    if value is NOT_GIVEN:
        raise MissingFieldError(field, expected)
    raise FieldTypeError(field, expected, value)


def refuse_unknown_fields(raw: Mapping[str, object], allowed: frozenset[str], names: tuple[str, ...],
                          what: str) -> None:
    """Refuse the first field (in sorted order) not in ``allowed``; ``names`` lists them in the message."""
    if not allowed.issuperset(raw):
        extra = sorted(str(k) for k in set(raw) - allowed)
        raise UnknownNameError(extra[0], f"one of the {what}: {', '.join(names)}")
