"""Translatable messages and located problems, shared by the loader, the validator and the import.

Every user-facing text is an English msgid marked with ``N_`` (a no-op, so Babel can extract it
with ``-k N_``) plus ``%(name)s`` parameters; the web UI translates the msgid and fills in the
parameters, the CLI prints the English text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Gettext = Callable[[str], str]
LocalizedText = Mapping[str, str]

FALLBACK_LANGUAGES = ("nl", "en")


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction by Babel; translation happens later, where the user is known."""
    return msgid


def pick_text(texts: LocalizedText, lang: str | None = None) -> str:
    """Return the text for ``lang``, falling back to Dutch, English, then any language."""
    for candidate in (lang, *FALLBACK_LANGUAGES):
        if candidate and texts.get(candidate):
            return texts[candidate]
    return next((text for text in texts.values() if text), "")


class Amount:
    """A number in a message, written the way the reader's language writes numbers
    (``50.000`` and ``2,5`` in Dutch) by Babel; compares equal to the plain number."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def render(self, lang: str | None) -> str:
        from babel.numbers import format_decimal

        return format_decimal(self.value, locale=lang or FALLBACK_LANGUAGES[0])

    def __eq__(self, other: object) -> bool:
        other_value = other.value if isinstance(other, Amount) else other
        return self.value == other_value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Amount({self.value!r})"

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Message:
    """A msgid with its parameters, or a text the definition's author wrote per language.

    Parameter values are numbers, strings, or ``{lang: text}`` mappings (field labels), which
    ``render`` resolves to ``lang``.
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    custom: LocalizedText | None = None

    def render(self, gettext: Gettext | None = None, lang: str | None = None) -> str:
        """Return the message as text, translated with ``gettext`` when given."""
        if self.custom:
            text = pick_text(self.custom, lang)
            if text:
                return text
        template = gettext(self.msgid) if gettext else self.msgid
        if not self.params:
            return template
        values = {name: _shown(value, lang) for name, value in self.params.items()}
        try:
            return template % values
        except (KeyError, ValueError, TypeError):  # a translation with broken format fields
            return self.msgid % values

    def __str__(self) -> str:
        return self.render()


def _shown(value: Any, lang: str | None) -> Any:
    if isinstance(value, Mapping):
        return pick_text(value, lang)
    if isinstance(value, Amount):
        return value.render(lang)
    return value


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, with where it is.

    ``row`` is the line for YAML, JSON and CSV files and the sheet row for XLSX (header = 1).
    ``column`` is the column header for spreadsheets and CSV, and the key path for YAML/JSON
    (list items counted from 1, e.g. ``fields[3].min``).
    """

    file: str
    message: Message
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # A warning names something left out (a GPS question, a repeat); the rest still loads.
    warning: bool = False

    def render(self, gettext: Gettext | None = None, lang: str | None = None) -> str:
        """Return one line naming file, sheet, row and column, then the message."""
        translate = gettext or (lambda msgid: msgid)
        parts = [self.file]
        if self.warning:
            parts[0] = translate(N_("warning")) + ": " + self.file
        if self.sheet:
            parts.append(translate(N_("sheet %(sheet)s")) % {"sheet": self.sheet})
        if self.row is not None:
            where = N_("row %(row)s") if self.sheet else N_("line %(row)s")
            parts.append(translate(where) % {"row": self.row})
        if self.column:
            parts.append(translate(N_("column %(column)s")) % {"column": self.column})
        return ", ".join(parts) + ": " + self.message.render(gettext, lang)

    def __str__(self) -> str:
        return self.render()


def format_problems(
    problems: Iterable[Problem], gettext: Gettext | None = None, lang: str | None = None
) -> str:
    """Return the problems as text, one per line, for the CLI or a log."""
    return "\n".join(problem.render(gettext, lang) for problem in problems)


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a definition from loading (everything but warnings)."""
    return [problem for problem in problems if not problem.warning]


class DefinitionError(Exception):
    """A survey definition file that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_problems(problems))
        self.problems = problems
