"""Parse what people type (in a web form, a CSV cell, a spreadsheet) into numbers, months and dates.

Accepted, and why:
- whole numbers: digits with an optional sign (``12``, ``-3``). Thousands separators are refused
  with a message of their own: ``1.234`` is 1234 to a Dutch reader and 1.234 to an English one.
- decimals: one decimal comma or point (``12,5`` and ``12.5`` both mean 12.5, as Dutch users and
  HTML number inputs write them). ``1.234,5``, ``1,234.5`` and ``1 234`` are refused as above; so
  is ``1.234`` where at most two decimals are allowed, because it most likely means 1234.
- months: ``2024-03``, ``2024/3``, ``03-2024``, ``maart 2024``, ``mrt-24`` (what Dutch Excel shows
  after it turned 2024-03 into a date), and a full date on the 1st (``2024-03-01``, ``1-3-2024``).
- dates: ``2024-03-15`` and the Dutch day-first ``15-03-2024`` (also with ``/`` or ``.``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from surveys.messages import N_, Message

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([.,\s'])\d{3})(?:\1\d{3})*(?:[.,]\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")

MONTH_NAMES = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "february"), 2),
    **dict.fromkeys(("mrt", "maa", "maart", "mar", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("aug", "augustus", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
_NAMED_MONTH = re.compile(r"([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


class InvalidValue(ValueError):
    """The text cannot be read as the wanted kind of value; ``message`` tells the user why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


# More digits than any count or amount people report; also keeps int() far from its limits.
MAX_DIGITS = 15

THOUSANDS_MESSAGE = N_("Write the number without a thousands separator, for example %(example)s.")


def parse_integer(text: str) -> int:
    """``"12"`` -> 12; InvalidValue for anything that is not a plain whole number."""
    cleaned = text.strip()
    if _INTEGER.fullmatch(cleaned):
        if len(cleaned.lstrip("+-0")) > MAX_DIGITS:
            raise InvalidValue(Message(N_("This number is too large.")))
        return int(cleaned)
    _refuse_grouping(cleaned)
    raise InvalidValue(Message(N_("Must be a whole number.")))


def parse_decimal(text: str, decimals: int | None = None) -> Decimal:
    """``"12,5"`` or ``"12.5"`` -> Decimal("12.5"); InvalidValue for other texts."""
    cleaned = text.strip()
    if (
        _DECIMAL.fullmatch(cleaned)
        and len(re.split(r"[.,]", cleaned.lstrip("+-0"))[0]) > MAX_DIGITS
    ):
        raise InvalidValue(Message(N_("This number is too large.")))
    if _DECIMAL.fullmatch(cleaned):
        looks_grouped = re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", cleaned)
        if not (looks_grouped and decimals is not None and decimals < 3):
            return Decimal(cleaned.replace(",", "."))
    _refuse_grouping(cleaned)
    raise InvalidValue(Message(N_("Must be a number.")))


def _refuse_grouping(text: str) -> None:
    if _GROUPED.fullmatch(_SPACES.sub(" ", text)):
        example = _without_grouping(text)
        raise InvalidValue(Message(THOUSANDS_MESSAGE, {"example": example}))


def _without_grouping(text: str) -> str:
    """``1.234,5`` -> ``1234,5``; ``1 234`` -> ``1234``: the last of two kinds is the decimal."""
    text = _SPACES.sub("", text).replace("'", "")
    if "." in text and "," in text:
        last = max(text.rfind("."), text.rfind(","))
        return re.sub(r"[.,]", "", text[:last]) + "," + text[last + 1 :]
    return re.sub(r"[.,]", "", text)


def decimal_places(value: Decimal) -> int:
    """Digits after the decimal point, ignoring trailing zeros: 12.50 -> 1, 12 -> 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_month(text: str) -> dt.date:
    """A month as the date of its first day; InvalidValue if the text is not a month."""
    cleaned = _SPACES.sub(" ", text.strip().lower())
    year = month = None
    if match := _YEAR_MONTH.fullmatch(cleaned):
        year, month = int(match[1]), int(match[2])
    elif match := _MONTH_YEAR.fullmatch(cleaned):
        month, year = int(match[1]), int(match[2])
    elif (match := _NAMED_MONTH.fullmatch(cleaned)) and match[1] in MONTH_NAMES:
        month, year = MONTH_NAMES[match[1]], int(match[2])
        year += 2000 if year < 100 else 0
    else:
        try:
            day = parse_date(cleaned)
        except InvalidValue:
            day = None
        if day is not None and day.day == 1:
            year, month = day.year, day.month
    if year is None or month is None or not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise InvalidValue(
            Message(
                N_("Must be a month written as YYYY-MM, for example %(example)s."),
                {"example": "2024-03"},
            )
        )
    return dt.date(year, month, 1)


def parse_date(text: str) -> dt.date:
    """``2024-03-15`` or ``15-03-2024`` -> date(2024, 3, 15); InvalidValue otherwise."""
    cleaned = text.strip()
    parts = None
    if match := _ISO_DATE.fullmatch(cleaned):
        parts = int(match[1]), int(match[2]), int(match[3])
    elif match := _DUTCH_DATE.fullmatch(cleaned):
        parts = int(match[4]), int(match[3]), int(match[1])
    if parts is not None:
        try:
            return dt.date(*parts)
        except ValueError:
            pass
    raise InvalidValue(
        Message(
            N_("Must be a date written as YYYY-MM-DD or DD-MM-YYYY, for example %(example)s."),
            {"example": "2024-03-15"},
        )
    )
