"""Read-only walks over parsed policy expressions (the nodes are :mod:`refundlib.exprtree`'s)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from math import ceil

from .expr import Expression
from .exprtree import Call, Compare, Literal, Name, Node

DAY_COUNT = Name(name="days_since_purchase")


def iter_nodes(node: Node) -> Iterator[Node]:
    """The node and every node below it, depth first."""
    yield node
    for child in node.children():
        yield from iter_nodes(child)


def calls(expression: Expression) -> set[str]:
    """Names of the functions an expression calls."""
    return {node.function for node in iter_nodes(expression.tree) if isinstance(node, Call)}


def tests_window(expression: Expression) -> bool:
    """Whether the expression tests the time since purchase (``days_since_purchase`` or ``within_hours``)."""
    return "days_since_purchase" in expression.names or "within_hours" in calls(expression)


def _hours(node: Call) -> Fraction | None:
    """N of ``within_hours(N)`` when N is a number literal."""
    (argument,) = node.args
    return _number(argument)


def _number(node: Node) -> Fraction | None:
    """The value of a number literal (None for any other node)."""
    if isinstance(node, Literal) and not isinstance(node.value, (bool, str)):
        return node.value
    return None


def window_days(expression: Expression) -> list[int]:
    """The day counts an expression compares ``days_since_purchase`` with, and ``within_hours(N)`` as days."""
    found: list[int] = []
    for node in iter_nodes(expression.tree):
        if isinstance(node, Compare) and DAY_COUNT in (node.left, node.right):
            found += [ceil(number) for side in (node.left, node.right) if (number := _number(side)) is not None]
        elif isinstance(node, Call) and node.function == "within_hours" and (hours := _hours(node)) is not None:
            found.append(ceil(hours / 24))
    return found


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
        elif isinstance(node, Compare) and DAY_COUNT in (node.left, node.right):
            other = _number(node.right if node.left == DAY_COUNT else node.left)
            if other is None:
                return None
            found.append(Fraction(other))
            compared += 1
        elif isinstance(node, Call) and node.function == "within_hours":
            hours = _hours(node)
            if hours is None:
                return None
            days = Fraction(hours) / 24
            found += [days - 1, days + 1, Fraction(0)]
    return found if read == compared else None
