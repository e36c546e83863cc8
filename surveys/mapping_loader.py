"""Build a SurveyDefinition from a parsed YAML or JSON document, reporting every problem by line.

The file structure (see ``surveys/definitions/maandregistratie.yaml``)::

    id, version, title {nl, en}, default_language?, description?,
    fields: [{name, type, label, help?, required?, min?, max?, decimals?, max_length?,
              choices?: [{value, label}], constraint_message?,
              poles?: [{value, label}] (slider), corners?: [{value, label, theme?}] (triad)}],
    rules?: ["a <= b" | {check: "a <= b", message?: {nl, en}}]

Any text per language may also be a plain string, meaning the default language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from surveys.definition_checks import Issue, definition_issues
from surveys.documents import Document, KeyPath
from surveys.expressions import parse_rule
from surveys.messages import N_, LocalizedText, Message, Problem
from surveys.model import Choice, Field, FieldType, Number, Rule, SurveyDefinition

# Calculations need expressions, which only XLSForms carry.
DOCUMENT_TYPES = tuple(kind for kind in FieldType if kind is not FieldType.CALCULATE)

DEFINITION_KEYS = ("id", "version", "title", "description", "default_language", "fields", "rules")
FIELD_KEYS = (
    *("name", "type", "label", "help", "required", "min", "max", "decimals", "max_length"),
    *("choices", "constraint_message", "poles", "corners"),
)
CHOICE_KEYS = ("value", "label")
CORNER_KEYS = ("value", "label", "theme")
RULE_KEYS = ("check", "message")
_MISSING = object()


def definition_from_document(
    document: Document, file: str
) -> tuple[SurveyDefinition | None, list[Problem]]:
    """Build the definition; return it (None if it could not be built) and all problems."""
    return _MappingReader(document, file).read()


def key_path_text(path: KeyPath) -> str:
    """``("fields", 2, "min")`` -> ``fields[3].min`` (list items counted from 1)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _MappingReader:
    """Walks the document once, collecting problems instead of stopping at the first."""

    def __init__(self, document: Document, file: str) -> None:
        self.document = document
        self.file = file
        self.problems = [
            Problem(file, message, row=line, column=key_path_text(path))
            for line, path, message in document.errors
        ]
        self.default_language = "nl"
        self.field_paths: list[KeyPath] = []
        self.rule_paths: list[KeyPath] = []

    def problem(self, path: KeyPath, msgid: str, params: dict | None = None) -> None:
        message = Message(msgid, params or {})
        line = self.document.line(path)
        self.problems.append(Problem(self.file, message, row=line, column=key_path_text(path)))

    def read(self) -> tuple[SurveyDefinition | None, list[Problem]]:
        data = self.document.data
        if not isinstance(data, dict):
            self.problem((), N_("Expected a mapping with the keys id, version, title and fields."))
            return None, self.problems
        self.unknown_keys(data, (), DEFINITION_KEYS)
        language = data.get("default_language", "nl")
        if isinstance(language, str) and language.strip():
            self.default_language = language.strip()
        else:
            self.problem(("default_language",), N_("Expected a language code such as nl."))
        identity = self.text(data, (), "id", required=True)
        version = data.get("version", _MISSING)
        if version is _MISSING:
            self.problem((), N_("Missing required key '%(key)s'."), {"key": "version"})
        elif not isinstance(version, str | int) or isinstance(version, bool):
            # a float would lose digits ("1.10" -> 1.1), so it must be quoted
            self.problem(
                ("version",),
                N_("Expected text, got '%(value)s'; put quotes around it."),
                {"value": version},
            )
        title = self.localized(data, (), "title", required=True)
        description = self.localized(data, (), "description")
        fields = self.fields(data.get("fields", _MISSING))
        rules = self.rules(data.get("rules", []))
        definition = SurveyDefinition(
            id=identity or "",
            version="" if version is _MISSING else str(version),
            title=title or {},
            fields=tuple(fields),
            rules=tuple(rules),
            default_language=self.default_language,
            description=description or {},
            source=self.file,
        )
        for issue in definition_issues(definition):
            self.report(issue)
        return (None if self.problems else definition), self.problems

    def report(self, issue: Issue) -> None:
        if issue.kind == "field" and issue.index is not None:
            base = self.field_paths[issue.index]
        elif issue.kind == "rule" and issue.index is not None:
            base = self.rule_paths[issue.index]
        else:
            base = ()
        path = (*base, issue.attribute)
        line = self.document.lines.get(path) or self.document.line(base)
        column = key_path_text(path if path in self.document.lines else base) or None
        self.problems.append(Problem(self.file, issue.message, row=line, column=column))

    def unknown_keys(self, data: dict, path: KeyPath, known: tuple[str, ...]) -> None:
        for key in data:
            if key not in known:
                self.problem(
                    (*path, key),
                    N_("Unknown key '%(key)s'; expected one of: %(known)s."),
                    {"key": key, "known": ", ".join(known)},
                )

    def fields(self, raw: Any) -> list[Field]:
        if raw is _MISSING:
            self.problem((), N_("Missing required key '%(key)s'."), {"key": "fields"})
            return []
        if not isinstance(raw, list):
            self.problem(("fields",), N_("Expected a list."))
            return []
        fields = []
        for index, item in enumerate(raw):
            field = self.field(item, ("fields", index))
            if field is not None:
                fields.append(field)
                self.field_paths.append(("fields", index))
        return fields

    def field(self, raw: Any, path: KeyPath) -> Field | None:
        if not isinstance(raw, dict):
            self.problem(path, N_("Expected a mapping of keys to values."))
            return None
        self.unknown_keys(raw, path, FIELD_KEYS)
        name = self.text(raw, path, "name", required=True)
        type_text = self.text(raw, path, "type", required=True)
        label = self.localized(raw, path, "label", required=True)
        if type_text is not None and type_text not in DOCUMENT_TYPES:
            self.problem(
                (*path, "type"),
                N_("Unknown type '%(type)s'; use one of: %(types)s."),
                {"type": type_text, "types": ", ".join(DOCUMENT_TYPES)},
            )
            return None
        if name is None or type_text is None:
            return None
        field_type = FieldType(type_text)
        return Field(
            name=name,
            type=field_type,
            label=label or {},
            help=self.localized(raw, path, "help") or {},
            required=self.boolean(raw, path, "required"),
            min=self.number(raw, path, "min", field_type),
            max=self.number(raw, path, "max", field_type),
            decimals=self.count(raw, path, "decimals", minimum=0),
            max_length=self.count(raw, path, "max_length", minimum=1),
            choices=tuple(self.choices(raw.get("choices", []), (*path, "choices"))),
            constraint_message=self.localized(raw, path, "constraint_message"),
            poles=tuple(self.choices(raw.get("poles", []), (*path, "poles"))),
            corners=tuple(self.choices(raw.get("corners", []), (*path, "corners"), CORNER_KEYS)),
        )

    def choices(self, raw: Any, path: KeyPath, keys: tuple[str, ...] = CHOICE_KEYS) -> list[Choice]:
        if not isinstance(raw, list):
            self.problem(path, N_("Expected a list."))
            return []
        choices = []
        for index, item in enumerate(raw):
            item_path = (*path, index)
            if not isinstance(item, dict):
                self.problem(item_path, N_("Expected a mapping with value and label."))
                continue
            self.unknown_keys(item, item_path, keys)
            value = item.get("value", _MISSING)
            if value is _MISSING:
                self.problem(item_path, N_("Missing required key '%(key)s'."), {"key": "value"})
            elif isinstance(value, bool) or not isinstance(value, str | int):
                self.problem(
                    (*item_path, "value"),
                    N_("Expected text, got '%(value)s'; put quotes around it."),
                    {"value": value},
                )
            else:
                label = self.localized(item, item_path, "label", required=True)
                theme = self.text(item, item_path, "theme") if "theme" in keys else None
                choices.append(Choice(value=str(value).strip(), label=label or {}, theme=theme))
        return choices

    def rules(self, raw: Any) -> list[Rule]:
        if not isinstance(raw, list):
            self.problem(("rules",), N_("Expected a list."))
            return []
        rules = []
        for index, item in enumerate(raw):
            path: KeyPath = ("rules", index)
            message = None
            if isinstance(item, dict):
                self.unknown_keys(item, path, RULE_KEYS)
                message = self.localized(item, path, "message")
                check = self.text(item, path, "check", required=True)
                check_path: KeyPath = (*path, "check")
            else:
                check, check_path = item, path
            if check is None:
                continue
            try:
                comparison = parse_rule(str(check))
            except ValueError:
                self.problem(
                    check_path,
                    N_("Cannot read the rule '%(rule)s'; write one comparison such as a <= b."),
                    {"rule": check},
                )
                continue
            rules.append(
                Rule(
                    field=comparison.subject,
                    op=comparison.op,
                    other_field=comparison.other_field,
                    value=comparison.value,
                    message=message,
                )
            )
            self.rule_paths.append(path)
        return rules

    def text(self, data: dict, path: KeyPath, key: str, required: bool = False) -> str | None:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(path, N_("Missing required key '%(key)s'."), {"key": key})
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*path, key), N_("Expected text, got '%(value)s'."), {"value": value})
            return None
        return value.strip()

    def localized(
        self, data: dict, path: KeyPath, key: str, required: bool = False
    ) -> LocalizedText | None:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(path, N_("Missing required key '%(key)s'."), {"key": key})
            return None
        if isinstance(value, str):
            return {self.default_language: value.strip()}
        if isinstance(value, dict) and all(
            isinstance(lang, str) and isinstance(text, str) for lang, text in value.items()
        ):
            return {lang.strip(): text.strip() for lang, text in value.items()}
        self.problem(
            (*path, key),
            N_("Expected a text or texts per language, such as {nl: ..., en: ...}."),
        )
        return None

    def boolean(self, data: dict, path: KeyPath, key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(
                (*path, key), N_("Expected true or false, got '%(value)s'."), {"value": value}
            )
            return False
        return value

    def number(self, data: dict, path: KeyPath, key: str, field_type: FieldType) -> Number | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem((*path, key), N_("Expected a number, got '%(value)s'."), {"value": value})
            return None
        if field_type is FieldType.DECIMAL:
            return Decimal(str(value))
        if isinstance(value, float) and not value.is_integer():
            self.problem(
                (*path, key), N_("Expected a whole number, got '%(value)s'."), {"value": value}
            )
            return None
        return int(value)

    def count(self, data: dict, path: KeyPath, key: str, minimum: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(
                (*path, key),
                N_("Expected a whole number of at least %(minimum)s, got '%(value)s'."),
                {"minimum": minimum, "value": value},
            )
            return None
        return value
