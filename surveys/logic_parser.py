"""Parse the XLSForm expressions of ``relevant``, ``constraint``, ``calculation``, ``required`` and
``choice_filter`` into a small tree of JSON-ready lists.

The supported subset is what forms written by other tools use day to day: comparisons,
``and``/``or``/``not()``, arithmetic, ``${field}`` references, ``.`` (this question), bare names
(choice columns in a ``choice_filter``) and the functions in ``FUNCTIONS``. The tree is plain
lists so the server (``logic_eval``) and the browser (``webapp/static/survey-logic.js``) evaluate
the very same parse: the expression language is parsed once, in one place.

Node shapes: ``["num", 3.0]``, ``["str", "x"]``, ``["ref", "name"]``, ``["self"]``,
``["col", "name"]``, ``["op", "and", a, b]`` (also ``or``, ``=``, ``!=``, ``<``, ``<=``, ``>``,
``>=``, ``+``, ``-``, ``*``, ``div``, ``mod``), ``["neg", a]``, ``["call", "name", [args…]]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from surveys.messages import N_, Message

Node = list[Any]

# name -> (fewest, most) arguments; None = any number.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (0, 1),
    "regex": (2, 2),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "if": (3, 3),
    "concat": (1, None),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "boolean": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "coalesce": (2, 2),
    "normalize-space": (0, 1),
    "substr": (2, 3),
    "min": (1, None),
    "max": (1, None),
    "today": (0, 0),
    "date": (1, 1),
}
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d*)?|\.\d+)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<ref>\$\{\s*[A-Za-z_][\w.\-]*\s*\})
    | (?P<op>!=|<=|>=|==|=|<|>|\+|-|\*|\(|\)|,|\.)
    | (?P<name>[A-Za-z_][\w\-]*(?:::?[A-Za-z_][\w\-]*)?)
    )""",
    re.VERBOSE,
)
_WORD_OPERATORS = ("and", "or", "div", "mod")
_LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))


class ExpressionError(ValueError):
    """The expression is outside the supported subset or malformed; ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def parse_expression(text: str, *, allow_columns: bool = False) -> Node:
    """Parse ``text`` into a node tree; ExpressionError naming what is not supported.

    ``allow_columns`` lets bare names stand for columns of the choices sheet (choice filters).
    """
    parser = _Parser(_tokenize(text), text, allow_columns)
    node = parser.expression(0)
    if parser.peek() is not None:
        parser.fail(N_("Unexpected '%(token)s' in '%(expression)s'."), parser.peek().text)
    return node


def references(node: Node) -> set[str]:
    """The field names a tree refers to with ``${name}``."""
    if node[0] == "ref":
        return {node[1]}
    children = node[2] if node[0] == "call" else [p for p in node[1:] if isinstance(p, list)]
    found: set[str] = set()
    for child in children:
        found |= references(child)
    return found


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            rest = stripped[position:].strip()
            raise ExpressionError(
                Message(
                    N_("Unsupported part '%(token)s' in the expression '%(expression)s'."),
                    {"token": rest[:20], "expression": text},
                )
            )
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value in _WORD_OPERATORS:
            kind = "op"
        tokens.append(_Token(kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], text: str, allow_columns: bool) -> None:
        self.tokens = tokens
        self.index = 0
        self.text = text
        self.allow_columns = allow_columns

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            self.fail(N_("The expression '%(expression)s' ends too early."))
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            self.fail(N_("Unexpected '%(token)s' in '%(expression)s'."), token.text)

    def fail(self, msgid: str, token: str = "") -> None:
        raise ExpressionError(Message(msgid, {"expression": self.text, "token": token}))

    def expression(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        node = self.expression(level + 1)
        while (token := self.peek()) is not None and token.kind == "op":
            op = "=" if token.text == "==" else token.text
            if op not in _LEVELS[level]:
                break
            self.index += 1
            node = ["op", op, node, self.expression(level + 1)]
        return node

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.text == "-":
            self.index += 1
            return ["neg", self.unary()]
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return ["num", float(token.text)]
        if token.kind == "str":
            return ["str", token.text[1:-1]]
        if token.kind == "ref":
            return ["ref", token.text[2:-1].strip()]
        if token.text == ".":
            return ["self"]
        if token.text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        if token.kind == "name":
            following = self.peek()
            if following is not None and following.text == "(":
                return self.call(token.text)
            if self.allow_columns:
                return ["col", token.text]
            self.fail(
                N_("Write other questions as ${name}; '%(token)s' in '%(expression)s' is not."),
                token.text,
            )
        self.fail(N_("Unexpected '%(token)s' in '%(expression)s'."), token.text)
        raise AssertionError  # fail() always raises

    def call(self, name: str) -> Node:
        self.expect("(")
        args: list[Node] = []
        if self.peek() is not None and self.peek().text == ")":
            self.index += 1
        else:
            args.append(self.expression(0))
            while self.take().text == ",":
                args.append(self.expression(0))
            if self.tokens[self.index - 1].text != ")":
                self.fail(N_("Unexpected '%(token)s' in '%(expression)s'."), ")")
        if name not in FUNCTIONS:
            self.fail(N_("The function %(token)s() is not supported (in '%(expression)s')."), name)
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            self.fail(N_("%(token)s() gets the wrong number of values in '%(expression)s'."), name)
        return ["call", name, args]
