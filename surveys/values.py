"""Parse what people type (in a web form, a CSV cell, a spreadsheet) into numbers, months and dates.

Accepted, and why:
- numbers the Dutch way: a point (or space) between groups of three digits and a decimal comma,
  as Babel's Dutch locale writes them: ``18.000``, ``18.000,00``, ``18 000`` and ``18000`` all
  mean 18000. A single point followed by exactly three digits is therefore a thousands
  separator (``1.234`` is 1234), as a Dutch reader takes it.
- otherwise one decimal comma or point (``12,5`` and ``12.5`` both mean 12.5, as Dutch users
  and HTML number inputs write them). English grouping (``1,234.5``) is refused with a message
  that shows the number written without separators.
- whole numbers: a decimal part of zeros is fine (``18.000,00`` -> 18000); ``12,5`` is not.
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
# Dutch grouping: 1-3 leading digits (not 0), groups of three after a point or a space.
_DUTCH_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:([.\s\u00a0\u202f])\d{3})(?:\1\d{3})*(?:,\d+)?")

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
    """``"12"``, ``"18.000"`` or ``"18.000,00"`` -> int; InvalidValue for anything else."""
    cleaned = text.strip()
    if _INTEGER.fullmatch(cleaned):
        if len(cleaned.lstrip("+-0")) > MAX_DIGITS:
            raise InvalidValue(Message(N_("This number is too large.")))
        return int(cleaned)
    value = _dutch_number(cleaned)
    if value is None and _DECIMAL.fullmatch(cleaned) and not _looks_grouped(cleaned):
        value = Decimal(cleaned.replace(",", "."))
    if value is not None and value == value.to_integral_value():
        return int(value)
    if value is None:
        _refuse_grouping(cleaned)
    raise InvalidValue(Message(N_("Must be a whole number.")))


def parse_decimal(text: str, decimals: int | None = None) -> Decimal:
    """``"12,5"``, ``"12.5"`` or ``"18.000,00"`` -> Decimal; InvalidValue for other texts.

    ``decimals`` is accepted for callers that know the field's precision; Dutch grouping is
    read the same way whatever it is.
    """
    cleaned = text.strip()
    if (
        _DECIMAL.fullmatch(cleaned)
        and len(re.split(r"[.,]", cleaned.lstrip("+-0"))[0]) > MAX_DIGITS
    ):
        raise InvalidValue(Message(N_("This number is too large.")))
    value = _dutch_number(cleaned)
    if value is not None:
        return value
    if _DECIMAL.fullmatch(cleaned):
        return Decimal(cleaned.replace(",", "."))
    _refuse_grouping(cleaned)
    raise InvalidValue(Message(N_("Must be a number.")))


def _dutch_number(text: str) -> Decimal | None:
    """``18.000,5`` / ``18 000`` -> Decimal; None when the text is not Dutch grouping."""
    if not _DUTCH_GROUPED.fullmatch(text):
        return None
    return Decimal(_SPACES.sub("", text).replace(".", "").replace(",", "."))


def _looks_grouped(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[1-9]\d{0,2}[.,]\d{3}", text))


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


_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)(?:[:.]([0-5]\d))?")
_DATETIME = re.compile(r"(.+?)[ T]+(\S+)")


def parse_time(text: str) -> dt.time:
    """``14:30``, ``14.30`` or ``14:30:00`` -> time(14, 30); InvalidValue otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise InvalidValue(
            Message(
                N_("Must be a time written as HH:MM, for example %(example)s."),
                {"example": "14:30"},
            )
        )
    return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))


def parse_datetime(text: str) -> dt.datetime:
    """A date and a time (``2024-03-15 14:30``, ``15-03-2024T14:30``); InvalidValue otherwise."""
    match = _DATETIME.fullmatch(text.strip())
    try:
        if match is None:
            raise InvalidValue(Message(""))
        return dt.datetime.combine(parse_date(match[1]), parse_time(match[2]))
    except InvalidValue:
        raise InvalidValue(
            Message(
                N_("Must be a date and time, for example %(example)s."),
                {"example": "2024-03-15 14:30"},
            )
        ) from None


_PHONE = re.compile(r"\+?[\d\s\-().]+")


def parse_phone(text: str) -> str:
    """A phone number as typed (``06-12345678``, ``+31 20 123 4567``): a plus sign, digits and
    separators, 6 to 15 digits; InvalidValue otherwise. Stored with single spaces."""
    cleaned = _SPACES.sub(" ", text.strip())
    digits = re.sub(r"\D", "", cleaned)
    if _PHONE.fullmatch(cleaned) and 6 <= len(digits) <= 15:
        return cleaned
    raise InvalidValue(
        Message(
            N_("Must be a phone number of 6 to 15 digits, for example %(example)s."),
            {"example": "06 12345678"},
        )
    )
