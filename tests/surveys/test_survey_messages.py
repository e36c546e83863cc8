"""Every message the package produces is an English msgid Babel can extract (keyword ``N_``)."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from conftest import MINIMAL_YAML, workbook_bytes
from test_survey_xlsform import UNSUPPORTED_CHOICES, UNSUPPORTED_SURVEY

import surveys
from surveys import check_definition_file, read_activity_table, validate_response

SURVEYS_DIR = Path(surveys.__file__).parent


def extracted_msgids() -> set[str]:
    found = extract_from_dir(
        str(SURVEYS_DIR), method_map=[("**.py", "python")], keywords={"N_": None}
    )
    return {message for _, _, message, _, _ in found}


def test_messages_from_loading_validating_and_importing_are_all_extractable(
    tmp_path, activity_definition
):
    xlsform = tmp_path / "unsupported.xlsx"
    xlsform.write_bytes(
        workbook_bytes({"survey": UNSUPPORTED_SURVEY, "choices": UNSUPPORTED_CHOICES})
    )
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text(MINIMAL_YAML + "    min: x\n    mnax: 3\n", encoding="utf-8")
    problems = [*check_definition_file(xlsform), *check_definition_file(broken_yaml)]
    raw = {"bezoeken": "1,234", "unieke_deelnemers": "-1", "vrijwilligersuren": "1,25"}
    errors = validate_response(activity_definition, raw).errors
    upload = io.BytesIO(b"initiatief,maand,onbekend\nx,2024-99,1\n")
    problems += read_activity_table(upload, "a.csv", activity_definition).problems
    produced = {p.message.msgid for p in problems}
    produced |= {m.msgid for messages in errors.values() for m in messages}

    assert len(produced) > 15
    assert produced <= extracted_msgids()


def test_problem_location_words_are_extractable_too():
    assert {"line %(row)s", "row %(row)s", "sheet %(sheet)s", "column %(column)s"} <= (
        extracted_msgids()
    )
