"""Read an uploaded CSV or XLSX file into rows of cell texts, numbered as a spreadsheet shows them.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), and Windows-1252 (what
Dutch Excel writes as "CSV (gescheiden door lijstscheidingsteken)"); the separator (``;`` as Dutch
Excel writes, ``,`` or tab) is taken from the header line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from surveys.messages import N_, Message
from surveys.spreadsheets import XLS_MAGIC, ZIP_MAGIC, WorkbookError, open_workbook, sheet_rows

SEPARATORS = (";", ",", "\t")
# Far more lines than one upload of monthly figures needs; a larger file is split first.
MAX_ROWS = 20_000


class TableFileError(Exception):
    """The upload cannot be read as a table at all."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    """One sheet (or the CSV file): ``rows`` pairs the line number (header = 1) with cell texts."""

    sheet: str | None
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read_tables(fileobj: IO[bytes], filename: str) -> list[Table]:
    """Every table in the upload: one for a CSV file, one per worksheet for XLSX."""
    data = fileobj.read()
    if isinstance(data, str):
        return [_read_csv_text(data)]
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(ZIP_MAGIC) or data.startswith(XLS_MAGIC) or suffix in (".xlsx", ".xls"):
        return _read_xlsx(data)
    return [_read_csv_text(_decode(data))]


def _read_xlsx(data: bytes) -> list[Table]:
    try:
        workbook = open_workbook(io.BytesIO(data))
    except WorkbookError as exc:
        raise TableFileError(exc.message) from None
    try:
        tables = []
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some tools write a wrong size; read what is there
            tables.append(Table(sheet=sheet.title, rows=_capped(sheet_rows(sheet))))
        return tables
    finally:
        workbook.close()


def _capped(rows) -> list[tuple[int, list[str]]]:
    """The rows, or TableFileError as soon as there are more than MAX_ROWS (read no further)."""
    kept = []
    for row in rows:
        if len(kept) >= MAX_ROWS:
            raise TableFileError(
                Message(
                    N_("The file has more than %(rows)s lines; split it into smaller files."),
                    {"rows": MAX_ROWS},
                )
            )
        kept.append(row)
    return kept


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise TableFileError(
            Message(N_("Cannot read the text of this file; save it as CSV UTF-8."))
        ) from None


def _read_csv_text(text: str) -> Table:
    text = text.removeprefix("\ufeff")
    # Excel writes and hides a first line "sep=;" naming the separator; the header is then row 1.
    hint = re.match(r"sep=(.)\r?\n", text)
    if hint:
        separator, text = hint.group(1), text[hint.end() :]
    else:
        separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        rows = _capped(
            (line, [cell.strip() for cell in cells]) for line, cells in enumerate(reader, 1)
        )
    except csv.Error as exc:
        raise TableFileError(
            Message(N_("Cannot read the file as CSV (%(error)s)."), {"error": exc})
        ) from None
    return Table(sheet=None, rows=rows)


def detect_separator(text: str) -> str:
    """The separator used most in the first non-empty line, outside quotes; ``,`` if none."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","
