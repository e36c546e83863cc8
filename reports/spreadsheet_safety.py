"""Cells that are safe to open in a spreadsheet (OWASP's CSV-injection advice).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their
full-width forms, which some spreadsheet programs also read as formulas) is prefixed with a
single quote, so Excel, LibreOffice and Google Sheets show it as text instead of running it.
Every CSV or XLSX file Weefsel writes passes its cells through `spreadsheet_safe`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """The value itself, or for text that a spreadsheet would run as a formula, inert text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """RFC 4180 CSV text (CRLF line ends) with every cell made spreadsheet-safe."""
    return "".join(safe_csv_chunks(rows))


def safe_csv_chunks(rows: Iterable[Iterable[Any]], chunk_chars: int = 1 << 16) -> Iterator[str]:
    """`safe_csv_text` in pieces of about `chunk_chars`, so a large file streams in bounded memory."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        if buffer.tell() >= chunk_chars:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
