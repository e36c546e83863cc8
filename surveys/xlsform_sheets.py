"""Read the sheets of an XLSForm as tables with normalised headers, tolerating other tools' habits.

Tools write headers differently (``Label::English (en)``, ``label::nl``, ``Type``, ``list name``,
trailing spaces) and leave empty rows; this module hides those differences so ``xlsform`` only
sees a header key (``label``), a language code (``en``) and trimmed cell texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveys.spreadsheets import column_letter

LANGUAGE_NAMES = {
    "nederlands": "nl",
    "dutch": "nl",
    "english": "en",
    "engels": "en",
    "deutsch": "de",
    "german": "de",
    "français": "fr",
    "francais": "fr",
    "french": "fr",
    "türkçe": "tr",
    "turkish": "tr",
    "arabic": "ar",
    "polski": "pl",
    "polish": "pl",
}
KEY_ALIASES = {
    **{"list": "list_name", "value": "name", "caption": "label", "relevance": "relevant"},
    "text": "label",  # pyxform's oldest forms: ``text:english``
    **{"jr:constraintmsg": "constraint_message", "jr:requiredmsg": "required_message"},
    **{"constraining_message": "constraint_message", "calculate": "calculation"},
}
# Columns that may carry a language after the key (``label:English`` in older forms).
TRANSLATABLE_KEYS = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
TRANSLATABLE_KEYS |= {"image", "audio", "video", "media:image", "media:audio", "media:video"}
TRANSLATABLE_KEYS |= {"bind:jr:constraintmsg", "jr:constraintmsg", "caption", "text"}


def language_code(text: str) -> str:
    """``English (en)`` -> ``en``; ``Nederlands`` -> ``nl``; ``nl-NL`` -> ``nl``."""
    text = text.strip()
    match = re.search(r"\(([^()]+)\)\s*$", text)
    if match:
        code = match.group(1)
    else:
        code = LANGUAGE_NAMES.get(text.lower(), text)
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


@dataclass(frozen=True)
class Column:
    """One header cell: its text as in the file, its key (``label``) and language, if any."""

    index: int
    header: str
    key: str
    lang: str | None

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def parse_header(index: int, header: str) -> Column:
    """Split ``label::English (en)`` (or the older ``label:English``) into key ``label`` and
    language ``en``; drop pyxform's old ``bind:`` and ``control:`` prefixes."""
    base, _, rest = header.partition("::")
    if not rest:
        base, rest = _single_colon_language(base)
    key = re.sub(r"[\s\-]+", "_", base.strip().lower())
    key = re.sub(r"^(bind|control):", "", key)
    key = KEY_ALIASES.get(key, key)
    lang = language_code(rest.rpartition("::")[2]) if rest.strip() else None
    return Column(index=index, header=header.strip(), key=key, lang=lang)


def _single_colon_language(header: str) -> tuple[str, str]:
    """``label:English`` -> (``label``, ``English``); ``jr:count`` stays whole."""
    base, colon, rest = header.rpartition(":")
    if not colon or base.strip().lower() not in TRANSLATABLE_KEYS:
        return header, ""
    return base, rest


@dataclass(frozen=True)
class SheetRow:
    """A non-empty data row: the row number Excel shows and the cell texts."""

    number: int
    cells: list[str]

    def text(self, column: Column | None) -> str:
        if column is None or column.index >= len(self.cells):
            return ""
        return self.cells[column.index]


@dataclass
class SheetTable:
    """A sheet whose first non-empty row is the header; later empty rows are dropped."""

    name: str
    columns: list[Column] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)
    header_row: int = 1

    def column(self, key: str) -> Column | None:
        """The first column with this key and no language (or any language if none has none)."""
        matches = [column for column in self.columns if column.key == key]
        plain = [column for column in matches if column.lang is None]
        return (plain or matches or [None])[0]

    def has(self, key: str) -> bool:
        return any(column.key == key for column in self.columns)

    def text(self, row: SheetRow, key: str) -> str:
        """The row's text in the plain column with this key, '' when absent."""
        return row.text(self.column(key))

    def localized(self, row: SheetRow, key: str, default_language: str) -> dict[str, str]:
        """Texts of all ``key`` / ``key::lang`` columns, keyed by language code."""
        texts: dict[str, str] = {}
        for column in self.columns:
            if column.key == key and row.text(column):
                texts.setdefault(column.lang or default_language, row.text(column))
        return texts


def find_sheet(sheets: dict[str, list[tuple[int, list[str]]]], name: str) -> SheetTable | None:
    """The sheet called ``name`` (ignoring case and spaces) as a table, None when there is none."""
    for title, rows in sheets.items():
        if title.strip().lower() == name:
            return read_table(title, rows)
    return None


def read_table(name: str, rows) -> SheetTable:
    """Build a SheetTable from (row number, cell texts) pairs."""
    table = SheetTable(name=name)
    for number, cells in rows:
        if not any(cells):
            continue
        if not table.columns:
            table.header_row = number
            table.columns = [
                parse_header(index, header) for index, header in enumerate(cells) if header
            ]
            continue
        table.rows.append(SheetRow(number=number, cells=cells))
    return table
