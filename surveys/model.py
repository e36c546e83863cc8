"""The survey definition as plain, immutable data: what the loaders build and the validator reads."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from surveys.messages import LocalizedText, pick_text

Number = int | Decimal


class FieldType(StrEnum):
    """The kinds of question a definition can hold."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    MONTH = "month"
    DATE = "date"
    NOTE = "note"
    # Self-signification: the resident's own reading of a story (see surveys/signification.py).
    SLIDER = "slider"
    TRIAD = "triad"
    BEFORE_AFTER = "before_after"
    PHONE = "phone"
    TIME = "time"
    DATETIME = "datetime"
    CALCULATE = "calculate"


NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})
CHOICE_TYPES = frozenset({FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE})
SIGNIFICATION_TYPES = frozenset({FieldType.SLIDER, FieldType.TRIAD, FieldType.BEFORE_AFTER})

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True)
class Expression:
    """An XLSForm expression as written (``text``) and parsed (``tree``, see ``logic_parser``)."""

    text: str
    tree: list[Any] = field(hash=False)


@dataclass(frozen=True)
class Choice:
    """One option of a single or multiple choice field; ``columns`` holds the choices sheet's
    other columns (what a ``choice_filter`` such as ``wijk = ${wijk}`` reads)."""

    value: str
    label: LocalizedText
    # Only for a triad corner: the model theme it stands for, so reports can compare readings.
    theme: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict, hash=False)

    def label_for(self, lang: str | None = None) -> str:
        """The label in ``lang``, falling back to another language, then the value."""
        return pick_text(self.label, lang) or self.value


@dataclass(frozen=True)
class Field:
    """One question. ``min``/``max`` bound numbers; ``decimals`` caps digits after the comma."""

    name: str
    type: FieldType
    label: LocalizedText
    help: LocalizedText = field(default_factory=dict)
    required: bool = False
    min: Number | None = None
    max: Number | None = None
    decimals: int | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    constraint_message: LocalizedText | None = None
    # A slider's two poles (left, right) and a triad's three corners; value + label like choices.
    poles: tuple[Choice, ...] = ()
    corners: tuple[Choice, ...] = ()
    relevant: Expression | None = None
    constraint: Expression | None = None
    required_if: Expression | None = None
    choice_filter: Expression | None = None
    calculation: Expression | None = None
    required_message: LocalizedText | None = None

    @property
    def has_value(self) -> bool:
        """False for notes, which show text but collect nothing."""
        return self.type is not FieldType.NOTE

    @property
    def is_asked(self) -> bool:
        """False for notes and calculations: nobody types an answer to them."""
        return self.type not in (FieldType.NOTE, FieldType.CALCULATE)

    @property
    def has_logic(self) -> bool:
        """Whether the form needs ``survey-logic.js`` for this field."""
        return any(
            (self.relevant, self.constraint, self.required_if, self.choice_filter, self.calculation)
        )

    def label_for(self, lang: str | None = None) -> str:
        """The label in ``lang``, falling back to another language, then the name."""
        return pick_text(self.label, lang) or self.name

    def help_for(self, lang: str | None = None) -> str:
        """The help text in ``lang`` (or another language), empty when there is none."""
        return pick_text(self.help, lang)

    def choice(self, value: str) -> Choice | None:
        """The choice with this exact value, if any."""
        return next((choice for choice in self.choices if choice.value == value), None)


@dataclass(frozen=True)
class Rule:
    """A cross-field check: ``field <op> other_field`` or ``field <op> value``.

    The rule is skipped while either side is empty; its error is reported on ``field``.
    """

    field: str
    op: str
    other_field: str | None = None
    value: Number | None = None
    message: LocalizedText | None = None

    def holds(self, left: Any, right: Any) -> bool:
        """Whether the comparison is true for these two values."""
        return COMPARISONS[self.op](left, right)

    @property
    def expression(self) -> str:
        """The rule written out, e.g. ``unieke_deelnemers <= bezoeken``."""
        right = self.other_field if self.other_field is not None else str(self.value)
        return f"{self.field} {self.op} {right}"


@dataclass(frozen=True)
class SurveyDefinition:
    """A whole survey: identity, version, title and its fields in order, plus rules."""

    id: str
    version: str
    title: LocalizedText
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    default_language: str = "nl"
    description: LocalizedText = field(default_factory=dict)
    source: str | None = None

    def title_for(self, lang: str | None = None) -> str:
        """The title in ``lang``, falling back to another language, then the id."""
        return pick_text(self.title, lang) or self.id

    def field(self, name: str) -> Field:
        """The field called ``name``; KeyError when there is none."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def value_fields(self) -> tuple[Field, ...]:
        """The fields that collect a value (everything except notes), in order."""
        return tuple(candidate for candidate in self.fields if candidate.has_value)

    @property
    def input_fields(self) -> tuple[Field, ...]:
        """The fields a person answers (no notes, no calculations), in order."""
        return tuple(candidate for candidate in self.fields if candidate.is_asked)

    @property
    def has_logic(self) -> bool:
        """Whether any field has skip logic, expression checks, filters or calculations."""
        return any(candidate.has_logic for candidate in self.fields)

    def fields_by_name(self) -> Mapping[str, Field]:
        """Fields keyed by name."""
        return {candidate.name: candidate for candidate in self.fields}
