"""The choices sheet of an XLSForm as choice lists, with each choice's extra columns (what a
``choice_filter`` reads)."""

from __future__ import annotations

from collections.abc import Callable

from surveys.messages import N_
from surveys.model import Choice
from surveys.xlsform_sheets import SheetTable

MEDIA_COLUMNS = {"image", "audio", "video", "big-image", "big_image"}
# Choices-sheet columns that are not data a choice filter reads.
_CHOICE_OWN_COLUMNS = {"list_name", "name", "label", *MEDIA_COLUMNS}
Report = Callable[..., None]


def read_choice_lists(
    sheet: SheetTable | None, default_language: str, report: Report
) -> dict[str, list[Choice]]:
    """Choice lists by name; ``report(row, column, msgid, params)`` is told what is wrong."""
    lists: dict[str, list[Choice]] = {}
    if sheet is None:
        return lists
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        list_name = sheet.text(row, "list_name")
        value = sheet.text(row, "name") or sheet.text(row, "$autovalue")
        if not list_name and not value:
            continue
        if not list_name or not value:
            missing = "list_name" if not list_name else "name"
            report(
                row.number,
                missing,
                N_("This choice has no '%(column)s'."),
                {"column": missing},
            )
            continue
        columns = {
            column.key if column.lang is None else column.header: row.text(column)
            for column in sheet.columns
            if column.key not in _CHOICE_OWN_COLUMNS or column.lang is not None
        }
        # Cascading lists repeat a value under another filter column (two "king" counties).
        identity = (list_name, value, tuple(sorted(columns.items())))
        if identity in seen:
            report(
                row.number,
                "name",
                N_("Duplicate choice '%(value)s' in list '%(list)s' (first on row %(first)s)."),
                {"value": value, "list": list_name, "first": seen[identity]},
            )
            continue
        seen[identity] = row.number
        label = sheet.localized(row, "label", default_language)
        choice = Choice(value=value, label=label, columns=columns)
        lists.setdefault(list_name, []).append(choice)
    return lists
