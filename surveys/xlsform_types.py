"""The XLSForm question types Weefsel reads, as other tools spell them, and the extras some types
bring: a range's bounds and the "other" choice plus follow-up question of ``or_other``.

Spellings follow pyxform's aliases (``select one from x``, ``add integer prompt``, ``q int``),
so forms written for ODK, KoboToolbox or SurveyCTO read without edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from surveys.logic_parser import parse_expression
from surveys.model import Choice, Expression, Field, FieldType

SIMPLE_TYPES = {
    **dict.fromkeys(("integer", "int", "add integer prompt", "qint"), FieldType.INTEGER),
    **dict.fromkeys(("decimal", "add decimal prompt", "qdecimal"), FieldType.DECIMAL),
    **dict.fromkeys(("text", "string", "add text prompt", "qstring"), FieldType.TEXT),
    **dict.fromkeys(("date", "add date prompt", "qdate"), FieldType.DATE),
    **dict.fromkeys(("note", "add note prompt", "qnote"), FieldType.NOTE),
    "phone number": FieldType.PHONE,
    **dict.fromkeys(("time", "add time prompt", "qtime"), FieldType.TIME),
    **dict.fromkeys(
        ("datetime", "add datetime prompt", "add date time prompt", "qdatetime"), FieldType.DATETIME
    ),
    **dict.fromkeys(("calculate", "add calculate prompt", "qcalculate"), FieldType.CALCULATE),
    "range": FieldType.INTEGER,  # becomes decimal when a parameter has decimals
    # An acknowledgement is a single "OK" to tick, as in ODK.
    **dict.fromkeys(
        ("acknowledge", "add acknowledge prompt", "qacknowledge"), FieldType.SELECT_ONE
    ),
}
ACKNOWLEDGE_CHOICES = [Choice("OK", {"nl": "Ja", "en": "OK"})]
# Values a device or server fills in; they ask nothing of the person and are skipped.
METADATA_TYPES = frozenset(
    {"start", "end", "today", "deviceid", "username", "phonenumber", "audit", "email"}
    | {"subscriberid", "simserial", "simid", "imei", "start time", "end time", "hidden"}
    | {"get start time", "get end time", "get today", "get device id", "get subscriber id"}
    | {"get sim id", "get phone number", "uri:deviceid", "uri:subscriberid", "uri:simserial"}
    | {"uri:phonenumber", "uri:username", "uri:email", "starttime", "endtime"}
)
# Types that exist in XLSForm but need what a web form here cannot do (a map, a camera, a file,
# an external list); named in the problem so the author knows what to change.
KNOWN_UNSUPPORTED = frozenset(
    {"geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode"}
    | {"rank", "xml-external", "gps", "location"}
    | {"csv-external", "start-geopoint", "background-audio", "background-geopoint", "photo"}
    | {"select_one_from_file", "select_multiple_from_file", "select_one_external", "trigger"}
    | {"osm", "add image prompt", "add photo prompt", "add audio prompt"}
    | {"add video prompt", "add file prompt", "add location prompt", "add barcode prompt"}
    | {"qgeopoint", "qimage", "qaudio"}
    | {"select one from file", "select multiple from file", "qvideo", "qbarcode"}
)
_SELECT_WORDS = (
    r"select_one|select one from|select one using|select one|select1|add select one prompt using"
    r"|select_multiple|select multiple from|select multiple using|select multiple"
    r"|select all that apply from|select all that apply|add select multiple prompt using"
)
SELECT = re.compile(
    rf"^({_SELECT_WORDS})\s+(\S+)(\s+or_other|\s+or specify other)?$", re.IGNORECASE
)
OTHER_VALUE = "other"
OTHER_LABEL = {"nl": "Anders", "en": "Other"}
OTHER_TEXT_LABEL = {"nl": "Anders, namelijk:", "en": "Specify other:"}


def is_multiple(select_word: str) -> bool:
    """``select_multiple``, ``select all that apply`` … versus the single choice spellings."""
    word = select_word.lower()
    return "multiple" in word or "all that apply" in word


def type_word(type_text: str) -> str:
    """The type without list name or options, e.g. ``select_one_from_file`` or ``geopoint``."""
    return type_text.split()[0].lower() if type_text.split() else ""


@dataclass(frozen=True)
class RangeBounds:
    """A range question's start and end and whether its step allows decimals."""

    start: int | Decimal
    end: int | Decimal
    decimal: bool


def range_bounds(parameters: str) -> RangeBounds:
    """Read ``start=0 end=10 step=0.5`` (spaces, commas or semicolons between); ValueError."""
    found = {"start": "1", "end": "10", "step": "1"}  # pyxform's defaults
    for part in filter(None, re.split(r"[\s,;]+", parameters.strip())):
        key, separator, value = part.partition("=")
        if not separator or key.strip().lower() not in found:
            raise ValueError(part)
        found[key.strip().lower()] = value.strip()
    try:
        numbers = {key: Decimal(value) for key, value in found.items()}
    except InvalidOperation:
        raise ValueError(parameters) from None
    if not all(number.is_finite() for number in numbers.values()) or numbers["step"] == 0:
        raise ValueError(parameters)
    decimal = any(number != number.to_integral_value() for number in numbers.values())
    start, end = sorted((numbers["start"], numbers["end"]))
    if decimal:
        return RangeBounds(start, end, True)
    return RangeBounds(int(start), int(end), False)


def with_other_choice(choices: list[Choice]) -> list[Choice]:
    """``or_other`` adds an "other" choice at the end, as ODK does."""
    if any(choice.value == OTHER_VALUE for choice in choices):
        return choices
    return [*choices, Choice(OTHER_VALUE, OTHER_LABEL)]


def other_text_field(select: Field) -> Field:
    """The text question ``<name>_other`` shown when "other" is chosen."""
    text = f"selected(${{{select.name}}}, '{OTHER_VALUE}')"
    relevant = Expression(text, parse_expression(text))
    if select.relevant is not None:
        relevant = both(select.relevant, relevant)
    return Field(
        name=f"{select.name}_other",
        type=FieldType.TEXT,
        label=OTHER_TEXT_LABEL,
        relevant=relevant,
        required_if=relevant if select.required else None,
    )


def both(first: Expression | None, second: Expression | None) -> Expression | None:
    """Two conditions joined with ``and`` (group skip logic around a question's own)."""
    if first is None or second is None:
        return first or second
    return Expression(f"({first.text}) and ({second.text})", ["op", "and", first.tree, second.tree])
