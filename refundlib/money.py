"""Exact money: parsing decimal strings, currency minor units, and the one final rounding.

Amounts travel as decimal strings and are held as :class:`decimal.Decimal` (or, inside a
calculation, as an exact :class:`fractions.Fraction`). Nothing is rounded until
:func:`round_to_minor_unit`, which the evaluator calls once, at the end.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from .errors import ScenarioError

# ISO 4217 active currency codes (2025 list) and their minor units. Two decimals unless listed.
_TWO_DECIMALS = """
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW
ZWG
"""
_OTHER_DECIMALS = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
}

MINOR_UNITS: dict[str, int] = dict.fromkeys(_TWO_DECIMALS.split(), 2)
for _digits, _codes in _OTHER_DECIMALS.items():
    MINOR_UNITS.update(dict.fromkeys(_codes.split(), _digits))

_QUANTUM = {digits: Decimal(1).scaleb(-digits) for digits in set(MINOR_UNITS.values())}
_DECIMAL_STRING = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_currency(value: object, field: str = "currency") -> str:
    """Return the ISO 4217 code, or raise naming the field."""
    if not isinstance(value, str) or value.upper() not in MINOR_UNITS:
        raise ScenarioError(field, "an ISO 4217 currency code such as USD, EUR, GBP or INR", value)
    return value.upper()


def parse_amount(value: object, field: str) -> Decimal:
    """Parse a non-negative decimal amount given as a string (or an int).

    Floats are refused: a binary float cannot say 0.10 exactly, and money must be exact.
    """
    if value.__class__ is str:
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        raise ScenarioError(field, 'a decimal amount as a string, such as "49.00"', value)
    if not _DECIMAL_STRING.fullmatch(text):
        raise ScenarioError(field, 'a decimal amount as a string, such as "49.00"', value)
    amount = Decimal(text)
    if amount < 0:
        raise ScenarioError(field, "an amount of zero or more", value)
    return amount


def check_minor_unit(amount: Decimal, currency: str, field: str) -> None:
    """Refuse an amount finer than the currency's minor unit (0.50 JPY cannot have been paid)."""
    digits = MINOR_UNITS[currency]
    if amount != amount.quantize(_QUANTUM[digits]):
        unit = "no decimal places" if digits == 0 else f"at most {digits} decimal places"
        raise ScenarioError(field, f"an amount in {currency}, which has {unit}", f"{amount:f}")


def round_to_minor_unit(value: Fraction, currency: str) -> Decimal:
    """Round an exact amount half-up to the currency's minor unit: the only rounding there is."""
    digits = MINOR_UNITS[currency]
    # Integer arithmetic on numerator and denominator: the same quotient and remainder test as
    # scaling the Fraction first, without building (and reducing) a new Fraction.
    denominator = value.denominator
    whole, remainder = divmod(value.numerator * 10**digits, denominator)
    if 2 * remainder >= denominator:  # half-up (amounts are never negative here)
        whole += 1
    return Decimal(whole).scaleb(-digits)


def format_amount(value: Decimal | None) -> str | None:
    """The wire form of an amount: a plain decimal string (never exponent notation)."""
    return None if value is None else f"{value:f}"
