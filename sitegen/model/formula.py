"""The KPI formula language: names, numbers, ``+ - * / ( )``, ``start(metric)``, ``avg(metric)``.

Formulas are tokenised and parsed by a small recursive-descent parser into an AST that is
evaluated by walking it; nothing is ever handed to ``eval``. Evaluation follows the KPI rules
of kpis.md: a missing input or a division by zero gives ``None`` (no value), never an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sitegen.errors import FormulaError

# Bounds keep hostile formulas from exhausting the parser's recursion or the CPU.
MAX_LENGTH = 1000
MAX_DEPTH = 40

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[-+*/()])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Name:
    """A metric or KPI name; ``pos`` is its offset in the formula text."""

    name: str
    pos: int


@dataclass(frozen=True)
class Start:
    """``start(metric)``: a stock's value at the start of the period."""

    name: str
    pos: int


@dataclass(frozen=True)
class Avg:
    """``avg(metric)``: a stock's average daily value over the period."""

    name: str
    pos: int


# The functions a formula may call, each taking one metric name.
FUNCTIONS = ("start", "avg")


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Node


@dataclass(frozen=True)
class BinOp:
    """A binary operation: one of ``+ - * /``."""

    op: str
    left: Node
    right: Node


Node = Num | Name | Start | Avg | Neg | BinOp


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _caret(text: str, pos: int) -> str:
    return f"{text}\n{' ' * pos}^"


class _Parser:
    def __init__(self, text: str, where: str | None) -> None:
        self.text = text
        self.where = where
        self.tokens = list(self._tokenise())
        self.i = 0
        self.depth = 0

    def error(self, message: str, pos: int, hint: str | None = None) -> FormulaError:
        return FormulaError(message, key=self.where, detail=_caret(self.text, pos), hint=hint)

    def _tokenise(self) -> Iterator[_Tok]:
        pos = 0
        while pos < len(self.text):
            m = _TOKEN.match(self.text, pos)
            if m is None:
                raise self.error(
                    f"unexpected character {self.text[pos]!r} in formula",
                    pos,
                    "formulas use metric and KPI names, numbers, + - * / ( ), start(metric)"
                    " and avg(metric)",
                )
            kind = m.lastgroup or ""
            if kind != "ws":
                yield _Tok(kind, m.group(), pos)
            pos = m.end()
        yield _Tok("end", "", len(self.text))

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def advance(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> _Tok:
        if self.tok.text != text:
            found = repr(self.tok.text) if self.tok.kind != "end" else "the end of the formula"
            raise self.error(f"expected {text!r}, found {found}", self.tok.pos)
        return self.advance()

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error("the formula is empty", 0)
        node = self.expr()
        if self.tok.kind != "end":
            raise self.error(
                f"unexpected {self.tok.text!r}", self.tok.pos, "is an operator missing here?"
            )
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.tok.text in ("+", "-"):
            op = self.advance().text
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.text in ("*", "/"):
            op = self.advance().text
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.tok.text in ("-", "+"):
            op = self.advance().text
            self._enter()
            operand = self.unary()
            self.depth -= 1
            return Neg(operand) if op == "-" else operand
        return self.atom()

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the formula is nested deeper than {MAX_DEPTH} levels", self.tok.pos)

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            value = float(tok.text)
            if not math.isfinite(value):
                raise self.error("the number is too large", tok.pos)
            return Num(value)
        if tok.kind == "name":
            self.advance()
            if self.tok.text == "(":
                if tok.text not in FUNCTIONS:
                    raise self.error(
                        f"unknown function {tok.text!r}",
                        tok.pos,
                        "the functions are start(metric) and avg(metric)",
                    )
                self.advance()
                arg = self.tok
                if arg.kind != "name":
                    raise self.error(f"{tok.text}() takes one metric name", arg.pos)
                self.advance()
                self.expect(")")
                return (Start if tok.text == "start" else Avg)(arg.text, arg.pos)
            return Name(tok.text, tok.pos)
        if tok.text == "(":
            self.advance()
            self._enter()
            node = self.expr()
            self.depth -= 1
            self.expect(")")
            return node
        found = repr(tok.text) if tok.kind != "end" else "the end of the formula"
        raise self.error(f"expected a name, a number or '(', found {found}", tok.pos)


@dataclass(frozen=True)
class Formula:
    """A parsed formula with its source text."""

    text: str
    root: Node

    def names(self) -> list[str]:
        """Return the names the formula reads, in order of first use (function args included)."""
        seen: dict[str, None] = {}
        for node in _walk(self.root):
            if isinstance(node, Name | Start | Avg):
                seen.setdefault(node.name, None)
        return list(seen)

    def is_sum(self) -> bool:
        """Return True when the formula only adds and subtracts names (no * / or numbers)."""
        return all(
            isinstance(n, Name) or (isinstance(n, BinOp) and n.op in "+-") or isinstance(n, Neg)
            for n in _walk(self.root)
        )

    def start_names(self) -> list[str]:
        """Return the names used inside start()."""
        return sorted({n.name for n in _walk(self.root) if isinstance(n, Start)})

    def avg_names(self) -> list[str]:
        """Return the names used inside avg()."""
        return sorted({n.name for n in _walk(self.root) if isinstance(n, Avg)})

    def check_names(self, known: set[str], where: str | None = None) -> None:
        """Raise FormulaError with a caret under the first name not in known."""
        for node in _walk(self.root):
            if isinstance(node, Name | Start | Avg) and node.name not in known:
                import difflib

                close = difflib.get_close_matches(node.name, sorted(known), n=3)
                hint = "known names: " + ", ".join(sorted(known))
                if close:
                    hint = f"did you mean {' or '.join(close)}? " + hint
                raise FormulaError(
                    f"unknown name {node.name!r} in formula",
                    key=where,
                    detail=_caret(self.text, node.pos),
                    hint=hint,
                )

    def evaluate(
        self,
        value: Callable[[str], float | None],
        start: Callable[[str], float | None],
        avg: Callable[[str], float | None] | None = None,
    ) -> float | None:
        """Evaluate with value, start and avg by name; None on a missing input or 0 divisor."""
        return _eval(self.root, value, start, avg or (lambda _n: None))


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, BinOp):
        yield from _walk(node.left)
        yield from _walk(node.right)
    elif isinstance(node, Neg):
        yield from _walk(node.operand)


def _eval(
    node: Node,
    value: Callable[[str], float | None],
    start: Callable[[str], float | None],
    avg: Callable[[str], float | None],
) -> float | None:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return value(node.name)
    if isinstance(node, Start):
        return start(node.name)
    if isinstance(node, Avg):
        return avg(node.name)
    if isinstance(node, Neg):
        v = _eval(node.operand, value, start, avg)
        return None if v is None else -v
    left = _eval(node.left, value, start, avg)
    right = _eval(node.right, value, start, avg)
    if left is None or right is None:
        return None
    if node.op == "+":
        result = left + right
    elif node.op == "-":
        result = left - right
    elif node.op == "*":
        result = left * right
    else:
        if right == 0:
            return None
        result = left / right
    return result if math.isfinite(result) else None


def parse(text: str, where: str | None = None) -> Formula:
    """Parse a formula; raise FormulaError showing the formula with a caret under the fault."""
    if not isinstance(text, str):
        raise FormulaError("a formula must be a string", key=where, found=repr(text))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is longer than {MAX_LENGTH} characters", key=where, found=f"{len(text)}"
        )
    return Formula(text, _Parser(text, where).parse())
