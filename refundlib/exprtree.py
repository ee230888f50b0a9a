"""The parsed form of a policy expression: one small frozen dataclass per kind of node.

:mod:`refundlib.expr` parses text into these and compiles them; :mod:`refundlib.exprwalk`
reads them. Every node says what its children are (:meth:`children`), so a walk needs no
knowledge of the node's fields. ``days_since_purchase <= 7 and not service_used`` is::

    Junction(op="and", parts=(Compare(op="<=", left=Name(name="days_since_purchase"), right=Literal(value=7)),
                              Not(operand=Name(name="service_used"))))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


class _Leaf:
    """A node without children."""

    __slots__ = ()

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal(_Leaf):
    """A literal: a number (exact), a string (``"annual"``), ``true`` or ``false``."""

    value: Fraction | str | bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Name(_Leaf):
    """A name read from the scenario: a built-in (refundlib.scenario.BUILTINS) or a fact."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """A function call (``within_hours(48)``)."""

    function: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True, slots=True, kw_only=True)
class Not:
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Junction:
    """``a and b and ...`` or ``a or b or ...`` (two parts or more)."""

    op: str  # "and" or "or"
    parts: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True, slots=True, kw_only=True)
class _Binary:
    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare(_Binary):
    """``left <op> right``, op one of ``<= >= < > == !=``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Arith(_Binary):
    """``left <op> right``, op one of ``+ - * /`` (unary minus is ``0 - x``)."""


Node = Literal | Name | Call | Not | Junction | Compare | Arith
