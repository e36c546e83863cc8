"""Reading definitions from XLSForms as pyxform, KoboToolbox and other tools write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from surveys import FieldType, check_definition_file, load_definition, validate_response

PYXFORM_SURVEY = [
    [
        "type",
        "name",
        "label::Nederlands (nl)",
        "label::English (en)",
        "hint::Nederlands (nl)",
        "hint::English (en)",
        "required",
        "constraint",
        "constraint_message::Nederlands (nl)",
        "constraint_message::English (en)",
        "appearance",
    ],
    ["note", "intro", "Vul de cijfers in", "Enter the figures", None, None, None, None],
    ["date", "periode", "Maand", "Month", None, None, "yes", None, None, None, "month-year"],
    ["integer", "total_visits", "Bezoeken", "Visits", "Iedere keer telt", "Every time counts",
     "yes", "(. >= 0) and (. <= 500)"],
    ["integer", "unique_participants", "Unieke deelnemers", "Unique participants", None, None,
     "true", ". <= ${total_visits}", "Niet meer dan bezoeken", "Not more than visits"],
    ["decimal", "hours", "Uren", "Hours", None, None, "no", ". >= 0"],
    ["select_one yes_no", "meals", "Maaltijden?", "Meals?"],
    ["select_multiple partners", "partners", "Partners", "Partners"],
    ["text", "remark", "Opmerking", "Remark", None, None, None, "string-length(.) <= 1000"],
    ["date", "visit_day", "Dag", "Day"],
]  # fmt: skip
PYXFORM_CHOICES = [
    ["list_name", "name", "label::Nederlands (nl)", "label::English (en)"],
    ["yes_no", "yes", "Ja", "Yes"],
    ["yes_no", "no", "Nee", "No"],
    ["partners", "gp", "Huisarts", "GP"],
    ["partners", "team", "Wijkteam", "Neighbourhood team"],
]
PYXFORM_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Maandformulier", "maandformulier", "2024031501", "Nederlands (nl)"],
]


@pytest.fixture
def pyxform_style(write_xlsx):
    return write_xlsx(
        "pyxform_style.xlsx",
        {"survey": PYXFORM_SURVEY, "choices": PYXFORM_CHOICES, "settings": PYXFORM_SETTINGS},
    )


def test_pyxform_style_form_loads_types_labels_and_settings(pyxform_style):
    definition = load_definition(pyxform_style)

    assert (definition.id, definition.version) == ("maandformulier", "2024031501")
    assert definition.title == {"nl": "Maandformulier"}
    types = {item.name: item.type for item in definition.fields}
    assert types == {
        "intro": FieldType.NOTE,
        "periode": FieldType.MONTH,
        "total_visits": FieldType.INTEGER,
        "unique_participants": FieldType.INTEGER,
        "hours": FieldType.DECIMAL,
        "meals": FieldType.SELECT_ONE,
        "partners": FieldType.SELECT_MULTIPLE,
        "remark": FieldType.TEXT,
        "visit_day": FieldType.DATE,
    }
    visits = definition.field("total_visits")
    assert visits.label == {"nl": "Bezoeken", "en": "Visits"}
    assert visits.help == {"nl": "Iedere keer telt", "en": "Every time counts"}
    assert (visits.required, visits.min, visits.max) == (True, 0, 500)
    assert definition.field("hours").min == Decimal(0)
    assert definition.field("remark").max_length == 1000
    assert definition.field("partners").choices[1].label == {
        "nl": "Wijkteam",
        "en": "Neighbourhood team",
    }
    [rule] = definition.rules
    assert rule.expression == "unique_participants <= total_visits"
    assert rule.message == {"nl": "Niet meer dan bezoeken", "en": "Not more than visits"}


def test_xlsform_constraints_are_enforced_by_validate_response(pyxform_style):
    definition = load_definition(pyxform_style)

    result = validate_response(
        definition,
        {
            "periode": "2024-03",
            "total_visits": "600",
            "unique_participants": "10",
            "remark": "x" * 1001,
        },
    )

    assert result.errors["total_visits"][0].params == {"min": 0, "max": 500}
    assert "max_length" in result.errors["remark"][0].params
    result = validate_response(
        definition, {"periode": "2024-03", "total_visits": "5", "unique_participants": "10"}
    )
    assert result.errors["unique_participants"][0].render(lang="en") == "Not more than visits"


KOBO_SURVEY = [
    ["type", "$kuid", "label::English (en)", "label::Nederlands (nl)", "hint::English (en)",
     "required", "name", "$autoname", "constraint", "constraint_message::English (en)",
     "appearance", "calculation"],
    ["start", "k1", None, None, None, None, "start", "start"],
    ["end", "k2", None, None, None, None, "end", "end"],
    ["today", "k3", None, None, None, None, "today", "today"],
    ["deviceid", "k4", None, None, None, None, "deviceid", "deviceid"],
    ["begin_group", "k5", "Activities", "Activiteiten", None, None, "activities", "activities",
     None, None, "field-list"],
    ["integer", "k6", "Number of activities", "Aantal activiteiten", "Count each session",
     "true", "number_of_activities", "number_of_activities", ". >= 0", "Zero or more"],
    ["decimal", "k7", "Volunteer hours", "Vrijwilligersuren", None, "false", "volunteer_hours",
     "volunteer_hours"],
    ["end_group", "k8"],
    ["calculate", "k9", None, None, None, None, "__version__", "__version__", None, None, None,
     "'vAbC'"],
]  # fmt: skip
KOBO_SETTINGS = [
    ["form_title", "version", "default_language"],
    ["Activity log", "vAbC", "English (en)"],
]


def test_kobotoolbox_export_with_metadata_and_groups_loads_flattened(write_xlsx):
    path = write_xlsx(
        "kobo_export.xlsx",
        {"survey": KOBO_SURVEY, "choices": [["list_name", "name", "label::English (en)"]],
         "settings": KOBO_SETTINGS},
    )  # fmt: skip

    definition = load_definition(path)

    assert definition.id == "kobo_export"  # no form_id: the file name, as pyxform does
    assert definition.version == "vAbC"
    assert definition.default_language == "en"
    assert definition.title == {"en": "Activity log"}
    assert [item.name for item in definition.fields] == ["number_of_activities", "volunteer_hours"]
    activities = definition.field("number_of_activities")
    assert activities.label == {"en": "Number of activities", "nl": "Aantal activiteiten"}
    assert activities.required and activities.min == 0
    assert activities.constraint_message == {"en": "Zero or more"}


def test_other_tools_header_case_spacing_empty_rows_and_spelling_are_tolerated(write_xlsx):
    survey = [
        [None],
        ["Type", " Name ", "Label", "Label::English (en)", "REQUIRED", "Constraint", "Hint"],
        [None, None, None],
        ["begin group ", "g1", "Groep", "Group"],
        ["Integer ", " visits ", "Bezoeken ", "Visits", True, "(. >= 0) and (. <= 500)", "Tel"],
        [],
        ["select one  kind", "kind", "Soort", "Kind", "TRUE()"],
        ["END GROUP"],
        ["select_multiple kind", "kinds", "Soorten", "Kinds", "FALSE()"],
    ]
    choices = [["List Name", "Name", "Label"], ["kind", "a ", "A"], [None], ["kind", "b", "B"]]
    path = write_xlsx("Other tool (v2).xlsx", {" Survey ": survey, "CHOICES": choices})

    definition = load_definition(path)

    assert (definition.id, definition.version) == ("Other_tool_v2", "1")
    visits = definition.field("visits")
    assert visits.label == {"nl": "Bezoeken", "en": "Visits"}  # plain label = default language
    assert visits.help == {"nl": "Tel"}
    assert (visits.required, visits.min, visits.max) == (True, 0, 500)
    assert definition.field("kind").required is True
    assert [c.value for c in definition.field("kinds").choices] == ["a", "b"]
    assert definition.field("kinds").required is False


UNSUPPORTED_SURVEY = [
    ["type", "name", "label", "required", "constraint", "relevant", "calculation"],
    ["integer", "visits", "Visits"],  # row 2: fine
    ["geopoint", "where", "Where"],  # row 3
    ["image", "photo", "Photo"],  # row 4
    ["begin repeat", "people", "People"],  # row 5
    ["text", "person", "Person"],  # row 6: inside the repeat, not reported on its own
    ["end repeat"],  # row 7
    ["calculate", "lookup", None, None, None, None, "pulldata('f', 'a', 'b', ${visits})"],  # 8
    ["integer", "guests", "Guests", None, None, "${nobody} > 0"],  # row 9
    ["select_one_from_file places.csv", "place", "Place"],  # row 10
    ["rank yn", "order", "Order"],  # row 11
    ["integer", "either", "Either", None, ". > /data/visits"],  # row 12
    ["integer", "sometimes", "Sometimes", "${visits} >"],  # row 13
    ["barcode_scanner", "scan", "Scan"],  # row 14
    ["integer", "capped", "Capped", None, ". <= ${nowhere}"],  # row 15
    ["text", "words", "Words", None, "count(.) >= 5"],  # row 16
]
UNSUPPORTED_CHOICES = [["list_name", "name", "label"], ["yn", "y", "Yes"]]


def test_features_outside_the_subset_are_reported_with_row_and_column(write_xlsx):
    path = write_xlsx(
        "unsupported.xlsx", {"survey": UNSUPPORTED_SURVEY, "choices": UNSUPPORTED_CHOICES}
    )

    problems = check_definition_file(path)

    located = {(p.sheet, p.row, p.column) for p in problems}
    assert located == {
        ("survey", 3, "type"),
        ("survey", 4, "type"),
        ("survey", 5, "type"),
        ("survey", 8, "calculation"),
        ("survey", 9, "relevant"),
        ("survey", 10, "type"),
        ("survey", 11, "type"),
        ("survey", 12, "constraint"),
        ("survey", 13, "required"),
        ("survey", 14, "type"),
        ("survey", 15, "constraint"),
        ("survey", 16, "constraint"),
    }
    by_row = {p.row: p for p in problems}
    assert by_row[3].message.params == {"type": "geopoint"}
    assert "is not supported" in by_row[3].message.msgid
    left_out = {p.row for p in problems if p.warning}
    assert left_out == {3, 4, 5, 8, 10, 11}  # geo, media, repeat, pulldata(), file list, rank
    assert "Unknown question type" in by_row[14].message.msgid
    assert "Repeats (begin repeat" in by_row[5].message.msgid
    assert by_row[9].message.params == {"expression": "${nobody} > 0", "name": "nobody"}
    assert by_row[8].message.params["token"] == "pulldata"
    assert by_row[11].message.params == {"type": "rank yn"}
    assert by_row[15].message.params == {"name": "nowhere"}
    assert all(p.file == "unsupported.xlsx" for p in problems)


def test_broken_xlsform_structure_is_reported_where_it_is(write_xlsx):
    survey = [
        ["type", "name", "label"],
        ["begin_group", "g", "G"],  # row 2: never closed
        ["select_one missing_list", "pick", "Pick"],  # row 3
        ["integer", None, "No name"],  # row 4
        ["integer", "two words", "Bad name"],  # row 5
        [None, "orphan", "No type"],  # row 6
        ["end repeat"],  # row 7
        ["text", "pick", "Same name again"],  # row 8
    ]
    choices = [["list_name", "name", "label"], ["other", "a", "A"], ["other", "a", "A again"]]
    path = write_xlsx("broken.xlsx", {"survey": survey, "choices": choices})

    problems = check_definition_file(path)

    located = {(p.sheet, p.row, p.column) for p in problems}
    assert located == {
        ("survey", 2, "type"),
        ("survey", 3, "type"),
        ("survey", 4, "name"),
        ("survey", 5, "name"),
        ("survey", 6, "type"),
        ("survey", 7, "type"),
        ("choices", 3, "name"),
    }


def test_workbook_without_survey_sheet_or_not_a_workbook_is_a_problem(write_xlsx, tmp_path):
    no_survey = write_xlsx(
        "no_survey.xlsx", {"Sheet1": [["type", "name"]], "Sheet2": [["list_name", "name"]]}
    )
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_bytes(b"this is not a zip file")
    old_xls = tmp_path / "old.xlsx"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    [missing] = check_definition_file(no_survey)
    [unreadable] = check_definition_file(not_xlsx)
    [old] = check_definition_file(old_xls)

    assert missing.message.msgid == "The workbook has no sheet called survey."
    assert unreadable.file == "fake.xlsx" and "Cannot read" in unreadable.message.msgid
    assert ".xls" in old.message.msgid


def test_strict_bounds_become_min_for_whole_numbers_and_rules_for_decimals(write_xlsx):
    survey = [
        ["type", "name", "label", "constraint"],
        ["integer", "people", "People", ". > 0 and . < 10"],
        ["decimal", "hours", "Hours", ". > 0"],
    ]
    definition = load_definition(write_xlsx("strict.xlsx", {"survey": survey}))

    assert (definition.field("people").min, definition.field("people").max) == (1, 9)
    [rule] = definition.rules
    assert rule.expression == "hours > 0"
    [message] = validate_response(definition, {"hours": "0"}).errors["hours"]
    assert str(message) == "Must be more than 0."


def test_group_skip_logic_applies_to_every_question_inside_it(write_xlsx):
    survey = [
        ["type", "name", "label", "relevant", "required"],
        ["integer", "visits", "Visits"],
        ["begin group", "extra", "Extra", "${visits} > 0"],
        ["integer", "guests", "Guests", "${visits} < 100", "yes"],
        ["end group"],
    ]
    definition = load_definition(write_xlsx("skip.xlsx", {"survey": survey}))

    assert definition.field("guests").relevant.text == "(${visits} > 0) and (${visits} < 100)"
    hidden = validate_response(definition, {"visits": "0", "guests": "7"})
    assert hidden.ok and hidden.values["guests"] is None
    shown = validate_response(definition, {"visits": "3", "guests": ""})
    assert shown.errors["guests"][0].msgid == "This field is required."
