"""Importing monthly activity figures from CSV and XLSX: typed rows, or problems by line and column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from conftest import workbook_bytes

from surveys import load_definition, read_activity_table, template_header, validate_response
from surveys.loading import DEFAULT_ACTIVITY_DEFINITION

HEADER = [
    "initiatief",
    "maand",
    "activiteiten",
    "bezoeken",
    "unieke_deelnemers",
    "nieuwe_deelnemers",
    "vrijwilligers",
    "vrijwilligersuren",
    "maaltijden",
    "verwijzingen",
    "toelichting",
]


def row(initiative="buurtcafe-noord", month="2024-03", visits="40", hours="12.5", text=""):
    return [initiative, month, "4", visits, "25", "5", "3", hours, "0", "2", text]


def csv_bytes(rows, separator=",", encoding="utf-8", newline="\n"):
    lines = [separator.join(cells) for cells in rows]
    return (newline.join(lines) + newline).encode(encoding)


def read(data, filename, definition, **options):
    return read_activity_table(io.BytesIO(data), filename, definition, **options)


def test_template_header_is_initiative_month_then_every_question(activity_definition):
    assert template_header(activity_definition) == HEADER


def test_good_csv_gives_typed_rows_with_their_lines(activity_definition):
    data = csv_bytes(
        [HEADER, row(), row("moestuin", "2024-04", hours="3", text='"Goed, gezellig"')]
    )

    result = read(data, "maart.csv", activity_definition)

    assert result.problems == []
    first, second = result.rows
    assert (first.line, first.initiative, first.month) == (
        2,
        "buurtcafe-noord",
        dt.date(2024, 3, 1),
    )
    assert first.values["bezoeken"] == 40
    assert first.values["vrijwilligersuren"] == Decimal("12.5")
    assert first.values["toelichting"] is None
    assert (second.line, second.values["toelichting"]) == (3, "Goed, gezellig")


def test_bad_row_in_the_middle_names_line_and_column_and_is_left_out(activity_definition):
    data = csv_bytes([HEADER, row(), row("moestuin", visits="veel"), row("repaircafe")])

    result = read(data, "maart.csv", activity_definition)

    [problem] = result.problems
    assert (problem.file, problem.row, problem.column) == ("maart.csv", 3, "bezoeken")
    assert problem.message.msgid == "Must be a whole number between %(min)s and %(max)s."
    assert "maart.csv, line 3, column bezoeken: Must be a whole number" in str(problem)
    assert [r.line for r in result.rows] == [2, 4]
    assert not result.ok


def test_cross_field_rule_in_a_row_is_reported_on_its_column(activity_definition):
    bad = row()
    bad[4] = "45"  # unique participants above the 40 visits

    [problem] = read(csv_bytes([HEADER, bad]), "a.csv", activity_definition).problems

    assert (problem.row, problem.column) == (2, "unieke_deelnemers")


def test_semicolon_csv_from_dutch_excel_with_bom_crlf_and_decimal_comma(activity_definition):
    data = b"\xef\xbb\xbf" + csv_bytes(
        [HEADER, row(month="mrt-24", hours="12,5", text="Café liep goed")],
        separator=";",
        newline="\r\n",
    )

    result = read(data, "export.csv", activity_definition)

    assert result.problems == []
    [only] = result.rows
    assert only.month == dt.date(2024, 3, 1)
    assert only.values["vrijwilligersuren"] == Decimal("12.5")
    assert only.values["toelichting"] == "Café liep goed"


def test_windows_1252_csv_with_excels_separator_line_is_read(activity_definition):
    data = b"sep=;\r\n" + csv_bytes([HEADER, row(text="Café")], separator=";", encoding="cp1252")

    result = read(data, "oud.csv", activity_definition)

    assert result.problems == []
    assert result.rows[0].values["toelichting"] == "Café"
    assert result.rows[0].line == 2  # Excel hides the sep= line, so the header is line 1


def test_xlsx_with_numeric_and_date_cells_is_read_and_problems_name_the_sheet(activity_definition):
    good = ["buurtcafe-noord", dt.datetime(2024, 3, 1), 4, 40, 25, 5, 3, 12.5, 0, 2, None]
    bad = ["moestuin", "2024-03", 4, 40, 25, 5, 3, 12.25, 0, 2, "Te precies"]
    data = workbook_bytes({"Uitleg": [["Vul het tweede blad in"]], "Cijfers": [HEADER, good, bad]})

    result = read(data, "cijfers.xlsx", activity_definition)

    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("Cijfers", 3, "vrijwilligersuren")
    [only] = result.rows
    assert only.month == dt.date(2024, 3, 1)
    assert only.values["activiteiten"] == 4 and only.values["vrijwilligersuren"] == Decimal("12.5")


def test_duplicate_initiative_and_month_in_one_file_is_a_problem(activity_definition):
    data = csv_bytes([HEADER, row(), row("moestuin"), row(month="2024-3")])

    result = read(data, "dubbel.csv", activity_definition)

    [problem] = result.problems
    assert (problem.row, problem.column, problem.message.params) == (4, "maand", {"line": 2})
    assert [r.line for r in result.rows] == [2, 3]


def test_unknown_and_missing_columns_are_problems_on_the_header_line(activity_definition):
    header = [*HEADER[:-1], "opmerkingen"]  # toelichting renamed
    data = csv_bytes([header, [*row()[:-1], "x"]])

    result = read(data, "kolommen.csv", activity_definition)

    located = {(p.row, p.column, p.message.msgid) for p in result.problems}
    assert located == {
        (1, "opmerkingen", "Unknown column '%(column)s'; expected columns are: %(expected)s."),
        (1, "toelichting", "The column '%(column)s' is missing."),
    }
    assert result.rows == []


def test_header_case_and_spaces_are_forgiven(activity_definition):
    header = [name.replace("_", " ").title() for name in HEADER]

    result = read(csv_bytes([header, row()]), "hoofdletters.csv", activity_definition)

    assert result.problems == [] and len(result.rows) == 1


def test_unknown_initiative_empty_month_and_extra_cells_are_reported(activity_definition):
    data = csv_bytes([HEADER, row("onbekend"), row(month=""), [*row(), "", "extra"]])

    result = read(data, "rest.csv", activity_definition, initiatives={"buurtcafe-noord"})

    located = {(p.row, p.column) for p in result.problems}
    assert located == {(2, "initiatief"), (3, "maand"), (4, None)}
    assert result.rows == []


def test_unreadable_uploads_are_a_problem_not_a_crash(activity_definition):
    empty = read(b"", "leeg.csv", activity_definition)
    broken = read(b"PK\x03\x04 not really a zip", "kapot.xlsx", activity_definition)
    old = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "oud.xls", activity_definition)

    assert [p.message.msgid for p in empty.problems] == ["The file is empty."]
    assert "Cannot read" in broken.problems[0].message.msgid
    assert ".xls" in old.problems[0].message.msgid


def test_a_field_added_to_the_definition_file_needs_no_code_change(tmp_path):
    text = DEFAULT_ACTIVITY_DEFINITION.read_text(encoding="utf-8")
    new_field = (
        "  - name: kinderen\n"
        "    type: integer\n"
        "    required: true\n"
        "    min: 0\n"
        "    label: {nl: Kinderen, en: Children}\n\n"
        "rules:\n"
    )
    path = tmp_path / "maandregistratie.yaml"
    path.write_text(text.replace("rules:\n", new_field, 1), encoding="utf-8")
    definition = load_definition(path)

    assert template_header(definition) == [*HEADER, "kinderen"]
    assert (
        validate_response(definition, {}).errors["kinderen"][0].msgid == "This field is required."
    )
    without = read(csv_bytes([HEADER, row()]), "oud.csv", definition)
    assert [p.column for p in without.problems] == ["kinderen"]
    with_column = read(csv_bytes([[*HEADER, "kinderen"], [*row(), "7"]]), "nieuw.csv", definition)
    assert with_column.problems == []
    assert with_column.rows[0].values["kinderen"] == 7
