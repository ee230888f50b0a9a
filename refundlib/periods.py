"""Calendar arithmetic for subscription terms: how much of a paid period has been used.

"Within N days" is a plain day count, ``(requested_on - purchased_on).days <= N``.
The used share of a term counts whole calendar months elapsed plus the days of the
current month as a share of that month, so an annual plan six calendar months in is
exactly half used (this is what reproduces reCatch's published worked example).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .exact import exact

TERM_MONTHS = {"monthly": 1, "annual": 12}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days in the month (as ``calendar.monthrange``): calendar is slow to import in the browser."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def add_months(start: date, months: int) -> date:
    """The same day-of-month ``months`` later, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, days_in_month(year, month)))


def term_end(start: date, billing: str) -> date | None:
    """The day the paid term ends, or None for purchases without a term (one-time)."""
    months = TERM_MONTHS.get(billing)
    return None if months is None else add_months(start, months)


def used_fraction(start: date, on: date, billing: str) -> Fraction | int:
    """Share of the term used by ``on``: 0 on the purchase day, 1 at or after the term's end."""
    months = TERM_MONTHS.get(billing)
    if months is None:
        return 1
    if on <= start:
        return 0
    # Whole months elapsed: the calendar difference, less one if this month's anniversary
    # (the purchase day, or the month's last day if shorter) is still ahead. (add_months,
    # inlined: a chart reads this for every day of a term.)
    day = start.day
    whole = (on.year - start.year) * 12 + on.month - start.month
    if on.day < day and (day <= 28 or on.day < days_in_month(on.year, on.month)):
        whole -= 1
    if whole >= months:
        return 1
    index = start.month - 1 + whole
    year, month = start.year + index // 12, index % 12 + 1
    next_year, next_month = (year, month + 1) if month < 12 else (year + 1, 1)
    if day > 28:
        month_start = date(year, month, min(day, days_in_month(year, month))).toordinal()
        month_end = date(next_year, next_month, min(day, days_in_month(next_year, next_month))).toordinal()
    else:
        month_start, month_end = date(year, month, day).toordinal(), date(next_year, next_month, day).toordinal()
    length = month_end - month_start
    return exact(whole * length + on.toordinal() - month_start, length * months)
