"""Open XLSX workbooks and turn their cells into the text a user typed, for XLSForms and imports."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from surveys.messages import N_, Message

# An upload may unpack to at most this much: a small zip can hold gigabytes of XML.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
_FORBIDDEN_XML = (b"<!doctype", b"<!entity")
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (OLE2), which openpyxl cannot read
ZIP_MAGIC = b"PK\x03\x04"


class WorkbookError(Exception):
    """The file is not a readable XLSX workbook."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def open_workbook(source: str | IO[bytes]) -> Workbook:
    """Open an XLSX workbook read-only with cached formula results; WorkbookError if unreadable.

    openpyxl warns about harmless things in files from other tools (unknown extensions, data
    validation); those warnings say nothing about our data, so they are silenced here only.
    """
    head = _peek(source)
    if head.startswith(XLS_MAGIC):
        raise WorkbookError(
            Message(N_("This is an old .xls file; save it as .xlsx (Excel workbook) first."))
        )
    check_archive(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(
            Message(N_("Cannot read the file as an XLSX workbook (%(error)s)."), {"error": exc})
        ) from None


def read_named_sheets(path: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Every sheet of an .xlsx/.xlsm or old binary .xls workbook as {title: [(row number,
    cell texts), …]}; WorkbookError when the file is neither."""
    if _peek(path).startswith(XLS_MAGIC):
        return _read_xls_sheets(path)
    workbook = open_workbook(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # as in open_workbook: other tools' extras
            sheets = {}
            for sheet in workbook.worksheets:
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # some tools write a wrong size; read what is there
                sheets[sheet.title] = list(sheet_rows(sheet))
            return sheets
    finally:
        workbook.close()


def _read_xls_sheets(path: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Read an old .xls file with xlrd (openpyxl reads only the zip-based formats)."""
    import xlrd  # imported here: only old .xls files need it

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on damaged files
        raise WorkbookError(
            Message(N_("Cannot read the file as an .xls workbook (%(error)s)."), {"error": exc})
        ) from None
    try:
        sheets = {}
        for sheet in book.sheets():
            rows = []
            for index in range(sheet.nrows):
                cells = [_xls_cell_text(cell, book.datemode) for cell in sheet.row(index)]
                rows.append((index + 1, cells))
            sheets[sheet.name] = rows
        return sheets
    finally:
        book.release_resources()


def _xls_cell_text(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell_text(cell.value)
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_text(cell.value)


def check_archive(source: str | IO[bytes]) -> None:
    """Refuse a zip that unpacks too large or whose XML declares a DOCTYPE or entities
    (entity expansion and external entities are how XML files attack their reader)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # load_workbook says it is not a workbook
    try:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise WorkbookError(
                Message(
                    N_("The file is too large when unpacked (more than %(mb)s MB)."),
                    {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)},
                )
            )
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as member:
                    head = member.read(4096).lower()
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
                continue  # an unreadable part: load_workbook reports the file
            if any(marker in head for marker in _FORBIDDEN_XML):
                raise WorkbookError(
                    Message(
                        N_("This file contains XML parts we do not accept (%(part)s)."),
                        {"part": info.filename},
                    )
                )
    finally:
        if not isinstance(source, str):
            source.seek(0)


def _peek(source: str | IO[bytes]) -> bytes:
    if isinstance(source, str):
        try:
            with open(source, "rb") as file:
                return file.read(8)
        except OSError:
            return b""
    position = source.tell()
    head = source.read(8)
    source.seek(position)
    return head


def sheet_rows(sheet: Worksheet) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number as Excel shows it, cell texts) for every row, empty ones included."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [cell_text(value) for value in row]


def cell_text(value: Any) -> str:
    """The cell as the text a person would have typed: ``12.0`` -> ``12``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
