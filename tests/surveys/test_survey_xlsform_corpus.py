"""XLSForms written by pyxform's authors (see data/pyxform/SOURCES.md) load as they mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys import (
    FieldType,
    check_definition_file,
    errors_only,
    load_definition,
    validate_response,
)

PYXFORM = Path(__file__).parent / "data" / "pyxform"


def test_old_binary_xls_with_single_colon_language_header_and_phone_number_loads():
    definition = load_definition(PYXFORM / "group.xls")

    assert [(f.name, f.type) for f in definition.fields] == [
        ("family_name", FieldType.TEXT),
        ("phone_number", FieldType.PHONE),
        ("age", FieldType.INTEGER),
    ]
    assert definition.field("age").label == {"en": "How old is your father?"}
    result = validate_response(definition, {"phone_number": "12ab", "age": "51"})
    assert result.errors["phone_number"][0].params == {"example": "06 12345678"}
    ok = validate_response(definition, {"phone_number": "+31 20 123 4567", "age": "51"})
    assert ok.ok and ok.values["phone_number"] == "+31 20 123 4567"


def test_oldest_text_header_style_loads():
    definition = load_definition(PYXFORM / "text_and_integer_xlsx.xlsx")

    assert definition.field("your_age").label == {"en": "How many years old are you?"}


def test_or_other_adds_an_other_choice_and_a_follow_up_shown_only_when_chosen():
    definition = load_definition(PYXFORM / "or_other.xlsx")

    colour = definition.field("fav_color")
    assert colour.choices[-1].value == "other"
    follow_up = definition.field("fav_color_other")
    assert follow_up.relevant.text == "selected(${fav_color}, 'other')"
    hidden = validate_response(definition, {"fav_color": "red", "fav_color_other": "teal"})
    assert hidden.values["fav_color_other"] is None
    shown = validate_response(definition, {"fav_color": "other", "fav_color_other": "teal"})
    assert shown.values["fav_color_other"] == "teal"


def test_choice_filter_refuses_a_choice_outside_the_earlier_answer():
    definition = load_definition(PYXFORM / "choice_filter_test.xlsx")

    fitting = validate_response(definition, {"state": "washington", "county": "king"})
    wrong = validate_response(definition, {"state": "texas", "county": "pierce"})

    assert fitting.errors.get("county") is None
    assert wrong.errors["county"][0].params == {"value": "pierce"}


def test_calculations_are_computed_on_the_server():
    definition = load_definition(PYXFORM / "calculate.xls")

    values = validate_response(definition, {}).values

    assert values["calculate_test"] == 4
    assert values["calculate_test_2"] == "success"


def test_spec_sample_loads_with_media_left_out_and_named():
    problems = check_definition_file(PYXFORM / "xlsform_spec_test.xlsx")
    definition = load_definition(PYXFORM / "xlsform_spec_test.xlsx")

    assert errors_only(problems) == []
    assert problems and all(p.warning and p.sheet == "survey" and p.row for p in problems)
    email_note = definition.field("email_note")
    assert "regex(${address}" in email_note.relevant.text


@pytest.mark.parametrize(
    ("name", "row", "column"), [("gps.xls", 2, "type"), ("tutorial.xls", None, None)]
)
def test_forms_with_nothing_supported_left_say_so_and_where(name, row, column):
    problems = check_definition_file(PYXFORM / name)

    assert errors_only(problems), "nothing is left to ask, so the form must not load"
    warnings = [p for p in problems if p.warning]
    assert warnings and all(p.sheet == "survey" and p.column == "type" for p in warnings)
    if row is not None:
        assert warnings[0].row == row


def test_every_committed_form_is_checked_without_an_exception():
    for path in sorted(PYXFORM.glob("*.xls*")):
        assert isinstance(check_definition_file(path), list), path.name
