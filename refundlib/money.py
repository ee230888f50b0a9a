"""Exact money: currency minor units, and the one final rounding.

Amounts travel as decimal strings (read by :mod:`refundlib.purchase_fields`) and are held as
:class:`decimal.Decimal` (or, inside a calculation, as an exact number: an ``int`` or a
:class:`fractions.Fraction`, see :mod:`refundlib.exact`). Nothing is rounded until
:func:`round_to_minor_unit`, which the evaluator calls once, at the end.
"""

from __future__ import annotations

from decimal import Decimal

from .exact import Number

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

QUANTUM = {digits: Decimal(1).scaleb(-digits) for digits in set(MINOR_UNITS.values())}


def round_to_minor_unit(value: Number, currency: str) -> Decimal:
    """Round an exact amount half-up to the currency's minor unit: the only rounding there is."""
    digits = MINOR_UNITS[currency]
    # Integer arithmetic on numerator and denominator (an int has both): the same quotient and
    # remainder test as scaling the Fraction first, without building (and reducing) a new Fraction.
    denominator = value.denominator
    whole, remainder = divmod(value.numerator * 10**digits, denominator)
    if 2 * remainder >= denominator:  # half-up (amounts are never negative here)
        whole += 1
    return Decimal(whole).scaleb(-digits)


def format_amount(value: Decimal | None) -> str | None:
    """The wire form of an amount: a plain decimal string (never exponent notation)."""
    return None if value is None else f"{value:f}"
