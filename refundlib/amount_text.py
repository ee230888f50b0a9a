"""Reading an amount as a person types it: "$290", "USD 290", "290,00", "1,290.00", "1.290".

:func:`read_amount` turns such text into the plain decimal string a scenario takes
(``"290"``, ``"1290.00"``), and says what it understood when the text could be read two
ways. Scenarios themselves stay strict (``"amount_paid": "1290.00"``); this is for forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .errors import ScenarioError
from .money import MINOR_UNITS

# Symbols that name one currency. "$" (and "kr") are shared by many, so they name none: the
# amount is then in the currency already chosen.
_SYMBOLS = {"€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "₽": "RUB", "₺": "TRY", "₫": "VND", "₪": "ILS"}
_SHARED_SYMBOLS = ("US$", "C$", "A$", "$", "¥", "kr")
_GROUPING = " \u00a0\u202f'’"  # spaces and apostrophes that group thousands
_NUMBER = re.compile(r"\d[\d.,]*")
_EXPECTED = 'an amount such as 290, 290.00, "$290", "USD 290" or "1,290.00"'


@dataclass(frozen=True, slots=True)
class AmountReading:
    """What :func:`read_amount` understood."""

    amount: str  # a plain decimal string, as a scenario takes it ("1290.00")
    currency: str | None  # the currency the text names (a code or a one-currency symbol), else None
    understood: str  # "" when the text could be read one way only; else what was understood, and the other way

    def to_dict(self) -> dict[str, object]:
        return {"amount": self.amount, "currency": self.currency, "understood": self.understood}


def read_amount(text: object, field: str, currency: str | None = None) -> AmountReading:
    """The amount in ``text``; ``currency`` (an ISO code) says how many decimals it may have.

    Raises :class:`~refundlib.errors.ScenarioError` naming ``field`` when the text is no amount.
    """
    if not isinstance(text, str) or not text.strip():
        raise ScenarioError(field, _EXPECTED, text)
    rest, named = _take_currency(text.strip(), field, text)
    digits = rest.strip().translate({ord(c): None for c in _GROUPING})
    if _NUMBER.fullmatch(digits) is None:
        raise ScenarioError(field, _EXPECTED, text)
    number, understood = _number(digits, field, text, named or currency)
    decimals = MINOR_UNITS.get(named or currency or "", 2)
    if -Decimal(number).as_tuple().exponent > decimals:  # type: ignore[operator]  # exponent is an int for finite numbers
        raise ScenarioError(field, f"at most {decimals} decimals for {named or currency}", text)
    return AmountReading(amount=number, currency=named, understood=understood)


def _take_currency(text: str, field: str, given: str) -> tuple[str, str | None]:
    """The text without its currency mark, and the currency it names (None for "$" and no mark)."""
    code = re.fullmatch(r"([A-Za-z]{3})\s*(.+)|(.+?)\s*([A-Za-z]{3})", text)
    if code:
        found = (code.group(1) or code.group(4)).upper()
        if found not in MINOR_UNITS:
            raise ScenarioError(field, f"{_EXPECTED}; {found} is not a currency code", given)
        return code.group(2) or code.group(3), found
    for symbol, named in _SYMBOLS.items():
        if text.startswith(symbol) or text.endswith(symbol):
            return text.removeprefix(symbol).removesuffix(symbol), named
    for symbol in _SHARED_SYMBOLS:
        if text.startswith(symbol) or text.endswith(symbol):
            return text.removeprefix(symbol).removesuffix(symbol), None
    return text, None


def _number(digits: str, field: str, given: str, currency: str | None) -> tuple[str, str]:
    """A plain decimal string from digits with "," and "." in them, and what was understood."""
    marks = [c for c in digits if c in ",."]
    if not marks:
        return digits, ""
    last = max(digits.rfind(","), digits.rfind("."))
    head, mark, tail = digits[:last], digits[last], digits[last + 1:]
    if set(marks) == {",", "."} or (len(marks) == 1 and len(tail) != 3):  # the last mark is the decimal one
        _check_groups(head.replace("," if mark == "." else ".", " ").split(" "), field, given)
        if not tail or mark in head:
            raise ScenarioError(field, _EXPECTED, given)
        return f"{head.replace(',', '').replace('.', '')}.{tail}", ""
    if len(set(marks)) == 1 and len(marks) > 1:  # one mark, repeated: it groups thousands
        _check_groups(digits.split(mark), field, given)
        return digits.replace(mark, ""), ""
    # One mark followed by three digits: "1.290" or "1,290", a thousands mark or a decimal one.
    if MINOR_UNITS.get(currency or "", 2) >= 3:
        return f"{head}.{tail}", f"read as {head}.{tail}; for {head}{tail}, write {head}{tail}"
    return f"{head}{tail}", f"read as {head}{tail}; for {head}.{tail}, write {head}.{tail}"


def _check_groups(groups: list[str], field: str, given: str) -> None:
    """Thousands groups: the first of 1 to 3 digits, each other of exactly 3."""
    if not groups[0] or (len(groups[0]) > 3 and len(groups) > 1) or any(len(g) != 3 for g in groups[1:]):
        raise ScenarioError(field, _EXPECTED, given)
