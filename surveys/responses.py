"""Validate one response (a web form post, a CSV row) against a survey definition.

The web form, the CSV/XLSX import and the CLI share these checks and their messages, so a rule
is written once and a user sees the same sentence wherever the value came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from surveys.messages import N_, Amount, Message
from surveys.model import (
    SIGNIFICATION_TYPES,
    Choice,
    Field,
    FieldType,
    Number,
    Rule,
    SurveyDefinition,
)
from surveys.response_logic import REQUIRED_CHOICE_MESSAGE, REQUIRED_MESSAGE, apply_logic
from surveys.signification import parse_signification_value
from surveys.values import (
    THOUSANDS_MESSAGE,
    InvalidValue,
    decimal_places,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_integer,
    parse_month,
    parse_phone,
    parse_time,
)

RawValue = str | list[str] | tuple[str, ...] | None

RULE_MESSAGES = {
    "<": N_("Must be less than %(other)s (%(other_value)s)."),
    "<=": N_("Must not be more than %(other)s (%(other_value)s)."),
    ">": N_("Must be more than %(other)s (%(other_value)s)."),
    ">=": N_("Must not be less than %(other)s (%(other_value)s)."),
    "=": N_("Must be equal to %(other)s (%(other_value)s)."),
    "!=": N_("Must not be equal to %(other)s (%(other_value)s)."),
}
CONSTANT_RULE_MESSAGES = {
    "<": N_("Must be less than %(value)s."),
    "<=": N_("Must not be more than %(value)s."),
    ">": N_("Must be more than %(value)s."),
    ">=": N_("Must not be less than %(value)s."),
    "=": N_("Must be %(value)s."),
    "!=": N_("Must not be %(value)s."),
}


@dataclass
class ValidationResult:
    """Typed values of the fields that passed, and the messages for those that did not.

    ``values`` holds every non-note field without errors: int, Decimal, str, list[str] (multiple
    choice, in definition order), datetime.date (date; month = its first day), a
    SignificationAnswer (slider, triad, before_after), or None if empty.
    """

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[Message]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_response(
    definition: SurveyDefinition, raw_values: Mapping[str, RawValue]
) -> ValidationResult:
    """Parse and check every field's raw text, then the cross-field rules.

    Keys that are not fields (a CSRF token, the month column) are ignored; a missing key counts
    as an empty answer. A rule is only checked when both of its values are present and valid.
    """
    result = ValidationResult()
    for item in definition.input_fields:
        try:
            result.values[item.name] = parse_answer(item, raw_values.get(item.name))
        except InvalidValue as exc:
            result.errors.setdefault(item.name, []).append(exc.message)
    apply_logic(definition, result.values, result.errors)
    fields = definition.fields_by_name()
    for rule in definition.rules:
        message = _broken_rule_message(rule, fields, result.values)
        if message is not None:
            result.errors.setdefault(rule.field, []).append(message)
    for name in result.errors:
        result.values.pop(name, None)
    return result


def parse_field_value(item: Field, raw: RawValue) -> Any:
    """The typed value of one field; InvalidValue with a user message when it is not acceptable
    (including an empty answer to a required question)."""
    value = parse_answer(item, raw)
    if value in (None, []) and item.required:
        msgid = (
            REQUIRED_CHOICE_MESSAGE if item.type is FieldType.SELECT_MULTIPLE else REQUIRED_MESSAGE
        )
        raise InvalidValue(Message(msgid, {}, item.required_message))
    return value


def parse_answer(item: Field, raw: RawValue) -> Any:
    """The typed value of one answer, None (or [] for multiple choice) when empty; InvalidValue
    with a user message when the text cannot be that kind of value. Required is checked later."""
    if item.type is FieldType.SELECT_MULTIPLE:
        return _parse_multiple(item, raw)
    text = _single_text(raw)
    if not text:
        return None
    if item.type is FieldType.INTEGER:
        return _parse_number(item, text, parse_integer)
    if item.type is FieldType.DECIMAL:
        return _parse_number(item, text, lambda value: parse_decimal(value, item.decimals))
    if item.type is FieldType.TEXT:
        return _check_length(item, text)
    if item.type is FieldType.PHONE:
        return parse_phone(text)
    if item.type is FieldType.TIME:
        return parse_time(text)
    if item.type is FieldType.DATETIME:
        return parse_datetime(text)
    if item.type is FieldType.SELECT_ONE:
        choice = _match_choice(item, text)
        if choice is None:
            raise InvalidValue(_unknown_option(item, [text]))
        return choice.value
    if item.type is FieldType.MONTH:
        return parse_month(text)
    if item.type is FieldType.DATE:
        return parse_date(text)
    if item.type in SIGNIFICATION_TYPES:
        return parse_signification_value(item, text)
    raise InvalidValue(Message(N_("This field takes no answer.")))


def _single_text(raw: RawValue) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list | tuple):
        filled = [value for value in raw if value is not None and str(value).strip()]
        if len(filled) > 1:
            raise InvalidValue(Message(N_("Give a single answer.")))
        raw = filled[0] if filled else ""
    return str(raw).replace("\r\n", "\n").strip()


def _parse_number(item: Field, text: str, parse) -> Number:
    try:
        value = parse(text)
    except InvalidValue as exc:
        if exc.message.msgid == THOUSANDS_MESSAGE:
            raise
        raise InvalidValue(_range_message(item)) from None
    too_low = item.min is not None and value < item.min
    too_high = item.max is not None and value > item.max
    if too_low or too_high:
        raise InvalidValue(_range_message(item))
    if item.type is FieldType.DECIMAL and item.decimals is not None:
        if decimal_places(value) > item.decimals:
            raise InvalidValue(
                Message(
                    N_("Use at most %(decimals)s digit(s) after the decimal comma."),
                    {"decimals": item.decimals},
                    item.constraint_message,
                )
            )
        value = value.quantize(Decimal(1).scaleb(-item.decimals))
    return value


def _range_message(item: Field) -> Message:
    whole = item.type is FieldType.INTEGER
    params = {"min": _amount(item.min), "max": _amount(item.max)}
    if item.min is not None and item.max is not None:
        msgid = (
            N_("Must be a whole number between %(min)s and %(max)s.")
            if whole
            else N_("Must be a number between %(min)s and %(max)s.")
        )
    elif item.min is not None:
        msgid = (
            N_("Must be a whole number of at least %(min)s.")
            if whole
            else N_("Must be a number of at least %(min)s.")
        )
    elif item.max is not None:
        msgid = (
            N_("Must be a whole number of at most %(max)s.")
            if whole
            else N_("Must be a number of at most %(max)s.")
        )
    else:
        msgid = N_("Must be a whole number.") if whole else N_("Must be a number.")
    used = {name: value for name, value in params.items() if f"%({name})s" in msgid}
    return Message(msgid, used, item.constraint_message)


def _amount(value: Number | None) -> Amount | None:
    """A bound as the reader writes numbers (``50.000``), None when there is none."""
    return None if value is None else Amount(_plain(value))


def _plain(value: Number | None) -> Number | None:
    """Decimal("100.0") -> 100, Decimal("2.50") -> Decimal("2.5"): bounds as people write them."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.normalize()
    return value


