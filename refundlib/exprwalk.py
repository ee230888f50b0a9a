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
