"""Evaluate parsed XLSForm expressions (see ``logic_parser``) the way XPath 1.0 does, simplified.

Values are strings, numbers (float) and booleans. An empty answer is the empty string, a
multiple choice answer its values joined by spaces, as in an XForm instance. ``=`` and ``!=``
compare as booleans if one side is a boolean, as numbers if one side is a number, else as text;
``<``, ``>`` always compare numbers, and anything that is not a number (an empty answer) makes
them false. ``webapp/static/survey-logic.js`` mirrors these rules for the browser.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from surveys.logic_parser import Node

XPathValue = str | float | bool


@dataclass(frozen=True)
class Context:
    """What names mean while evaluating: answers by field name, this question's answer (``.``),
    and, in a choice filter, the choice's columns."""

    values: Mapping[str, Any]
    current: Any = None
    columns: Mapping[str, str] = field(default_factory=dict)
    today: dt.date | None = None  # what today() returns; the caller's clock


def as_xpath_value(value: Any) -> XPathValue:
    """A typed answer as an XForm would hold it: '' for empty, numbers as float, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool | float | str):
        return value
    if isinstance(value, int | Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def evaluate(node: Node, context: Context) -> XPathValue:
    """The value of ``node`` in ``context``."""
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "ref":
        return as_xpath_value(context.values.get(node[1]))
    if kind == "self":
        return as_xpath_value(context.current)
    if kind == "col":
        return context.columns.get(node[1], "")
    if kind == "neg":
        return -to_number(evaluate(node[1], context))
    if kind == "op":
        return _operator(node[1], node[2], node[3], context)
    return _FUNCTIONS[node[1]]([evaluate(arg, context) for arg in node[2]], context)


def holds(node: Node, context: Context) -> bool:
    """Whether the expression is true in ``context``."""
    return to_boolean(evaluate(node, context))


_EPOCH = dt.date(1970, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_number(value: XPathValue) -> float:
    """XPath's number(): '' and other text -> NaN; an ISO date -> days since 1970-01-01,
    so dates compare with ``<`` and subtract, as in ODK."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return float((dt.date.fromisoformat(text) - _EPOCH).days)
        except ValueError:
            return math.nan
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        return math.nan
    return float(text)


def to_boolean(value: XPathValue) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def to_string(value: XPathValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return value


def _operator(op: str, left_node: Node, right_node: Node, context: Context) -> XPathValue:
    left = evaluate(left_node, context)
    if op == "and":
        return to_boolean(left) and holds(right_node, context)
    if op == "or":
        return to_boolean(left) or holds(right_node, context)
    right = evaluate(right_node, context)
    if op in ("=", "!="):
        return _equal(left, right) == (op == "=")
    a, b = to_number(left), to_number(right)
    if op in ("<", "<=", ">", ">="):
        if math.isnan(a) or math.isnan(b):
            return False
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(a) or math.isnan(b):
        return math.nan if op == "mod" or a == 0 or math.isnan(a) else math.copysign(math.inf, a)
    return a / b if op == "div" else math.fmod(a, b)


def _equal(left: XPathValue, right: XPathValue) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


def _as_date(value: XPathValue) -> XPathValue:
    """date(): a number of days since 1970 or an ISO date as an ISO date text."""
    if isinstance(value, float) and not math.isnan(value):
        return (_EPOCH + dt.timedelta(days=int(value))).isoformat()
    text = to_string(value).strip()[:10]
    return text if _ISO_DATE.fullmatch(text) else ""


def _selected(args: list[XPathValue], _context: Context) -> bool:
    return to_string(args[1]).strip() in to_string(args[0]).split()


def _string_length(args: list[XPathValue], context: Context) -> float:
    text = to_string(args[0]) if args else to_string(as_xpath_value(context.current))
    return float(len(text))


def _regex(args: list[XPathValue], _context: Context) -> bool:
    try:
        return re.search(to_string(args[1]), to_string(args[0])) is not None
    except re.error:
        return False


def _round(args: list[XPathValue], _context: Context) -> float:
    number = to_number(args[0])
    digits = int(to_number(args[1])) if len(args) > 1 else 0
    if math.isnan(number) or math.isinf(number):
        return number
    factor = 10.0**digits
    return math.floor(number * factor + 0.5) / factor  # XPath rounds halves up


def _substr(args: list[XPathValue], _context: Context) -> str:
    text = to_string(args[0])
    start = max(0, int(to_number(args[1])))
    end = int(to_number(args[2])) if len(args) > 2 else len(text)
    return text[start:end]


def _number_or_nan(function: Callable[[float], float]) -> Callable:
    def apply(args: list[XPathValue], _context: Context) -> float:
        number = to_number(args[0])
        return number if math.isnan(number) or math.isinf(number) else float(function(number))

    return apply


def _extreme(pick: Callable) -> Callable:
    def apply(args: list[XPathValue], _context: Context) -> float:
        numbers = [to_number(arg) for arg in args]
        return math.nan if any(math.isnan(n) for n in numbers) else pick(numbers)

    return apply


_FUNCTIONS: dict[str, Callable[[list[XPathValue], Context], XPathValue]] = {
    "selected": _selected,
    "count-selected": lambda args, _c: float(len(to_string(args[0]).split())),
    "string-length": _string_length,
    "regex": _regex,
    "not": lambda args, _c: not to_boolean(args[0]),
    "true": lambda _args, _c: True,
    "false": lambda _args, _c: False,
    "if": lambda args, _c: args[1] if to_boolean(args[0]) else args[2],
    "concat": lambda args, _c: "".join(to_string(arg) for arg in args),
    "number": lambda args, _c: to_number(args[0]),
    "int": _number_or_nan(math.trunc),
    "string": lambda args, _c: to_string(args[0]),
    "boolean": lambda args, _c: to_boolean(args[0]),
    "round": _round,
    "floor": _number_or_nan(math.floor),
    "ceiling": _number_or_nan(math.ceil),
    "abs": _number_or_nan(abs),
    "contains": lambda args, _c: to_string(args[1]) in to_string(args[0]),
    "starts-with": lambda args, _c: to_string(args[0]).startswith(to_string(args[1])),
    "ends-with": lambda args, _c: to_string(args[0]).endswith(to_string(args[1])),
    "coalesce": lambda args, _c: args[0] if to_string(args[0]) != "" else args[1],
    "normalize-space": lambda args, c: " ".join(
        to_string(args[0] if args else as_xpath_value(c.current)).split()
    ),
    "substr": _substr,
    "min": _extreme(min),
    "max": _extreme(max),
    "today": lambda _args, c: (c.today or dt.date.today()).isoformat(),
    "date": lambda args, _c: _as_date(args[0]),
}