def _check_length(item: Field, text: str) -> str:
    if item.max_length is not None and len(text) > item.max_length:
        raise InvalidValue(
            Message(
                N_("Must be at most %(max_length)s characters long (now %(length)s)."),
                {"max_length": item.max_length, "length": len(text)},
                item.constraint_message,
            )
        )
    return text


def _match_choice(item: Field, text: str) -> Choice | None:
    """Match a choice by value, then case-insensitively by value or by any label."""
    exact = item.choice(text)
    if exact is not None:
        return exact
    folded = text.casefold()
    for choice in item.choices:
        names = [choice.value, *choice.label.values()]
        if any(name.strip().casefold() == folded for name in names):
            return choice
    return None


def _parse_multiple(item: Field, raw: RawValue) -> list[str]:
    """Accept a list (web form) or one text with values separated by commas, semicolons or
    spaces (CSV cell, XLSForm style); labels may be used instead of values."""
    if raw is None:
        return []
    pieces = list(raw) if isinstance(raw, list | tuple) else [raw]
    chosen: set[str] = set()
    unknown: list[str] = []
    for piece in (str(piece).strip() for piece in pieces):
        if not piece:
            continue
        whole = _match_choice(item, piece)
        if whole is not None:
            chosen.add(whole.value)
            continue
        for part in filter(None, (part.strip() for part in re.split(r"[,;]", piece))):
            match = _match_choice(item, part)
            if match is not None:
                chosen.add(match.value)
                continue
            for word in part.split():
                found = _match_choice(item, word)
                if found is None:
                    unknown.append(word)
                else:
                    chosen.add(found.value)
    if unknown:
        raise InvalidValue(_unknown_option(item, unknown))
    return [choice.value for choice in item.choices if choice.value in chosen]


def _unknown_option(item: Field, values: list[str]) -> Message:
    return Message(
        N_("Unknown option '%(value)s'; choose from %(options)s."),
        {"value": ", ".join(values), "options": ", ".join(c.value for c in item.choices)},
    )


def _broken_rule_message(
    rule: Rule, fields: Mapping[str, Field], values: Mapping[str, Any]
) -> Message | None:
    left = values.get(rule.field)
    right = values.get(rule.other_field) if rule.other_field else rule.value
    if left is None or right is None or rule.holds(left, right):
        return None
    if rule.other_field:
        other = fields[rule.other_field]
        params = {"other": dict(other.label) or other.name, "other_value": Amount(right)}
        return Message(RULE_MESSAGES[rule.op], params, rule.message)
    return Message(CONSTANT_RULE_MESSAGES[rule.op], {"value": _amount(right)}, rule.message)
