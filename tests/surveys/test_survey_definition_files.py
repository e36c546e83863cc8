"""Loading definitions from YAML and JSON: good files load, broken files name file, line and key."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml
from conftest import MINIMAL_YAML

from surveys import (
    DefinitionError,
    FieldType,
    check_definition_file,
    format_problems,
    load_definition,
    load_definitions,
)
from surveys.loading import DEFAULT_ACTIVITY_DEFINITION, DEFINITIONS_DIR
from surveys.model import SIGNIFICATION_TYPES


def test_shipped_activity_definition_has_the_monthly_figures_and_rules(activity_definition):
    fields = activity_definition.fields_by_name()
    assert activity_definition.id == "maandregistratie"
    assert list(fields) == [
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
    assert fields["vrijwilligersuren"].type is FieldType.DECIMAL
    assert fields["vrijwilligersuren"].decimals == 1
    assert fields["toelichting"].max_length == 1000 and not fields["toelichting"].required
    assert {rule.expression for rule in activity_definition.rules} == {
        "unieke_deelnemers <= bezoeken",
        "nieuwe_deelnemers <= unieke_deelnemers",
    }
    for item in activity_definition.fields:
        # Every language a resident or initiative can choose in the web app.
        assert set(item.label) == {"nl", "en", "tr", "ar", "pl"}, item.name
        assert set(item.help) == {"nl", "en", "tr", "ar", "pl"}, item.name


def test_every_shipped_definition_file_checks_clean():
    assert load_definitions(DEFINITIONS_DIR)["maandregistratie"].version == "1"
    assert check_definition_file(DEFAULT_ACTIVITY_DEFINITION) == []


def test_json_with_the_same_structure_loads_the_same_definition(tmp_path, activity_definition):
    data = yaml.safe_load(DEFAULT_ACTIVITY_DEFINITION.read_text(encoding="utf-8"))
    path = tmp_path / "maandregistratie.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    loaded = load_definition(path)

    assert loaded.fields == activity_definition.fields
    assert loaded.rules == activity_definition.rules
    assert loaded.title == activity_definition.title


def test_every_field_type_and_plain_string_labels_load(write_file):
    path = write_file(
        "all_types.yml",
        """\
        id: all-types
        version: 2
        default_language: en
        title: All types
        fields:
          - {name: count, type: integer, label: Count, min: -5, max: 5}
          - {name: share, type: decimal, label: Share, min: 0, max: 99.5, decimals: 2}
          - {name: remark, type: text, label: Remark, max_length: 20}
          - name: kind
            type: select_one
            label: Kind
            choices:
              - {value: a, label: {nl: Een, en: One}}
              - {value: 2, label: Two}
          - name: days
            type: select_multiple
            label: Days
            choices: [{value: mon, label: Monday}, {value: tue, label: Tuesday}]
          - {name: period, type: month, label: Period, required: yes}
          - {name: day, type: date, label: Day}
          - {name: intro, type: note, label: Read this first}
        rules:
          - count != 0
        """,
    )

    definition = load_definition(path)

    assert definition.version == "2"
    # the XLSForm-only kinds are tested with XLSForms; the self-signification kinds in
    # tests/surveys/test_signification_definitions.py
    newer = (FieldType.PHONE, FieldType.TIME, FieldType.DATETIME, FieldType.CALCULATE)
    expected = [kind for kind in FieldType if kind not in newer and kind not in SIGNIFICATION_TYPES]
    assert [item.type for item in definition.fields] == expected
    assert definition.field("count").label == {"en": "Count"}
    assert definition.field("share").max == Decimal("99.5")
    assert [choice.value for choice in definition.field("kind").choices] == ["a", "2"]
    assert definition.field("period").required is True
    assert definition.rules[0].value == 0
    assert [item.name for item in definition.value_fields][-1] == "day"


# Each case appends lines to MINIMAL_YAML (7 lines), so the first added line is line 8.
BROKEN_CASES = {
    "unknown type": (
        "  - {name: x, type: number, label: X}\n",
        8,
        "fields[2].type",
        "Unknown type '%(type)s'",
    ),
    "min not a number": ("    min: veel\n", 8, "fields[1].min", "Expected a number"),
    "min above max": ("    min: 10\n    max: 5\n", 8, "fields[1].min", "is greater than max"),
    "misspelled key": ("    mnax: 5\n", 8, "fields[1].mnax", "Unknown key '%(key)s'"),
    "duplicate key": ("    type: text\n", 8, "fields[1].type", "Duplicate key '%(key)s'."),
    "reserved name": (
        "  - {name: maand, type: month, label: Maand}\n",
        8,
        "fields[2].name",
        "reserved for a column",
    ),
    "duplicate name": (
        "  - {name: bezoeken, type: integer, label: Nog eens}\n",
        8,
        "fields[2].name",
        "Duplicate name",
    ),
    "missing label": ("  - {name: extra, type: text}\n", 8, "fields[2]", "Missing required key"),
    "choice question without choices": (
        "  - {name: soort, type: select_one, label: Soort}\n",
        8,
        "fields[2]",
        "at least one choice",
    ),
    "rule on unknown field": (
        "rules:\n  - bezoeken <= deelnemers\n",
        9,
        "rules[1]",
        "unknown field",
    ),
    "unreadable rule": (
        "rules:\n  - {check: bezoeken is less than 5}\n",
        9,
        "rules[1].check",
        "Cannot read the rule",
    ),
}


@pytest.mark.parametrize("case", BROKEN_CASES, ids=list(BROKEN_CASES))
def test_broken_yaml_names_file_line_and_key(write_file, case):
    addition, line, column, msgid_part = BROKEN_CASES[case]
    path = write_file("broken.yaml", MINIMAL_YAML + addition)

    problems = check_definition_file(path)

    assert len(problems) >= 1, case
    found = [p for p in problems if msgid_part in p.message.msgid]
    assert found, [str(p) for p in problems]
    assert (found[0].file, found[0].row, found[0].column) == ("broken.yaml", line, column)


def test_invalid_yaml_syntax_names_the_line(write_file):
    path = write_file("syntax.yaml", MINIMAL_YAML + "  - name: [unclosed\n")

    [problem] = check_definition_file(path)

    assert problem.row in (8, 9)  # the parser notices at the end of the unclosed list
    assert problem.message.msgid == "Invalid YAML: %(error)s."


def test_invalid_json_names_the_line(write_file):
    path = write_file("syntax.json", '{\n  "id": "x",\n  "version": "1",,\n}\n')

    [problem] = check_definition_file(path)

    assert (problem.file, problem.row) == ("syntax.json", 3)
    assert problem.message.msgid == "Invalid JSON: %(error)s."


def test_json_with_a_wrong_value_names_its_line(write_file):
    data = yaml.safe_load(MINIMAL_YAML)
    data["fields"][0]["max"] = "lots"
    path = write_file("wrong.json", json.dumps(data, indent=2))

    [problem] = check_definition_file(path)

    assert problem.column == "fields[1].max"
    assert path.read_text().splitlines()[problem.row - 1].strip().startswith('"max"')


def test_load_definition_raises_with_every_problem_and_readable_text(write_file):
    path = write_file(
        "two_problems.yaml",
        MINIMAL_YAML + "    min: x\n  - {name: b, type: colour, label: B}\n",
    )

    with pytest.raises(DefinitionError) as raised:
        load_definition(path)

    assert len(raised.value.problems) == 2
    text = format_problems(raised.value.problems)
    assert "two_problems.yaml, line 8, column fields[1].min: Expected a number, got 'x'" in text
    assert "line 9, column fields[2].type: Unknown type 'colour'" in text


def test_missing_top_level_keys_are_each_reported(write_file):
    path = write_file("empty_ish.yaml", "title: Leeg\n")

    msgids = {(p.message.msgid, p.message.params.get("key")) for p in check_definition_file(path)}

    assert ("Missing required key '%(key)s'.", "id") in msgids
    assert ("Missing required key '%(key)s'.", "version") in msgids
    assert ("Missing required key '%(key)s'.", "fields") in msgids


def test_unsupported_suffix_and_missing_file_are_problems(tmp_path):
    [suffix] = check_definition_file(tmp_path / "form.txt")
    [missing] = check_definition_file(tmp_path / "absent.yaml")

    assert suffix.message.params == {"suffix": ".txt"}
    assert missing.message.msgid == "The file does not exist."


def test_two_files_with_one_id_in_a_directory_is_a_problem(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(MINIMAL_YAML, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a definition", encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definitions(tmp_path)

    [problem] = raised.value.problems
    assert problem.file == "b.yaml"
    assert problem.message.params == {"id": "test", "file": "a.yaml"}


def test_an_unquoted_decimal_version_is_refused_because_it_loses_digits(write_file):
    path = write_file("version.yaml", MINIMAL_YAML.replace('version: "1"', "version: 1.10"))

    [problem] = check_definition_file(path)

    assert (problem.row, problem.column) == (2, "version")
    assert "put quotes around it" in problem.message.msgid
