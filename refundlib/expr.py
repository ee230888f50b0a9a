"""A small expression language for conditions and amount formulas in policy files.

Policy files say *when* a rule applies and *how much* it pays as text such as
``days_since_purchase <= 7 and not service_used`` or
``amount_paid - list_price * used_fraction``. This module parses that text once
(at load time, so a typo is a load error naming the file and field), checks the
types of every name, and evaluates it with three-valued logic: a fact answered
"unknown" makes an expression :class:`Unknown` unless the known parts decide it
(``false and unknown`` is false). The evaluator forks on what is unknown.

Grammar (lowest precedence first)::

    or:   and ("or" and)*
    and:  not ("and" not)*
    not:  "not" not | cmp
    cmp:  sum (("<=" | ">=" | "<" | ">" | "==" | "!=") sum)?
    sum:  term (("+" | "-") term)*
    term: unary (("*" | "/") unary)*
    unary: "-" unary | atom
    atom: NUMBER | STRING | "true" | "false" | NAME | NAME "(" args ")" | "(" or ")"
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from . import exact
from .errors import ExpressionError
from .exact import Number
from .exprtree import Arith, Call, Compare, Junction, Literal, Name, Node, Not

BOOL, NUMBER, STRING = "bool", "number", "string"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that depends on answers we do not have; ``keys`` name them."""

    keys: frozenset[str]


Value = bool | Number | str | Unknown  # numbers: int when whole, else Fraction (see exact.py)
Known = bool | Number | str  # a value that is not Unknown: what comparisons compare


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\")|(?P<op><=|>=|==|!=|[-+*/()<>,])|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_COMPARISONS: dict[str, Callable[[Known, Known], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq, "!=": operator.ne,
}
_ARITHMETIC: dict[str, Callable[[Number, Number], Number]] = {
    "+": exact.add, "-": exact.subtract, "*": exact.multiply, "/": exact.divide,
}


