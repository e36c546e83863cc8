"""Turn an XLSForm ``constraint`` into a field's min/max/max_length and cross-field rules.

Bounds become attributes (so a web form can show them and the validator words them plainly);
what cannot be a bound, such as ``. <= ${bezoeken}``, becomes a Rule on the field.
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

from surveys.expressions import Comparison, parse_constraint
from surveys.messages import N_, Message
from surveys.model import NUMBER_TYPES, Field, FieldType, Rule


class ConstraintError(ValueError):
    """The constraint is outside the supported subset; ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def fold_constraint(field: Field, text: str) -> tuple[Field, list[Rule]]:
    """Return the field with the constraint's bounds applied, and the rules it adds."""
    try:
        comparisons = parse_constraint(text, field.name)
    except ValueError:
        raise ConstraintError(
            Message(
                N_(
                    "Unsupported constraint '%(expression)s'; use comparisons such as "
                    "'. >= 0' or '. <= ${other}', joined with 'and'."
                ),
                {"expression": text},
            )
        ) from None
    rules = []
    for comparison in comparisons:
        folded = _fold(field, comparison)
        if folded is None:
            raise ConstraintError(
                Message(
                    N_("The constraint '%(expression)s' does not fit a '%(type)s' question."),
                    {"expression": text, "type": str(field.type)},
                )
            )
        if isinstance(folded, Rule):
            rules.append(folded)
        else:
            field = folded
    return field, rules


def _fold(field: Field, comparison: Comparison) -> Field | Rule | None:
    if comparison.length:
        if field.type is not FieldType.TEXT or comparison.op not in ("<=", "<"):
            return None
        if not isinstance(comparison.value, int):
            return None
        limit = comparison.value - (comparison.op == "<")
        return replace(field, max_length=min(limit, field.max_length or limit))
    if field.type not in NUMBER_TYPES:
        return None
    bound = _bound(field.type, comparison)
    if bound is None:
        return Rule(
            field.name,
            comparison.op,
            comparison.other_field,
            comparison.value,
            field.constraint_message,
        )
    attribute, value = bound
    current = getattr(field, attribute)
    if current is not None:
        value = max(value, current) if attribute == "min" else min(value, current)
    return replace(field, **{attribute: value})


def _bound(field_type: FieldType, comparison: Comparison) -> tuple[str, int | Decimal] | None:
    """``. >= 0`` -> ("min", 0); for whole numbers also ``. > 0`` -> ("min", 1)."""
    value, op = comparison.value, comparison.op
    if value is None or op in ("=", "!="):
        return None
    if field_type is FieldType.INTEGER:
        if op in (">=", ">"):
            return "min", math.floor(value) + 1 if op == ">" else math.ceil(value)
        return "max", math.ceil(value) - 1 if op == "<" else math.floor(value)
    if op in (">=", "<="):
        return ("min" if op == ">=" else "max"), Decimal(value)
    return None
