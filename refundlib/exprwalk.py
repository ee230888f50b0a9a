"""Read-only walks over parsed policy expressions (see :mod:`refundlib.expr` for the tree's shape)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from math import ceil

from .expr import Expression, Node


def iter_nodes(node: Node) -> Iterator[Node]:
    """The node and every node below it, depth first."""
    yield node
    for part in node[1:]:
        if isinstance(part, tuple):
            children = (part,) if part and isinstance(part[0], str) else part
            for child in children:
                if isinstance(child, tuple):
                    yield from iter_nodes(child)


def calls(expression: Expression) -> set[str]:
    """Names of the functions an expression calls."""
    return {node[1] for node in iter_nodes(expression.tree) if node[0] == "call"}


def tests_window(expression: Expression) -> bool:
    """Whether the expression tests the time since purchase (``days_since_purchase`` or ``within_hours``)."""
    return "days_since_purchase" in expression.names or "within_hours" in calls(expression)


def window_days(expression: Expression) -> list[int]:
    """The day counts an expression compares ``days_since_purchase`` with, and ``within_hours(N)`` as days."""
    found: list[int] = []
    for node in iter_nodes(expression.tree):
        if node[0] == "cmp":
            sides = (node[2], node[3])
            if ("var", "days_since_purchase") in sides:
                found += [ceil(side[1]) for side in sides if side[0] == "num"]
        elif node[0] == "call" and node[1] == "within_hours" and node[2] and node[2][0][0] == "num":
            found.append(ceil(Fraction(node[2][0][1]) / 24))
    return found


DAY_COUNT = ("var", "days_since_purchase")


def day_thresholds(expression: Expression) -> list[Fraction] | None:
    """Where the expression's value can change as the request day moves, if it can say.

    The numbers ``days_since_purchase`` is compared with, and for ``within_hours(N)`` the day
    counts N/24 ± 1 around which the answer turns from yes through "not known" to no. None when
    the expression reads the day count any other way (in arithmetic, say): then any day may differ.
    """
    found: list[Fraction] = []
    compared = read = 0
    for node in iter_nodes(expression.tree):
        if node == DAY_COUNT:
            read += 1
        elif node[0] == "cmp" and DAY_COUNT in (node[2], node[3]):
            other = node[3] if node[2] == DAY_COUNT else node[2]
            if other[0] != "num":
                return None
            found.append(Fraction(other[1]))
            compared += 1
        elif node[0] == "call" and node[1] == "within_hours":
            if node[2][0][0] != "num":
                return None
            days = Fraction(node[2][0][1]) / 24
            found += [days - 1, days + 1, Fraction(0)]
    return found if read == compared else None
