"""Builders for real definition files and uploads: YAML/JSON text, XLSForm and XLSX workbooks."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from surveys import SurveyDefinition, default_activity_definition

Rows = list[list[object]]

MINIMAL_YAML = """\
id: test
version: "1"
title: {nl: Test, en: Test}
fields:
  - name: bezoeken
    type: integer
    label: {nl: Bezoeken, en: Visits}
"""


def workbook_bytes(sheets: dict[str, Rows]) -> bytes:
    """An XLSX file with one sheet per entry, rows written from A1."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented text to tmp_path/name and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[[str, dict[str, Rows]], Path]:
    """Write an XLSX workbook to tmp_path/name and return the path."""

    def write(name: str, sheets: dict[str, Rows]) -> Path:
        path = tmp_path / name
        path.write_bytes(workbook_bytes(sheets))
        return path

    return write


@pytest.fixture
def activity_definition() -> SurveyDefinition:
    return default_activity_definition()
