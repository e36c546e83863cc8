"""Residents' own answers as plain rows for reports.signification: one row per story, no text.

Only answers given under the story definition in force (same id and version) are used: after a
municipality changes its questions, older answers may mean something else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.signification import Corner, SignificationInput, SignificationRow
from surveys.model import FieldType, SurveyDefinition
from surveys.signification import signification_fields

from ..models import OutcomeAssignment, Story, StorySignification, ThemeAssignment
from .effective_themes import effective_themes
from .signification import story_definition

# Set by the outcome model (a `Story.outcome` column) once it is merged; compared when present.


def corners_of(definition: SurveyDefinition) -> tuple[Corner, ...]:
    """The first triad question's corners, as reports need them."""
    for question in signification_fields(definition):
        if question.type is FieldType.TRIAD:
            return tuple(
                Corner(corner.value, dict(corner.label), corner.theme)
                for corner in question.corners
            )
    return ()


def signification_input(
    session: Session,
    story_condition,
    theme_condition: Callable | None = None,
    subarea_of: dict[int, str] | None = None,
    *,
    with_story_ids: bool = False,
    definition: SurveyDefinition | None = None,
) -> SignificationInput:
    """The answers of the stories matching ``story_condition`` (a SQL condition on Story);
    ``theme_condition(rows)`` narrows to a theme, ``subarea_of`` maps area ids to subareas.
    Story ids are only filled in for staff screens (``with_story_ids``)."""
    definition = definition or story_definition()
    questions = {question.name: question for question in signification_fields(definition)}
    query = (
        select(Story.id, Story.area_id, StorySignification)
        .join(StorySignification, StorySignification.story_id == Story.id)
        .where(
            story_condition,
            StorySignification.definition_id == definition.id,
            StorySignification.definition_version == definition.version,
        )
        .order_by(Story.id)
    )
    stories: dict[int, dict] = {}
    for row in session.execute(query):
        story = stories.setdefault(
            row[0],
            {"area_id": row[1]},
        )
        answer: StorySignification = row[-1]
        question = questions.get(answer.question)
        if question is None or answer.not_applicable:
            continue
        if question.type is FieldType.TRIAD and "weights" not in story:
            story["weights"] = answer.weights
        elif question.type is FieldType.BEFORE_AFTER and "before_after" not in story:
            story["before_after"] = answer.choice
    themes = _effective_themes(session, list(stories), theme_condition)
    model = _model_themes(session, list(stories))
    model_outcomes = _model_outcomes(session, list(stories))
    rows = [
        SignificationRow(
            themes=tuple(sorted(themes.get(story_id, ()))),
            model_themes=tuple(sorted(model.get(story_id, ()))),
            subarea=(subarea_of or {}).get(story["area_id"]),
            before_after=story.get("before_after"),
            weights=story.get("weights"),
            model_outcome=model_outcomes.get(story_id),
            story_id=story_id if with_story_ids else None,
        )
        for story_id, story in stories.items()
        if theme_condition is None or story_id in themes
    ]
    return SignificationInput(definition.id, definition.version, corners_of(definition), rows)


def _model_outcomes(session: Session, story_ids: list[int]) -> dict[int, str]:
    """The outcome model's reading of each story as a whole (what residents are compared with)."""
    found: dict[int, str] = {}
    for start in range(0, len(story_ids), 900):
        chunk = story_ids[start : start + 900]
        for story_id, outcome in session.execute(
            select(OutcomeAssignment.story_id, OutcomeAssignment.outcome).where(
                OutcomeAssignment.source == "model",
                OutcomeAssignment.theme.is_(None),
                OutcomeAssignment.story_id.in_(chunk),
            )
        ):
            found[story_id] = outcome
    return found


def _effective_themes(session: Session, story_ids: list[int], theme_condition) -> dict:
    found: dict[int, set[str]] = defaultdict(set)
    rows = effective_themes()
    for start in range(0, len(story_ids), 900):
        chunk = story_ids[start : start + 900]
        query = select(rows.c.story_id, rows.c.theme).where(rows.c.story_id.in_(chunk))
        if theme_condition is not None:
            query = query.where(theme_condition(rows))
        for story_id, theme in session.execute(query):
            found[story_id].add(theme)
    return found


def _model_themes(session: Session, story_ids: list[int]) -> dict:
    """What the model found, whether or not staff changed it later: the model's own reading."""
    found: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(story_ids), 900):
        chunk = story_ids[start : start + 900]
        for story_id, theme in session.execute(
            select(ThemeAssignment.story_id, ThemeAssignment.theme).where(
                ThemeAssignment.story_id.in_(chunk),
                ThemeAssignment.source == "model",
                ThemeAssignment.assigned.is_(True),
            )
        ):
            found[story_id].add(theme)
    return found