def _tokenize(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position or match.lastgroup is None:  # (a match names its group)
            raise ExpressionError(f"cannot read {text[position:].strip()!r} in {text!r}")
        tokens.append(match.group(match.lastgroup))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            wanted = repr(expected) if expected else "more"
            raise ExpressionError(f"expected {wanted} in {self.text!r}, found {token or 'the end'!r}")
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r} in {self.text!r}")
        return node

    def disjunction(self) -> Node:
        parts = [self.conjunction()]
        while self.peek() == "or":
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Junction(op="or", parts=tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.negation()]
        while self.peek() == "and":
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else Junction(op="and", parts=tuple(parts))

    def negation(self) -> Node:
        if self.peek() == "not":
            self.take()
            return Not(operand=self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.peek() in _COMPARISONS:
            op = self.take()
            return Compare(op=op, left=left, right=self.sum())
        return left

    def sum(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            node = Arith(op=op, left=node, right=self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = Arith(op=op, left=node, right=self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Arith(op="-", left=Literal(value=Fraction(0)), right=self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.disjunction()
            self.take(")")
            return node
        if token in ("true", "false"):
            return Literal(value=token == "true")
        if token[0].isdigit():
            return Literal(value=Fraction(Decimal(token)))
        if token[0] == '"':
            return Literal(value=token[1:-1])
        if token[0].isalpha() or token[0] == "_":
            if token in _KEYWORDS:
                raise ExpressionError(f"unexpected {token!r} in {self.text!r}")
            if self.peek() == "(":
                self.take("(")
                args: list[Node] = []
                while self.peek() != ")":
                    args.append(self.disjunction())
                    if self.peek() != ")":
                        self.take(",")
                self.take(")")
                return Call(function=token, args=tuple(args))
            return Name(name=token)
        raise ExpressionError(f"unexpected {token!r} in {self.text!r}")


@dataclass(frozen=True, slots=True)
class Function:
    """A built-in function: its argument types, result type and implementation."""

    params: tuple[str, ...]
    result: str
    call: Callable[..., Value]


class Calls(Protocol):
    """Function name -> implementation, for one evaluation: a mapping, or anything indexed the same way."""

    def __getitem__(self, name: str, /) -> Callable[..., Value]: ...


Compiled = Callable[[Callable[[str], Value], Calls], Value]


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed, type-checked expression, the names it reads, and its tree compiled to closures."""

    text: str
    tree: Node  # see refundlib.exprtree
    type: str
    names: frozenset[str]
    run: Compiled = field(repr=False, compare=False)

    def evaluate(self, lookup: Callable[[str], Value], functions: Mapping[str, Function]) -> Value:
        """The value of the expression, reading names through ``lookup``. (The evaluator calls
        :attr:`run` directly, with the functions' implementations only.)"""
        return self.run(lookup, {name: function.call for name, function in functions.items()})


def compile_expression(
    text: str, names: Mapping[str, str], functions: Mapping[str, Function], want: str
) -> Expression:
    """Parse ``text`` and check it against the known ``names`` (name -> type); it must yield ``want``."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("expected a non-empty expression")
    tree = _Parser(text).parse()
    used: set[str] = set()
    kind = _check(tree, names, functions, used, text)
    if kind != want:
        raise ExpressionError(f"{text!r} gives a {kind}, expected a {want}")
    return Expression(text=text, tree=tree, type=kind, names=frozenset(used), run=_compile(tree))


def _check(node: Node, names: Mapping[str, str], functions: Mapping[str, Function], used: set[str], text: str) -> str:
    def check(inner: Node) -> str:
        return _check(inner, names, functions, used, text)

    if isinstance(node, Literal):
        value = node.value
        return BOOL if isinstance(value, bool) else STRING if isinstance(value, str) else NUMBER
    if isinstance(node, Name):
        if node.name not in names:
            raise ExpressionError(f"unknown name {node.name!r} in {text!r}; known: {', '.join(sorted(names))}")
        used.add(node.name)
        return names[node.name]
    if isinstance(node, Call):
        function = functions.get(node.function)
        if function is None:
            known = ", ".join(sorted(functions))
            raise ExpressionError(f"unknown function {node.function!r} in {text!r}; known: {known}")
        if tuple(map(check, node.args)) != function.params:
            raise ExpressionError(f"{node.function}() takes ({', '.join(function.params)}) in {text!r}")
        return function.result
    if isinstance(node, Not):
        _require(check(node.operand), BOOL, "not", text)
        return BOOL
    if isinstance(node, Junction):
        for part in node.parts:
            _require(check(part), BOOL, node.op, text)
        return BOOL
    left, right = check(node.left), check(node.right)
    if isinstance(node, Compare) and node.op in ("==", "!="):
        if left != right:
            raise ExpressionError(f"{node.op} compares a {left} with a {right} in {text!r}")
    else:
        _require(left, NUMBER, node.op, text)
        _require(right, NUMBER, node.op, text)
    return NUMBER if isinstance(node, Arith) else BOOL


def _require(kind: str, want: str, op: str, text: str) -> None:
    if kind != want:
        raise ExpressionError(f"{op!r} needs a {want}, got a {kind} in {text!r}")


def _unknown(*values: Value) -> Unknown | None:
    pending = [v.keys for v in values if isinstance(v, Unknown)]
    if not pending:  # the common case: every value is known
        return None
    keys = frozenset().union(*pending)
    return Unknown(keys) if keys else None


def _divide(left: Number, right: Number) -> Number:
    if right == 0:
        raise ExpressionError("division by zero")
    return exact.divide(left, right)


def _compile(node: Node) -> Compiled:
    """Turn a checked tree into nested closures, once, at load time (a tree walk per call was the
    evaluator's largest cost). Values are exact: ``int`` or ``Fraction`` numbers, never floats.
    Three-valued logic: an :class:`Unknown` operand makes the result unknown, except that
    ``and``/``or`` are decided by a false/true part; every part is still evaluated, because
    reading a name is what marks the policy's notes about it as relevant.
    """
    if isinstance(node, Literal):
        value = node.value
        constant = value if isinstance(value, (bool, str)) else exact.exact_number(value)
        return lambda lookup, functions: constant
    if isinstance(node, Name):
        name = node.name
        return lambda lookup, functions: lookup(name)
    if isinstance(node, Call):
        function_name, arguments = node.function, tuple(_compile(arg) for arg in node.args)

        def call(lookup: Callable[[str], Value], functions: Calls) -> Value:
            values = [argument(lookup, functions) for argument in arguments]
            return _unknown(*values) or functions[function_name](*values)

        return call
    if isinstance(node, Not):
        inner = _compile(node.operand)

        def negate(lookup: Callable[[str], Value], functions: Calls) -> Value:
            value = inner(lookup, functions)
            return value if value.__class__ is Unknown else not value

        return negate
    if isinstance(node, Junction):
        parts = tuple(_compile(part) for part in node.parts)
        decisive = node.op == "or"  # the value that settles the whole: True for or, False for and

        def junction(lookup: Callable[[str], Value], functions: Calls) -> Value:
            values = [part(lookup, functions) for part in parts]
            if decisive in values:
                return decisive
            return _unknown(*values) or (not decisive)

        return junction
    left, right = _compile(node.left), _compile(node.right)
    if isinstance(node, Arith):
        operation = _divide if node.op == "/" else _ARITHMETIC[node.op]
    else:
        operation = _exact_comparison(_COMPARISONS[node.op])

    def binary(lookup: Callable[[str], Value], functions: Calls) -> Value:
        a, b = left(lookup, functions), right(lookup, functions)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            pending = _unknown(a, b)
            if pending:
                return pending
        return operation(a, b)  # type: ignore[arg-type]  # known by now, of the types checked on loading

    return binary


def _exact_comparison(compare: Callable[[Known, Known], bool]) -> Callable[[Known, Known], bool]:
    """``compare``, on two numbers as the integers that compare as they do when either is a Fraction."""
    def comparison(a: Known, b: Known) -> bool:
        if a.__class__ is Fraction or b.__class__ is Fraction:
            a, b = exact.cross(a, b)  # type: ignore[arg-type]  # numbers: the types were checked on loading
        return compare(a, b)

    return comparison
