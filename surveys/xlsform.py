"""Read a survey definition from an XLSForm (.xlsx with survey/choices/settings sheets).

Reads .xlsx and old .xls files. The supported subset: text, integer, decimal, range, date
(``month-year`` appearance -> month), time, datetime, acknowledge, phone number, select_one/select_multiple (every spelling
pyxform accepts, with ``or_other``), note and calculate; ``required`` (yes/no or an expression),
``relevant``, ``constraint``, ``choice_filter`` and ``calculation`` in the expression subset of
``logic_parser``; labels, hints and messages per language. Groups are flattened, their skip logic
passed on to their questions. Metadata rows (start, end, today, …) and KoboToolbox's
``__version__`` calculate are skipped. Anything else — repeats, geopoints, media, unsupported
functions — is reported with its sheet, row and column, because silently dropping it would
change what the survey means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from surveys.definition_checks import Issue, definition_issues
from surveys.messages import N_, Message, Problem, errors_only
from surveys.model import Choice, Expression, Field, FieldType, Rule, SurveyDefinition
from surveys.spreadsheets import WorkbookError, read_named_sheets
from surveys.xlsform_choices import MEDIA_COLUMNS, read_choice_lists
from surveys.xlsform_constraints import ConstraintError, fold_constraint
from surveys.xlsform_logic import TRUE_TEXTS, RowLogic
from surveys.xlsform_sheets import SheetRow, SheetTable, find_sheet, language_code
from surveys.xlsform_types import (
    ACKNOWLEDGE_CHOICES,
    KNOWN_UNSUPPORTED,
    METADATA_TYPES,
    SELECT,
    SIMPLE_TYPES,
    both,
    is_multiple,
    other_text_field,
    range_bounds,
    type_word,
    with_other_choice,
)

KOBO_VERSION_FIELD = "__version__"
# Which survey column to point at when a check fails on a field's attribute.
_ATTRIBUTE_COLUMNS = {
    **{"name": "name", "type": "type", "choices": "type", "label": "label"},
    **{"required": "required", "min": "constraint", "max": "constraint"},
    **{"max_length": "constraint", "relevant": "relevant", "constraint": "constraint"},
    **{"choice_filter": "choice_filter", "calculation": "calculation"},
}
UNSUPPORTED_COLUMNS = ("trigger", "repeat_count")
_GROUP = re.compile(
    r"^(begin|end)[\s_]+(group|repeat|loop|kobomatrix|score|rank)(?:\s+over\s+\S+|\s+\S+)?$",
    re.IGNORECASE,
)


def definition_from_xlsform(path: Path) -> tuple[SurveyDefinition | None, list[Problem]]:
    """Read the XLSForm at ``path``; return the definition (None if broken) and all problems."""
    try:
        workbook = read_named_sheets(str(path))
    except WorkbookError as exc:
        return None, [Problem(path.name, exc.message)]
    sheets = {name: find_sheet(workbook, name) for name in ("survey", "choices", "settings")}
    if sheets["survey"] is None and len(workbook) == 1:
        # pyxform reads a workbook with a single sheet of any name as the survey sheet.
        sheets["survey"] = find_sheet(workbook, next(iter(workbook)).strip().lower())
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
        self.stem = _as_id(path.stem)
        self.survey = sheets["survey"]
        self.choices_sheet = sheets["choices"]
        self.settings_sheet = sheets["settings"]
        self.problems: list[Problem] = []
        self.fields: list[Field] = []
        self.rules: list[Rule] = []
        self.field_places: list[_Located] = []
        self.rule_places: list[_Located] = []
        self.settings: dict[str, str] = {}
        self.skipped_names: set[str] = set()
        self.default_language = "nl"

    def problem(
        self,
        sheet: SheetTable | None,
        row: int | None,
        key: str | None,
        msgid: str,
        params: dict | None = None,
        *,
        warning: bool = False,
    ) -> None:
        column = sheet.column(key) if sheet and key else None
        self.problems.append(
            Problem(
                self.file,
                Message(msgid, params or {}),
                sheet=sheet.name if sheet else None,
                row=row,
                column=column.header if column else key,
                warning=warning,
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
        lists = read_choice_lists(
            self.choices_sheet,
            self.default_language,
            lambda row, key, msgid, params=None: self.problem(
                self.choices_sheet, row, key, msgid, params
            ),
        )
        self.logic = RowLogic(
            self.survey,
            lambda row, key, msgid, params=None, warning=False: self.problem(
                self.survey, row, key, msgid, params, warning=warning
            ),
            self.skipped_names,
        )
        self.read_survey(lists)
        definition = SurveyDefinition(
            id=_as_id(self.settings.get("form_id") or self.settings.get("id_string") or self.stem),
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
        return (None if errors_only(self.problems) else definition), self.problems

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

    def read_survey(self, lists: dict[str, list[Choice]]) -> None:
        # ("group" | "repeat", row number, the group's skip logic)
        open_blocks: list[tuple[str, int, Expression | None]] = []
        for row in self.survey.rows:
            type_text = re.sub(r"\s+", " ", self.survey.text(row, "type"))
            group = _GROUP.match(type_text)
            in_repeat = any(kind == "repeat" for kind, _, _ in open_blocks)
            if group:
                kind = "group" if group.group(2).lower() == "group" else "repeat"
                self.read_block(row, group.group(1).lower(), kind, open_blocks, in_repeat)
            elif in_repeat:
                # Left out with its block; expressions may still name it (it counts as empty).
                self.skipped_names.add(self.survey.text(row, "name"))
            else:
                context = None
                for _, _, relevant in open_blocks:
                    context = both(context, relevant)
                self.read_row(row, type_text, lists, context)
        for kind, number, _ in open_blocks:
            self.problem(
                self.survey,
                number,
                "type",
                N_("begin %(kind)s has no matching end %(kind)s."),
                {"kind": kind},
            )
        self.logic.check_references(self.fields, [place.row for place in self.field_places])

    def read_block(
        self,
        row: SheetRow,
        action: str,
        kind: str,
        open_blocks: list[tuple[str, int, Expression | None]],
        in_repeat: bool,
    ) -> None:
        if action == "begin":
            relevant = None
            if kind == "repeat" and not in_repeat:
                self.problem(
                    self.survey,
                    row.number,
                    "type",
                    N_(
                        "Repeats (begin repeat ... end repeat) are not supported; the questions "
                        "in this repeat are left out."
                    )
                    if "repeat" in self.survey.text(row, "type").lower()
                    else N_(
                        "The block '%(type)s' is not supported; the questions in it are left out."
                    ),
                    {"type": self.survey.text(row, "type")},
                    warning=True,
                )
            elif kind == "group" and not in_repeat:
                self.check_unsupported_columns(row)
                relevant = self.logic.expression(row, "relevant")
            open_blocks.append((kind, row.number, relevant))
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

    def read_row(
        self,
        row: SheetRow,
        type_text: str,
        lists: dict[str, list[Choice]],
        group_relevant: Expression | None,
    ) -> None:
        name = self.survey.text(row, "name") or self.survey.text(row, "$autoname")
        lowered = type_text.lower()
        if not type_text:
            if name or self.survey.localized(row, "label", self.default_language):
                self.problem(self.survey, row.number, "type", N_("This row has no type."))
            return
        if lowered in METADATA_TYPES or (lowered == "calculate" and name == KOBO_VERSION_FIELD):
            self.skipped_names.add(name)
            return
        field_type, choices, or_other = self.field_type(row, type_text, lists)
        if field_type is None:
            return
        if not name and field_type is FieldType.NOTE:
            name = f"note_row_{row.number}"  # a note collects nothing, so any unique name does
        if not name:
            self.problem(self.survey, row.number, "name", N_("This question has no name."))
            return
        self.check_unsupported_columns(row)
        if field_type is FieldType.CALCULATE and self.logic.calculation_left_out(row, name):
            return
        if field_type is FieldType.DATE and "month-year" in self.survey.text(row, "appearance"):
            field_type = FieldType.MONTH
        label = self.survey.localized(row, "label", self.default_language)
        hint = self.survey.localized(row, "hint", self.default_language)
        if not label and field_type is not FieldType.CALCULATE:
            if not hint:
                self.report_media_only(row)
                return
            label, hint = hint, {}  # pyxform accepts a hint in place of a label
        built = Field(
            name=name,
            type=field_type,
            label=label,
            help=hint,
            required=self.required(row),
            choices=tuple(with_other_choice(choices) if or_other else choices),
            constraint_message=self.survey.localized(
                row, "constraint_message", self.default_language
            )
            or None,
            required_message=self.survey.localized(row, "required_message", self.default_language)
            or None,
            relevant=both(group_relevant, self.logic.expression(row, "relevant")),
            required_if=self.logic.required_expression(row),
            choice_filter=self.logic.expression(row, "choice_filter", allow_columns=True),
            calculation=self.logic.calculation(row, field_type),
        )
        if lowered == "range":
            built = self.apply_range(row, built)
        self.add_field(row, self.apply_constraint(row, built))
        if or_other:
            self.add_field(row, other_text_field(built))

    def report_media_only(self, row: SheetRow) -> None:
        """A question without text: say so, naming its media column when it has only media."""
        media = next(
            (
                column
                for column in self.survey.columns
                if column.key.removeprefix("media:") in MEDIA_COLUMNS and row.text(column)
            ),
            None,
        )
        if media is None:
            self.problem(
                self.survey,
                row.number,
                "label",
                N_("A label is required (in Dutch, English or both)."),
            )
            return
        self.skipped_names.add(self.survey.text(row, "name"))
        self.problem(
            self.survey,
            row.number,
            media.header,
            N_(
                "Images, sound and video are not supported and this question has no text "
                "label; it is left out."
            ),
            warning=True,
        )

    def add_field(self, row: SheetRow, built: Field) -> None:
        place = _Located(row.number, dict(_ATTRIBUTE_COLUMNS))
        if not self.survey.has("label"):
            place.columns["label"] = "name"
        self.fields.append(built)
        self.field_places.append(place)

    def field_type(
        self, row: SheetRow, type_text: str, lists: dict[str, list[Choice]]
    ) -> tuple[FieldType | None, list[Choice], bool]:
        simple = SIMPLE_TYPES.get(type_text.lower())
        if simple is FieldType.SELECT_ONE:  # acknowledge
            return simple, ACKNOWLEDGE_CHOICES, False
        if simple is not None:
            return simple, [], False
        select = SELECT.match(type_text)
        if type_word(type_text) in KNOWN_UNSUPPORTED:
            self.skipped_names.add(self.survey.text(row, "name"))
            self.problem(
                self.survey,
                row.number,
                "type",
                N_(
                    "The question type '%(type)s' is not supported (supported are text, integer, "
                    "decimal, range, date, time, datetime, phone number, select_one, "
                    "select_multiple, acknowledge, note and calculate); this question is left out."
                ),
                {"type": type_text},
                warning=True,
            )
            return None, [], False
        if select is None:
            self.problem(
                self.survey,
                row.number,
                "type",
                N_("Unknown question type '%(type)s'."),
                {"type": type_text},
            )
            return None, [], False
        kind, list_name, or_other = select.groups()
        if list_name not in lists:
            self.problem(
                self.survey,
                row.number,
                "type",
                N_("The choice list '%(list)s' is not on the choices sheet."),
                {"list": list_name},
            )
            return None, [], False
        field_type = FieldType.SELECT_MULTIPLE if is_multiple(kind) else FieldType.SELECT_ONE
        return field_type, lists[list_name], bool(or_other)

    def apply_range(self, row: SheetRow, built: Field) -> Field:
        try:
            bounds = range_bounds(self.survey.text(row, "parameters"))
        except ValueError:
            self.problem(
                self.survey,
                row.number,
                "parameters",
                N_("Unsupported range parameters '%(parameters)s'; use e.g. start=0 end=10."),
                {"parameters": self.survey.text(row, "parameters")},
            )
            return built
        kind = FieldType.DECIMAL if bounds.decimal else FieldType.INTEGER
        return replace(built, type=kind, min=bounds.start, max=bounds.end)

    def check_unsupported_columns(self, row: SheetRow) -> None:
        for key in UNSUPPORTED_COLUMNS:
            expression = self.survey.text(row, key)
            if expression:
                self.problem(
                    self.survey,
                    row.number,
                    key,
                    N_(
                        "The '%(column)s' column is not supported ('%(expression)s'); it is ignored."
                    ),
                    {"column": key, "expression": expression},
                    warning=True,
                )

    def required(self, row: SheetRow) -> bool:
        text = self.survey.text(row, "required").strip().lower()
        return text in TRUE_TEXTS

    def apply_constraint(self, row: SheetRow, built: Field) -> Field:
        text = self.survey.text(row, "constraint")
        if not text:
            return built
        try:
            built, rules = fold_constraint(built, text)
        except ConstraintError:
            # Not plain bounds: keep the whole expression and check it as such.
            constraint = self.logic.expression(row, "constraint")
            return replace(built, constraint=constraint) if constraint else built
        self.rules.extend(rules)
        self.rule_places.extend(_Located(row.number, {"check": "constraint"}) for _ in rules)
        return built


def _as_id(text: str) -> str:
    """A usable definition id from a title-like text: ``Flat test`` -> ``Flat_test``."""
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", text.strip()).strip("_.-") or "form"
