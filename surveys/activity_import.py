"""Check a spreadsheet of monthly activity figures (CSV or XLSX) row by row against a definition.

The table has an ``initiatief`` column (the initiative's code), a ``maand`` column (YYYY-MM) and
one column per question of the definition, named by the field's name. Nothing is stored here:
the caller imports ``rows`` in one transaction when ``problems`` is empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import IO, Any

from surveys.messages import N_, Message, Problem
from surveys.model import SurveyDefinition
from surveys.responses import validate_response
from surveys.table_files import Table, TableFileError, read_tables
from surveys.values import InvalidValue, parse_month

# Reading stops after this many problems: the first ones say enough to fix the file.
MAX_PROBLEMS = 50
ID_COLUMN = "initiatief"
MONTH_COLUMN = "maand"
COLUMN_ALIASES = {"initiative": ID_COLUMN, "month": MONTH_COLUMN}


def template_header(definition: SurveyDefinition) -> list[str]:
    """The header row the import expects: initiatief, maand, then every question's name."""
    return [ID_COLUMN, MONTH_COLUMN, *(item.name for item in definition.input_fields)]


@dataclass(frozen=True)
class ActivityRow:
    """One valid row: its line in the file, the initiative code, the month (its first day) and
    the typed values keyed by field name (as ``validate_response`` returns them)."""

    line: int
    initiative: str
    month: dt.date
    values: dict[str, Any]


@dataclass
class ImportResult:
    """The rows that passed every check, and every problem found (rows with problems left out)."""

    rows: list[ActivityRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_activity_table(
    fileobj: IO[bytes],
    filename: str,
    definition: SurveyDefinition,
    initiatives: Container[str] | None = None,
) -> ImportResult:
    """Read and check an uploaded activity table.

    ``initiatives``, when given, holds the known initiative codes; other codes are a problem.
    Problems name the line as a spreadsheet shows it (header = 1) and the column header.
    """
    try:
        tables = read_tables(fileobj, filename)
    except TableFileError as exc:
        return ImportResult(problems=[Problem(filename, exc.message)])
    table = _pick_table(tables)
    return _TableChecker(filename, table, definition, initiatives).check()


def normalise_header(text: str) -> str:
    """``" Unieke deelnemers "`` -> ``unieke_deelnemers``, so headers match field names."""
    key = re.sub(r"[\s\-]+", "_", text.strip().casefold())
    return COLUMN_ALIASES.get(key, key)


def _pick_table(tables: list[Table]) -> Table:
    """The first sheet whose header names the initiative column, else the first sheet."""
    for table in tables:
        header = next((cells for _, cells in table.rows if any(cells)), [])
        if ID_COLUMN in {normalise_header(cell) for cell in header}:
            return table
    return tables[0] if tables else Table(sheet=None)


class _TableChecker:
    def __init__(
        self,
        filename: str,
        table: Table,
        definition: SurveyDefinition,
        initiatives: Container[str] | None,
    ) -> None:
        self.filename = filename
        self.table = table
        self.definition = definition
        self.initiatives = initiatives
        self.result = ImportResult()
        self.columns: dict[str, int] = {}  # expected column name -> index
        self.headers: list[str] = []

    def problem(self, line: int, column: str | None, message: Message) -> None:
        self.result.problems.append(
            Problem(self.filename, message, sheet=self.table.sheet, row=line, column=column)
        )

    def check(self) -> ImportResult:
        filled = [(line, cells) for line, cells in self.table.rows if any(cells)]
        if not filled:
            self.problem(1, None, Message(N_("The file is empty.")))
            return self.result
        (header_line, header), data_rows = filled[0], filled[1:]
        if self.check_header(header_line, header):
            first_line: dict[tuple[str, dt.date], int] = {}
            for line, cells in data_rows:
                if len(self.result.problems) >= MAX_PROBLEMS:
                    self.problem(
                        line,
                        None,
                        Message(
                            N_("Stopped after %(count)s problems; fix these and try again."),
                            {"count": MAX_PROBLEMS},
                        ),
                    )
                    break
                self.check_row(line, cells, first_line)
        return self.result

    def check_header(self, line: int, header: list[str]) -> bool:
        """Map columns; report unknown, duplicate and missing ones. True if rows can be read."""
        expected = template_header(self.definition)
        self.headers = header
        before = len(self.result.problems)
        for index, text in enumerate(header):
            if not text:
                continue
            key = normalise_header(text)
            if key not in expected:
                message = Message(
                    N_("Unknown column '%(column)s'; expected columns are: %(expected)s."),
                    {"column": text, "expected": ", ".join(expected)},
                )
                self.problem(line, text, message)
            elif key in self.columns:
                self.problem(line, text, Message(N_("This column appears twice.")))
            else:
                self.columns[key] = index
        for name in expected:
            if name not in self.columns:
                message = Message(N_("The column '%(column)s' is missing."), {"column": name})
                self.problem(line, name, message)
        return len(self.result.problems) == before

    def check_row(self, line: int, cells: list[str], first_line: dict) -> None:
        before = len(self.result.problems)
        for index in range(len(self.headers), len(cells)):
            if cells[index]:
                self.problem(line, None, Message(N_("This row has more cells than the header.")))
                break
        cell = {name: _cell(cells, index) for name, index in self.columns.items()}
        initiative = self.check_initiative(line, cell[ID_COLUMN])
        month = self.check_month(line, cell[MONTH_COLUMN])
        response = validate_response(self.definition, cell)
        for name, messages in response.errors.items():
            for message in messages:
                self.problem(line, self.header_of(name), message)
        if initiative is not None and month is not None:
            key = (initiative, month)
            if key in first_line:
                message = Message(
                    N_("Line %(line)s already has figures for this initiative and month."),
                    {"line": first_line[key]},
                )
                self.problem(line, self.header_of(MONTH_COLUMN), message)
            first_line.setdefault(key, line)
        if len(self.result.problems) == before and initiative and month:
            self.result.rows.append(ActivityRow(line, initiative, month, response.values))

    def check_initiative(self, line: int, code: str) -> str | None:
        column = self.header_of(ID_COLUMN)
        if not code:
            self.problem(line, column, Message(N_("This field is required.")))
            return None
        if self.initiatives is not None and code not in self.initiatives:
            self.problem(
                line, column, Message(N_("Unknown initiative '%(code)s'."), {"code": code})
            )
            return None
        return code

    def check_month(self, line: int, text: str) -> dt.date | None:
        column = self.header_of(MONTH_COLUMN)
        if not text:
            self.problem(line, column, Message(N_("This field is required.")))
            return None
        try:
            return parse_month(text)
        except InvalidValue as exc:
            self.problem(line, column, exc.message)
            return None

    def header_of(self, name: str) -> str:
        """The column's header as written in the file, for messages the user can match."""
        index = self.columns.get(name)
        return self.headers[index] if index is not None else name


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""
