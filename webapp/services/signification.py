"""The resident's own reading of their story: read from the form, stored per story, shown again.

The questions come from ``surveys/definitions/verhaal.yaml`` (``default_story_definition``);
every stored answer keeps that definition's id and version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from surveys.loading import default_story_definition, load_definition
from surveys.messages import DefinitionError, Message
from surveys.model import Choice, Field, FieldType, SurveyDefinition
from surveys.signification import (
    SignificationAnswer,
    before_after_choices,
    read_signification_form,
    signification_fields,
)

from ..models import StorySignification

_INSERT_ANSWERS = StorySignification.__table__.insert()

FORM_PREFIX = "sig_"
# In force when verhaal.yaml is broken: the story form still works, just without the questions.
NO_QUESTIONS = SurveyDefinition(id="", version="", title={}, fields=())
logger = logging.getLogger(__name__)


@dataclass
class SignificationForm:
    """What the story form needs to show the questions again: raw posted values and errors."""

    definition: SurveyDefinition
    values: Mapping[str, str] = field(default_factory=dict)
    answers: dict[str, SignificationAnswer] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    prefix: str = FORM_PREFIX

    @property
    def questions(self) -> tuple[Field, ...]:
        return signification_fields(self.definition)

    def choices_for(self, question: Field) -> tuple[Choice, ...]:
        """A before/after question's four answers with their labels."""
        return before_after_choices(question)

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor id, message) per error, for the form's error summary."""
        return [
            (f"sig_{name}", message)
            for name, messages in self.errors.items()
            for message in messages
        ]

    def value(self, key: str) -> str:
        """The posted value of a form key (``prefix`` + name, or + name + ``_most``)."""
        return str(self.values.get(self.prefix + key, "") or "")


def story_definition(path: Path | None = None) -> SurveyDefinition:
    """The self-signification questions in force (``verhaal.yaml``, or the file at ``path``).

    A broken file must not stop residents from telling their story: its problems (file, line)
    go to the log and no questions are asked until it is fixed.
    """
    try:
        return load_definition(path) if path is not None else default_story_definition()
    except DefinitionError as error:
        logger.error("The story form's own questions are switched off:\n%s", error)
        return NO_QUESTIONS


def read_form(
    posted: Mapping[str, str] | None,
    render: Callable[[Message], str],
    definition: SurveyDefinition | None = None,
) -> SignificationForm:
    """Read the questions' answers from a posted form (or nothing, for an empty form);
    ``render`` turns error messages into the resident's language."""
    definition = definition or story_definition()
    if posted is None:
        return SignificationForm(definition)
    answers, errors = read_signification_form(definition, posted, FORM_PREFIX)
    values = {key: posted.get(key, "") for key in posted if key.startswith(FORM_PREFIX)}
    return SignificationForm(
        definition,
        values=values,
        answers=answers,
        errors={
            name: [render(message) for message in messages] for name, messages in errors.items()
        },
    )


def save_answers(
    target: Session | Connection,
    story_id: int,
    definition: SurveyDefinition,
    answers: Iterable[SignificationAnswer],
    *,
    commit: bool = True,
) -> int:
    """Store the answers given to one story (skipped questions get no row); returns how many.

    `target` is a session or a connection inside the story's own transaction (the story
    form's); a session is committed when `commit` says so."""
    rows = []
    for answer in answers:
        weights = answer.weights or (None, None, None)
        rows.append(
            {
                "story_id": story_id,
                "definition_id": definition.id,
                "definition_version": definition.version,
                "question": answer.question,
                "kind": str(answer.kind),
                "not_applicable": answer.not_applicable,
                "choice": answer.choice,
                "position": answer.position,
                "weight_1": weights[0],
                "weight_2": weights[1],
                "weight_3": weights[2],
            }
        )
    if rows:
        target.execute(_INSERT_ANSWERS, rows)
    if commit and isinstance(target, Session):
        target.commit()
    return len(rows)


def answers_for(session: Session, story_ids: Iterable[int]) -> dict[int, list[StorySignification]]:
    """Stored answers per story, in order of storage (chunked IN lists)."""
    ids = list(story_ids)
    result: dict[int, list[StorySignification]] = {}
    for start in range(0, len(ids), 900):
        rows = session.scalars(
            select(StorySignification)
            .where(StorySignification.story_id.in_(ids[start : start + 900]))
            .order_by(StorySignification.story_id, StorySignification.id)
        )
        for row in rows:
            result.setdefault(row.story_id, []).append(row)
    return result


def answer_columns(definition: SurveyDefinition) -> list[str]:
    """Flat column names for exports: one per slider/before-after, three per triad corner."""
    columns = []
    for question in signification_fields(definition):
        if question.type is FieldType.TRIAD:
            columns.extend(f"sig_{question.name}_{corner.value}" for corner in question.corners)
        else:
            columns.append(f"sig_{question.name}")
    return columns


def answer_cells(
    definition: SurveyDefinition, rows: Iterable[StorySignification]
) -> dict[str, str | float | int | None]:
    """One story's answers as flat export cells (see ``answer_columns``): a triad's weights as
    fractions, a slider's position 0-100, a before/after value, ``nvt``; None when skipped.

    Answers given under another definition id or version are left out here: their columns could
    mean something else. The definition id and version are exported beside these cells."""
    by_question = {
        row.question: row
        for row in rows
        if row.definition_id == definition.id and row.definition_version == definition.version
    }
    cells: dict[str, str | float | int | None] = dict.fromkeys(answer_columns(definition))
    for question in signification_fields(definition):
        row = by_question.get(question.name)
        if row is None:
            continue
        if question.type is FieldType.TRIAD:
            names = [f"sig_{question.name}_{corner.value}" for corner in question.corners]
            if row.not_applicable or row.weights is None:
                cells.update(dict.fromkeys(names, "nvt" if row.not_applicable else None))
            else:
                cells.update(zip(names, row.weights, strict=True))
        elif row.not_applicable:
            cells[f"sig_{question.name}"] = "nvt"
        elif question.type is FieldType.SLIDER:
            cells[f"sig_{question.name}"] = row.position
        else:
            cells[f"sig_{question.name}"] = row.choice
    return cells


def export_cells(
    session: Session, story_ids: Iterable[int], definition: SurveyDefinition | None = None
) -> dict[int, dict[str, str | float | int | None]]:
    """Per story with answers: the definition id and version, then its answer cells."""
    definition = definition or story_definition()
    if not signification_fields(definition):
        return {}
    cells = {}
    for story_id, rows in answers_for(session, story_ids).items():
        cells[story_id] = {
            "sig_definition_id": definition.id,
            "sig_definition_version": definition.version,
            **answer_cells(definition, rows),
        }
    return cells
