"""Cells that are safe to open in a spreadsheet (OWASP's CSV-injection advice).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their
full-width forms, which some spreadsheet programs also read as formulas) is prefixed with a
single quote, so Excel, LibreOffice and Google Sheets show it as text instead of running it.
Every CSV or XLSX file Weefsel writes passes its cells through `spreadsheet_safe`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """The value itself, or for text that a spreadsheet would run as a formula, inert text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """RFC 4180 CSV text (CRLF line ends) with every cell made spreadsheet-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
