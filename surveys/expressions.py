"""Parse the small comparison language of definitions: ``a <= b`` rules and XLSForm constraints.

Only comparisons are supported, never arithmetic or functions (apart from ``string-length(.)``),
so a definition stays something a municipality can read and the validator can explain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from surveys.model import COMPARISONS, Number

_OPERATORS = "|".join(re.escape(op) for op in sorted([*COMPARISONS, "=="], key=len, reverse=True))
_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"
_RULE = re.compile(rf"^\s*({_NAME})\s*({_OPERATORS})\s*({_NAME}|{_NUMBER})\s*$")

_OPERAND = rf"\.|\$\{{\s*{_NAME}\s*\}}|{_NUMBER}|string-length\(\s*\.\s*\)"
_CONSTRAINT_PART = re.compile(rf"^\s*({_OPERAND})\s*({_OPERATORS})\s*({_OPERAND})\s*$")
_AND = re.compile(r"\s+and\s+")
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def parse_number(text: str) -> Number:
    """Turn ``12``, ``-3`` or ``12.5``/``12,5`` into an int or a Decimal; ValueError otherwise."""
    cleaned = text.strip().replace(",", ".")
    if re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or not re.fullmatch(_NUMBER, cleaned):
        raise ValueError(text)
    return value


@dataclass(frozen=True)
class Comparison:
    """``subject <op> other`` where the subject is a field (or its length) and ``other`` a
    field name or a number."""

    subject: str
    op: str
    other_field: str | None = None
    value: Number | None = None
    length: bool = False


def parse_rule(text: str) -> Comparison:
    """Parse a definition rule such as ``unieke_deelnemers <= bezoeken`` or ``x >= 0``.

    ValueError when the text is not one comparison with a field name on the left.
    """
    match = _RULE.match(text)
    if not match:
        raise ValueError(text)
    left, op, right = match.groups()
    op = "=" if op == "==" else op
    if re.fullmatch(_NUMBER, right):
        return Comparison(left, op, value=parse_number(right))
    return Comparison(left, op, other_field=right)


def parse_constraint(text: str, field_name: str) -> list[Comparison]:
    """Parse an XLSForm constraint like ``(. >= 0) and (. <= ${bezoeken})`` for ``field_name``.

    Each part must compare ``.`` (or ``string-length(.)``) with a number or ``${field}``; parts
    may be joined with ``and``. ValueError for anything else (``or``, functions, arithmetic).
    """
    body = _strip_parentheses(text)
    comparisons = []
    for part in _AND.split(body):
        match = _CONSTRAINT_PART.match(_strip_parentheses(part))
        if not match:
            raise ValueError(text)
        left, op, right = match.groups()
        op = "=" if op == "==" else op
        if not _is_self(left):
            left, right, op = right, left, _FLIPPED[op]
        if not _is_self(left) or _is_self(right):
            raise ValueError(text)
        comparisons.append(_comparison_from(field_name, left, op, right))
    return comparisons


def _comparison_from(field_name: str, left: str, op: str, right: str) -> Comparison:
    length = left.startswith("string-length")
    if right.startswith("${"):
        return Comparison(field_name, op, other_field=right[2:-1].strip(), length=length)
    return Comparison(field_name, op, value=parse_number(right), length=length)


def _is_self(operand: str) -> bool:
    return operand == "." or operand.startswith("string-length")


def _strip_parentheses(text: str) -> str:
    """Remove parentheses that wrap the whole text, e.g. ``((. > 0))`` -> ``. > 0``."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _wraps_whole(text):
        text = text[1:-1].strip()
    return text


def _wraps_whole(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True
