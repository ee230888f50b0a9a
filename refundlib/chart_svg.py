"""Draw refund series (:mod:`refundlib.chart`) as one inline, static, accessible SVG.

- One group per vendor (``<g class="series" data-vendor=…>``), labelled by text at the end
  of its line, not by colour alone; colours from the Okabe–Ito colour-blind-safe palette.
- Step lines: request day d is drawn from x = d to x = d + 1. Each run of days of the same
  kind is one ``<path>`` with ``data-kind``, ``data-from`` and ``data-to`` (first and last
  day). Entitlements are solid; upper bounds, discretionary and conditional refunds are
  dashed and lighter; no refund is drawn at 0. The jump into a run is drawn in its style.
- ``<title>``/``<desc>`` (referenced by ``aria-labelledby``) describe every line in words.
- Deterministic: the same series always give the same bytes (coordinates are computed
  exactly and written with two decimals). No script, no external resources.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction
from html import escape
from typing import cast

from .chart import UNCERTAIN, Point, PointKind, Series
from .words import POINT_DESCRIPTIONS as KIND_WORDS

# Okabe & Ito (2008), without yellow (too light on white): blue, vermillion, bluish green,
# reddish purple, orange, sky blue, black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASH = "7 4"
LIGHT = "0.65"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 170, 64, 48
LABEL_GAP = 14
DAY_STEPS = (1, 2, 5, 7, 14, 30, 60, 90, 180, 365)
# The size of every chart the site shows (its figures, the calculator's redrawn chart, the playground's).
CHART_WIDTH, CHART_HEIGHT = 680, 400


def _n(value: Fraction | int) -> str:
    """A coordinate with at most two decimals, rounded half-up, without trailing zeros."""
    exact = Fraction(value)
    text = f"{(Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal('0.01'), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".")


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _amount_label(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def runs(series: Series) -> list[tuple[PointKind, list[Point]]]:
    """Consecutive points of the same kind with a known value; a point without a value breaks the line."""
    result: list[tuple[PointKind, list[Point]]] = []
    for point in series.points:
        if point.value is None:
            result.append((point.kind, []))
            continue
        if result and result[-1][0] == point.kind and result[-1][1]:
            result[-1][1].append(point)
        else:
            result.append((point.kind, [point]))
    return [(kind, points) for kind, points in result if points]


def _known(point: Point) -> Decimal:
    """The value of a point of a run, which is known: :func:`runs` leaves out the points without one."""
    return cast(Decimal, point.value)


def _y_scale(top: Decimal) -> tuple[Decimal, Decimal]:
    """A round step and the axis maximum (a multiple of it) covering ``top`` in at most 5 steps."""
    if top <= 0:
        return Decimal(1), Decimal(1)
    base = Decimal(1).scaleb((top / 5).adjusted())
    step = next(base * m for m in (1, 2, 5, 10) if base * m * 5 >= top)
    return step, step * (top / step).to_integral_value(rounding=ROUND_CEILING)


def _phrase(kind: PointKind, points: list[Point], currency: str) -> str:
    first, last = points[0], points[-1]
    days = f"day {first.day}" if first.day == last.day else f"days {first.day}–{last.day}"
    if kind == PointKind.NONE:
        return f"{days}: no refund"
    values = [_known(p) for p in points]
    if min(values) == max(values):
        amount = f"{first.value} {currency}"
    else:
        amount = f"{first.value} falling to {last.value} {currency}" if _known(first) > _known(last) else (
            f"{first.value} rising to {last.value} {currency}")
    return f"{days}: {KIND_WORDS[kind]} {amount}"


def describe(series: Series) -> str:
    parts = "; ".join(_phrase(kind, points, series.currency) for kind, points in runs(series))
    return f"{series.name}, {series.product_name}: {parts}."


def chart_title(series_list: Sequence[Series]) -> str:
    """A default title naming what was paid and when, when every series shares it."""
    paid = {(f"{s.amount_paid:f}", s.currency, s.purchased_on.isoformat()) for s in series_list}
    if len(paid) == 1:
        ((amount, currency, day),) = paid
        return f"Refund by day of the request: {amount} {currency} paid on {day}"
    return "Refund by day of the request"


def render_svg(series_list: Sequence[Series], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT, title: str,
               id_prefix: str = "refund-chart") -> str:
    """The SVG document for ``series_list`` (one line per vendor), as text."""
    if not series_list:
        raise ValueError("render_svg needs at least one series")
    x0, x1 = Fraction(MARGIN_LEFT), Fraction(width - MARGIN_RIGHT)
    y_top, y_zero = Fraction(MARGIN_TOP), Fraction(height - MARGIN_BOTTOM)
    last_day = max(s.last_day for s in series_list)
    values = [p.value for s in series_list for p in s.points if p.value is not None]
    step, top = _y_scale(max(values, default=Decimal(0)))

    def x(day: int) -> Fraction:
        return x0 + (x1 - x0) * day / (last_day + 1)

    def y(value: Decimal) -> Fraction:
        return y_zero - (y_zero - y_top) * Fraction(value) / Fraction(top)

    currencies = ", ".join(dict.fromkeys(s.currency for s in series_list))
    starts = list(dict.fromkeys(s.purchased_on.isoformat() for s in series_list))
    since = f"days after the purchase on {starts[0]}" if len(starts) == 1 else "days after the purchase"
    desc = (f"Refund by day of the request ({since}), in {currencies}. Solid: a refund due; dashed: a refund "
            "the vendor may give, an upper bound, or one that depends on an answer not known. "
            + " ".join(describe(s) for s in series_list))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{_attr(id_prefix)}-title {_attr(id_prefix)}-desc" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{_attr(id_prefix)}-title">{escape(title)}</title>',
        f'<desc id="{_attr(id_prefix)}-desc">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN_LEFT}" y="20" font-size="15" font-weight="bold" fill="#111111">{escape(title)}</text>',
    ]
    # Legend: line styles, in words.
    legend_y = 40
    out += [
        '<g class="legend" fill="none" stroke="#333333" stroke-width="2">',
        f'<path d="M{MARGIN_LEFT} {legend_y}h28"/>',
        f'<text x="{MARGIN_LEFT + 34}" y="{legend_y + 4}" fill="#333333" stroke="none">refund due</text>',
        f'<path d="M{MARGIN_LEFT + 130} {legend_y}h28" stroke-dasharray="{DASH}" stroke-opacity="{LIGHT}"/>',
        f'<text x="{MARGIN_LEFT + 164}" y="{legend_y + 4}" fill="#333333" stroke="none">'
        "at the vendor's discretion, an upper bound, or depending on an answer</text>",
        "</g>",
    ]
    # Axes, grid and ticks.
    out.append('<g class="axes" stroke="#999999" stroke-width="1" fill="none">')
    tick = step * 0
    while tick <= top:
        ty = _n(y(tick))
        out.append(f'<path d="M{_n(x0)} {ty}H{_n(x1)}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{_n(x0 - 6)}" y="{_n(y(tick) + 4)}" text-anchor="end" stroke="none" fill="#333333">'
                   f"{escape(_amount_label(tick))}</text>")
        tick += step
    out.append(f'<path d="M{_n(x0)} {_n(y_top)}V{_n(y_zero)}H{_n(x1)}"/>')
    day_step = next((s for s in DAY_STEPS if last_day <= 12 * s), DAY_STEPS[-1])
    for day in range(0, last_day + 1, day_step):
        tx = _n(x(day))
        out.append(f'<path d="M{tx} {_n(y_zero)}v5"/>')
        out.append(f'<text x="{tx}" y="{_n(y_zero + 18)}" text-anchor="middle" stroke="none" fill="#333333">'
                   f"{day}</text>")
    out.append(f'<text x="{_n((x0 + x1) / 2)}" y="{height - 8}" text-anchor="middle" stroke="none" fill="#333333">'
               f"{escape(f'Day of the refund request ({since})')}</text>")
    out.append(f'<text x="{_n(x0)}" y="{_n(y_top - 8)}" text-anchor="middle" stroke="none" fill="#333333">'
               f"{escape(currencies)}</text>")
    out.append("</g>")
    # Lines first, then each label at its line's end, pushed apart so that none overlaps another.
    drawn = [_paths(series, x, y) for series in series_list]
    ends = sorted((end[1], index, end) for index, (_, end) in enumerate(drawn) if end is not None)
    positions = _spread([end_y + 4 for end_y, _, _ in ends], low=y_top, high=y_zero + 4)
    labels = {index: (label_y, end) for (_, index, end), label_y in zip(ends, positions, strict=True)}
    for index, (series, (paths, _)) in enumerate(zip(series_list, drawn, strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        stroke = 2 + len(series_list) - 1 - index  # earlier lines wider, so that lines drawn over them still show
        out.append(f'<g class="series" data-vendor="{_attr(series.vendor)}" aria-label="{_attr(describe(series))}" '
                   f'stroke="{colour}" stroke-width="{stroke}" fill="none" stroke-linejoin="round">')
        out += paths
        if index in labels:
            label_y, (end_x, end_y) = labels[index]
            if label_y != end_y + 4:  # moved away from its line: a leader shows which line it names
                out.append(f'<path class="leader" d="M{_n(end_x)} {_n(end_y)}L{_n(end_x + 5)} {_n(label_y - 4)}" '
                           'stroke-width="1"/>')
            out.append(f'<text class="label" x="{_n(end_x + 7)}" y="{_n(label_y)}" fill="#111111" stroke="none">'
                       f"{escape(series.name)}</text>")
        out.append("</g>")
    return "\n".join(out) + "\n</svg>\n"


def _spread(wanted: list[Fraction], *, low: Fraction, high: Fraction) -> list[Fraction]:
    """Positions as close as possible to ``wanted`` (sorted), at least LABEL_GAP apart, within [low, high]."""
    placed: list[Fraction] = []
    for target in wanted:
        placed.append(max(target, placed[-1] + LABEL_GAP if placed else low))
    for index in range(len(placed) - 1, -1, -1):
        ceiling = high if index == len(placed) - 1 else placed[index + 1] - LABEL_GAP
        placed[index] = min(placed[index], ceiling)
    return placed


def _paths(series: Series, x: Callable[[int], Fraction], y: Callable[[Decimal], Fraction]
           ) -> tuple[list[str], tuple[Fraction, Fraction] | None]:
    """The series' ``<path>`` elements, one per run, and where its line ends (x, y).

    The jump between two adjacent runs is drawn in the less certain style: with the run
    before it when that run is dashed, else with the run after it.
    """
    drawn: list[tuple[PointKind, list[Point], list[str]]] = []
    for kind, points in runs(series):
        d = [f"M{_n(x(points[0].day))} {_n(y(_known(points[0])))}"]
        if drawn and drawn[-1][1][-1].day == points[0].day - 1:
            before_kind, before, before_d = drawn[-1]
            jump = f"V{_n(y(_known(points[0])))}"
            if before_kind in UNCERTAIN:
                before_d.append(jump)
            else:
                d = [f"M{_n(x(points[0].day))} {_n(y(_known(before[-1])))}{jump}"]
        for point, following in zip(points, [*points[1:], None], strict=True):
            if following is None or following.value != point.value:
                d.append(f"H{_n(x(point.day + 1))}")
                if following is not None:
                    d.append(f"V{_n(y(_known(following)))}")
        drawn.append((kind, points, d))
    paths = [f'<path class="segment {kind}" data-kind="{kind}" data-from="{points[0].day}" '
             f'data-to="{points[-1].day}" d="{"".join(d)}"'
             + (f' stroke-dasharray="{DASH}" stroke-opacity="{LIGHT}"' if kind in UNCERTAIN else "") + "/>"
             for kind, points, d in drawn]
    if not drawn:
        return paths, None
    last = drawn[-1][1][-1]
    return paths, (x(last.day + 1), y(_known(last)))
