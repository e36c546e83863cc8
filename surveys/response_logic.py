"""Apply a definition's logic to parsed answers: skip logic (``relevant``), required answers
(also ``required`` expressions), choice filters, expression constraints and calculations.

Fields are visited in form order, so a question hidden by skip logic counts as empty for the
questions after it, as in ODK and Enketo. ``webapp/static/survey-logic.js`` shows the same
logic live in the browser; this module decides.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from surveys.logic_eval import Context, evaluate, holds, to_string
from surveys.messages import N_, Message
from surveys.model import Choice, Field, FieldType, SurveyDefinition

REQUIRED_MESSAGE = N_("This field is required.")
REQUIRED_CHOICE_MESSAGE = N_("Choose at least one option.")


def apply_logic(
    definition: SurveyDefinition, values: dict[str, Any], errors: dict[str, list[Message]]
) -> None:
    """Update ``values`` and ``errors`` (as parsed per field) with the definition's logic."""
    for item in definition.value_fields:
        if not is_relevant(item, values):
            values[item.name] = None
            errors.pop(item.name, None)
            continue
        if item.type is FieldType.CALCULATE:
            values[item.name] = calculated_value(item, values)
            continue
        if item.name in errors:
            continue
        message = _answer_problem(item, values)
        if message is not None:
            errors.setdefault(item.name, []).append(message)


def is_relevant(item: Field, values: dict[str, Any]) -> bool:
    """Whether the question is shown, given the answers so far."""
    return item.relevant is None or holds(item.relevant.tree, Context(values))


def is_required(item: Field, values: dict[str, Any]) -> bool:
    """Whether an answer is needed: ``required`` yes, or its expression holds."""
    if item.required:
        return True
    return item.required_if is not None and holds(item.required_if.tree, Context(values))


def allowed_choices(item: Field, values: dict[str, Any]) -> tuple[Choice, ...]:
    """The choices the ``choice_filter`` lets through for these answers (all without a filter)."""
    if item.choice_filter is None:
        return item.choices
    return tuple(
        choice
        for choice in item.choices
        if holds(item.choice_filter.tree, Context(values, columns=choice_columns(choice)))
    )


def choice_columns(choice: Choice) -> dict[str, str]:
    """What a choice filter's bare names read: the choice's columns, ``name`` and ``label``."""
    return {"name": choice.value, "label": choice.label_for(), **choice.columns}


def calculated_value(item: Field, values: dict[str, Any]) -> Any:
    """The calculation's result as a stored value: int, Decimal, text, or None when empty."""
    assert item.calculation is not None
    result = evaluate(item.calculation.tree, Context(values))
    if isinstance(result, float):
        if math.isnan(result) or math.isinf(result):
            return None
        return int(result) if result.is_integer() else Decimal(repr(result))
    text = to_string(result)
    return text or None


def _answer_problem(item: Field, values: dict[str, Any]) -> Message | None:
    value = values.get(item.name)
    if value in (None, "", []):
        if not is_required(item, values):
            return None
        msgid = (
            REQUIRED_CHOICE_MESSAGE if item.type is FieldType.SELECT_MULTIPLE else REQUIRED_MESSAGE
        )
        return Message(msgid, {}, item.required_message)
    if item.choice_filter is not None:
        allowed = {choice.value for choice in allowed_choices(item, values)}
        chosen = value if isinstance(value, list) else [value]
        refused = [choice for choice in chosen if choice not in allowed]
        if refused:
            return Message(
                N_("The option '%(value)s' does not fit the earlier answers."),
                {"value": ", ".join(refused)},
            )
    if item.constraint is not None:
        if not holds(item.constraint.tree, Context(values, current=value)):
            return Message(
                N_("This answer does not meet the condition: %(expression)s"),
                {"expression": item.constraint.text},
                item.constraint_message,
            )
    return None
