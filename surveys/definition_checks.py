"""Checks every loaded definition must pass, whatever file format it came from.

The checks name *what* is wrong (a field's attribute, a rule); each loader turns that subject
into a file location (a YAML line and key, an XLSForm row and column).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from surveys.messages import N_, Message
from surveys.model import CHOICE_TYPES, NUMBER_TYPES, Field, FieldType, SurveyDefinition
from surveys.signification import signification_issues

# Columns of the activity import; a field with one of these names would clash with them.
RESERVED_NAMES = frozenset({"initiatief", "maand", "initiative", "month"})
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
CHOICE_VALUE = re.compile(r"[^\s,;]+")
DEFINITION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


@dataclass(frozen=True)
class Issue:
    """A problem before it has a location: ``kind`` is "definition", "field" or "rule",
    ``index`` counts fields or rules from 0, ``attribute`` names the part (``min``, ``choices``)."""

    kind: str
    index: int | None
    attribute: str
    message: Message


def definition_issues(definition: SurveyDefinition) -> list[Issue]:
    """All problems with the definition's identity, fields and rules."""
    return [*_identity_issues(definition), *_field_issues(definition), *_rule_issues(definition)]


def _identity_issues(definition: SurveyDefinition) -> Iterator[Issue]:
    if not DEFINITION_ID.fullmatch(definition.id):
        yield Issue(
            "definition",
            None,
            "id",
            Message(
                N_("Invalid id '%(id)s': use letters, digits, '_', '-' or '.'."),
                {"id": definition.id},
            ),
        )
    if not definition.version.strip():
        yield Issue("definition", None, "version", Message(N_("The version is empty.")))
    if not definition.value_fields:
        yield Issue("definition", None, "fields", Message(N_("The definition has no questions.")))


def _field_issues(definition: SurveyDefinition) -> Iterator[Issue]:
    first_index: dict[str, int] = {}
    for index, field in enumerate(definition.fields):
        issue = partial(_field_issue, index)
        if not FIELD_NAME.fullmatch(field.name):
            yield issue(
                "name",
                N_(
                    "Invalid name '%(name)s': use letters, digits, '_' and '-', not starting with a digit."
                ),
                {"name": field.name},
            )
        elif field.name.lower() in RESERVED_NAMES:
            yield issue(
                "name",
                N_("The name '%(name)s' is reserved for a column of the activity import."),
                {"name": field.name},
            )
        if field.name in first_index:
            yield issue(
                "name",
                N_("Duplicate name '%(name)s'; names must be unique within a definition."),
                {"name": field.name},
            )
        first_index.setdefault(field.name, index)
        if field.type is not FieldType.CALCULATE and not any(
            t.strip() for t in field.label.values()
        ):
            yield issue("label", N_("A label is required (in Dutch, English or both)."))
        yield from _bound_issues(field, issue)
        yield from _choice_issues(field, issue)
        yield from signification_issues(field, issue)


def _field_issue(index: int, attribute: str, msgid: str, params: dict | None = None) -> Issue:
    return Issue("field", index, attribute, Message(msgid, params or {}))


def _bound_issues(field: Field, issue: Callable[..., Issue]) -> Iterator[Issue]:
    if field.type not in NUMBER_TYPES and (field.min is not None or field.max is not None):
        yield issue(
            "min" if field.min is not None else "max",
            N_("min and max only apply to integer and decimal questions."),
        )
    if field.min is not None and field.max is not None and field.min > field.max:
        yield issue(
            "min",
            N_("min (%(min)s) is greater than max (%(max)s)."),
            {"min": field.min, "max": field.max},
        )
    if field.max_length is not None and field.type is not FieldType.TEXT:
        yield issue("max_length", N_("max_length only applies to text questions."))
    if field.max_length is not None and field.max_length < 1:
        yield issue("max_length", N_("max_length must be at least 1."))
    if field.decimals is not None and field.type is not FieldType.DECIMAL:
        yield issue("decimals", N_("decimals only applies to decimal questions."))
    if field.required and not field.has_value:
        yield issue("required", N_("A note shows text only and cannot be required."))


def _choice_issues(field: Field, issue: Callable[..., Issue]) -> Iterator[Issue]:
    if field.type in CHOICE_TYPES and not field.choices:
        yield issue("choices", N_("A choice question needs at least one choice."))
    # a before/after question may relabel its four fixed answers (checked in signification)
    if field.type not in CHOICE_TYPES | {FieldType.BEFORE_AFTER} and field.choices:
        yield issue("choices", N_("Only choice questions can have choices."))
    seen: set[str] = set()
    for choice in field.choices:
        if not CHOICE_VALUE.fullmatch(choice.value):
            yield issue(
                "choices",
                N_("Invalid choice value '%(value)s': no spaces, commas or semicolons."),
                {"value": choice.value},
            )
        if choice.value in seen and field.choice_filter is None:
            yield issue(
                "choices", N_("Duplicate choice value '%(value)s'."), {"value": choice.value}
            )
        seen.add(choice.value)


def _rule_issues(definition: SurveyDefinition) -> Iterator[Issue]:
    fields = definition.fields_by_name()
    for index, rule in enumerate(definition.rules):
        for name in filter(None, (rule.field, rule.other_field)):
            field = fields.get(name)
            if field is None:
                yield Issue(
                    "rule",
                    index,
                    "check",
                    Message(N_("The rule refers to an unknown field '%(name)s'."), {"name": name}),
                )
            elif field.type not in NUMBER_TYPES:
                yield Issue(
                    "rule",
                    index,
                    "check",
                    Message(
                        N_("Rules compare numbers, but '%(name)s' is a '%(type)s' question."),
                        {"name": name, "type": str(field.type)},
                    ),
                )
        if rule.field == rule.other_field:
            yield Issue(
                "rule",
                index,
                "check",
                Message(N_("The rule compares '%(name)s' with itself."), {"name": rule.field}),
            )
