"""Read a survey definition from an XLSForm (.xlsx with survey/choices/settings sheets).

The supported subset: integer, decimal, text, select_one, select_multiple, date (``month-year``
appearance -> month), note; required; constraints made of comparisons; labels, hints and
constraint messages per language. Groups are flattened. Metadata rows (start, end, today, …) and
KoboToolbox's ``__version__`` calculate are skipped. Anything else — repeats, geopoints, media,
calculations, ``relevant`` skip logic, ``or_other``, choice filters — is reported with its sheet,
row and column, because silently dropping it would change what the survey means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from surveys.definition_checks import Issue, definition_issues
from surveys.messages import N_, Message, Problem
from surveys.model import Choice, Field, FieldType, Rule, SurveyDefinition
from surveys.spreadsheets import WorkbookError, open_workbook
from surveys.xlsform_constraints import ConstraintError, fold_constraint
from surveys.xlsform_sheets import SheetRow, SheetTable, find_sheet, language_code

SIMPLE_TYPES = {
    "integer": FieldType.INTEGER,
    "int": FieldType.INTEGER,
    "decimal": FieldType.DECIMAL,
    "text": FieldType.TEXT,
    "string": FieldType.TEXT,
    "date": FieldType.DATE,
    "note": FieldType.NOTE,
}
METADATA_TYPES = frozenset(
    {"start", "end", "today", "deviceid", "username", "phonenumber", "audit"}
    | {"subscriberid", "simserial", "email"}
)
KOBO_VERSION_FIELD = "__version__"
# Which survey column to point at when a check fails on a field's attribute.
_ATTRIBUTE_COLUMNS = {
    **{"name": "name", "type": "type", "choices": "type", "label": "label"},
    **{"required": "required", "min": "constraint", "max": "constraint"},
    **{"max_length": "constraint"},
}
UNSUPPORTED_COLUMNS = ("relevant", "calculation", "choice_filter", "trigger", "repeat_count")
_SELECT = re.compile(
    r"^(select_one|select one|select_multiple|select multiple|select all that apply)\s+(\S+)"
    r"(\s+or_other)?$",
    re.IGNORECASE,
)
_GROUP = re.compile(r"^(begin|end)[\s_]+(group|repeat)$", re.IGNORECASE)
_TRUE = {"yes", "true", "1", "true()"}
_FALSE = {"", "no", "false", "0", "false()"}


def definition_from_xlsform(path: Path) -> tuple[SurveyDefinition | None, list[Problem]]:
    """Read the XLSForm at ``path``; return the definition (None if broken) and all problems."""
    try:
        workbook = open_workbook(str(path))
    except WorkbookError as exc:
        return None, [Problem(path.name, exc.message)]
    try:
        sheets = {name: find_sheet(workbook, name) for name in ("survey", "choices", "settings")}
    finally:
        workbook.close()
    return _XLSFormReader(path, sheets).read()


@dataclass
class _Located:
    """Where a built field or rule came from: its survey row and the column for each attribute."""

    row: int
    columns: dict[str, str] = field(default_factory=dict)


class _XLSFormReader:
    def __init__(self, path: Path, sheets: dict[str, SheetTable | None]) -> None:
        self.file = path.name
        # Like pyxform, a form without form_id is named after its file, made into a valid id.
        self.stem = re.sub(r"[^A-Za-z0-9_.\-]+", "_", path.stem).strip("_.-") or "form"
        self.survey = sheets["survey"]
        self.choices_sheet = sheets["choices"]
        self.settings_sheet = sheets["settings"]
        self.problems: list[Problem] = []
        self.fields: list[Field] = []
        self.rules: list[Rule] = []
        self.field_places: list[_Located] = []
        self.rule_places: list[_Located] = []
        self.settings: dict[str, str] = {}
        self.default_language = "nl"

    def problem(
        self,
        sheet: SheetTable | None,
        row: int | None,
        key: str | None,
        msgid: str,
        params: dict | None = None,
    ) -> None:
        column = sheet.column(key) if sheet and key else None
        self.problems.append(
            Problem(
                self.file,
                Message(msgid, params or {}),
                sheet=sheet.name if sheet else None,
                row=row,
                column=column.header if column else key,
            )
        )

    def read(self) -> tuple[SurveyDefinition | None, list[Problem]]:
        if self.survey is None:
            self.problem(None, None, None, N_("The workbook has no sheet called survey."))
            return None, self.problems
        self.read_settings()
        for key in ("type", "name"):
            if not self.survey.has(key):
                self.problem(
                    self.survey,
                    self.survey.header_row,
                    None,
                    N_("The survey sheet has no '%(column)s' column."),
                    {"column": key},
                )
        if self.problems:
            return None, self.problems
        lists = self.read_choices()
        self.read_survey(lists)
        definition = SurveyDefinition(
            id=self.settings.get("form_id") or self.settings.get("id_string") or self.stem,
            version=self.settings.get("version") or "1",
            title={self.default_language: self.settings["form_title"]}
            if self.settings.get("form_title")
            else {},
            fields=tuple(self.fields),
            rules=tuple(self.rules),
            default_language=self.default_language,
            source=self.file,
        )
        for issue in definition_issues(definition):
            self.report(issue)
        return (None if self.problems else definition), self.problems

    def report(self, issue: Issue) -> None:
        message = issue.message
        if issue.kind == "definition":
            sheet, row, key = self.survey, None, None
            settings_key = {"id": "form_id", "version": "version"}.get(issue.attribute)
            if settings_key and self.settings_sheet and self.settings_sheet.rows:
                sheet, row = self.settings_sheet, self.settings_sheet.rows[0].number
                key = settings_key
            self.problem(sheet, row, key, message.msgid, dict(message.params))
            return
        places = self.field_places if issue.kind == "field" else self.rule_places
        place = places[issue.index or 0]
        key = place.columns.get(issue.attribute, "name")
        self.problem(self.survey, place.row, key, message.msgid, dict(message.params))

    def read_settings(self) -> None:
        sheet = self.settings_sheet
        if sheet is None or not sheet.rows:
            return
        row = sheet.rows[0]
        for key in ("form_title", "form_id", "id_string", "version", "default_language"):
            if sheet.text(row, key):
                self.settings[key] = sheet.text(row, key)
        language = self.settings.get("default_language", "")
        if language and language.lower() != "default":
            self.default_language = language_code(language)

    def read_choices(self) -> dict[str, list[Choice]]:
        sheet = self.choices_sheet
        lists: dict[str, list[Choice]] = {}
        if sheet is None:
            return lists
        seen: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            list_name = sheet.text(row, "list_name")
            value = sheet.text(row, "name") or sheet.text(row, "$autovalue")
            if not list_name and not value:
                continue
            if not list_name or not value:
                missing = "list_name" if not list_name else "name"
                self.problem(
                    sheet,
                    row.number,
                    missing,
                    N_("This choice has no '%(column)s'."),
                    {"column": missing},
                )
                continue
            if (list_name, value) in seen:
                self.problem(
                    sheet,
                    row.number,
                    "name",
                    N_("Duplicate choice '%(value)s' in list '%(list)s' (first on row %(first)s)."),
                    {"value": value, "list": list_name, "first": seen[list_name, value]},
                )
                continue
            seen[list_name, value] = row.number
            label = sheet.localized(row, "label", self.default_language)
            lists.setdefault(list_name, []).append(Choice(value=value, label=label))
        return lists

    def read_survey(self, lists: dict[str, list[Choice]]) -> None:
        open_blocks: list[tuple[str, int]] = []  # ("group" | "repeat", row number)
        for row in self.survey.rows:
            type_text = re.sub(r"\s+", " ", self.survey.text(row, "type"))
            group = _GROUP.match(type_text)
            in_repeat = any(kind == "repeat" for kind, _ in open_blocks)
            if group:
                self.read_block(
                    row, group.group(1).lower(), group.group(2).lower(), open_blocks, in_repeat
                )
            elif not in_repeat:
                self.read_row(row, type_text, lists)
        for kind, number in open_blocks:
            self.problem(
                self.survey,
                number,
                "type",
                N_("begin %(kind)s has no matching end %(kind)s."),
                {"kind": kind},
            )

    def read_block(
        self,
        row: SheetRow,
        action: str,
        kind: str,
        open_blocks: list[tuple[str, int]],
        in_repeat: bool,
    ) -> None:
        if action == "begin":
            if kind == "repeat" and not in_repeat:
                self.problem(
                    self.survey,
                    row.number,
                    "type",
                    N_("Repeats (begin repeat ... end repeat) are not supported."),
                )
            elif kind == "group" and not in_repeat:
                self.check_unsupported_columns(row)
            open_blocks.append((kind, row.number))
        elif open_blocks and open_blocks[-1][0] == kind:
            open_blocks.pop()
        else:
            self.problem(
                self.survey,
                row.number,
                "type",
                N_("end %(kind)s without a matching begin %(kind)s."),
                {"kind": kind},
            )

    def read_row(self, row: SheetRow, type_text: str, lists: dict[str, list[Choice]]) -> None:
        name = self.survey.text(row, "name") or self.survey.text(row, "$autoname")
        lowered = type_text.lower()
        if not type_text:
            if name or self.survey.localized(row, "label", self.default_language):
                self.problem(self.survey, row.number, "type", N_("This row has no type."))
            return
        if lowered in METADATA_TYPES or (lowered == "calculate" and name == KOBO_VERSION_FIELD):
            return
        field_type, choices = self.field_type(row, type_text, lists)
        if field_type is None:
            return
        if not name:
            self.problem(self.survey, row.number, "name", N_("This question has no name."))
            return
        self.check_unsupported_columns(row)
        if field_type is FieldType.DATE and "month-year" in self.survey.text(row, "appearance"):
            field_type = FieldType.MONTH
        built = Field(
            name=name,
            type=field_type,
            label=self.survey.localized(row, "label", self.default_language),
            help=self.survey.localized(row, "hint", self.default_language),
            required=self.required(row),
            choices=tuple(choices),
            constraint_message=self.survey.localized(
                row, "constraint_message", self.default_language
            )
            or None,
        )
        place = _Located(row.number, dict(_ATTRIBUTE_COLUMNS))
        if not self.survey.has("label"):
            place.columns["label"] = "name"
        self.fields.append(self.apply_constraint(row, built))
        self.field_places.append(place)

    def field_type(
        self, row: SheetRow, type_text: str, lists: dict[str, list[Choice]]
    ) -> tuple[FieldType | None, list[Choice]]:
        simple = SIMPLE_TYPES.get(type_text.lower())
        if simple is not None:
            return simple, []
        select = _SELECT.match(type_text)
        if select is None:
            known = type_text.split()[0].lower() in _KNOWN_UNSUPPORTED
            msgid = (
                N_(
                    "Unsupported question type '%(type)s'; supported are integer, decimal, text, "
                    "select_one, select_multiple, date and note."
                )
                if known
                else N_("Unknown question type '%(type)s'.")
            )
            self.problem(self.survey, row.number, "type", msgid, {"type": type_text})
            return None, []
        kind, list_name, or_other = select.groups()
        if or_other:
            self.problem(
                self.survey,
                row.number,
                "type",
                N_("or_other is not supported; add an 'other' choice and a text question instead."),
            )
            return None, []
        if list_name not in lists:
            self.problem(
                self.survey,
                row.number,
                "type",
                N_("The choice list '%(list)s' is not on the choices sheet."),
                {"list": list_name},
            )
            return None, []
        multiple = not kind.lower().replace("_", " ").startswith("select one")
        return (FieldType.SELECT_MULTIPLE if multiple else FieldType.SELECT_ONE), lists[list_name]

    def check_unsupported_columns(self, row: SheetRow) -> None:
        for key in UNSUPPORTED_COLUMNS:
            expression = self.survey.text(row, key)
            if expression:
                self.problem(
                    self.survey,
                    row.number,
                    key,
                    N_("The '%(column)s' column is not supported ('%(expression)s')."),
                    {"column": key, "expression": expression},
                )

    def required(self, row: SheetRow) -> bool:
        text = self.survey.text(row, "required").strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        self.problem(
            self.survey,
            row.number,
            "required",
            N_("Unsupported required value '%(value)s'; use yes or no."),
            {"value": self.survey.text(row, "required")},
        )
        return False

    def apply_constraint(self, row: SheetRow, built: Field) -> Field:
        text = self.survey.text(row, "constraint")
        if not text:
            return built
        try:
            built, rules = fold_constraint(built, text)
        except ConstraintError as exc:
            message = exc.message
            self.problem(self.survey, row.number, "constraint", message.msgid, dict(message.params))
            return built
        self.rules.extend(rules)
        self.rule_places.extend(_Located(row.number, {"check": "constraint"}) for _ in rules)
        return built


_KNOWN_UNSUPPORTED = frozenset(
    {"geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode"}
    | {"acknowledge", "range", "rank", "time", "datetime", "hidden", "xml-external"}
    | {"csv-external", "start-geopoint", "background-audio", "background-geopoint", "calculate"}
    | {"select_one_from_file", "select_multiple_from_file", "select_one_external", "trigger"}
)
