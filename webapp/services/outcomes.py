"""Outcomes on stories: reading them with the current model, staff corrections, and the one
rule for which outcome counts (a staff correction overrides the model)."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import Session

from nlp.outcome import OUTCOMES, OutcomeModel, OutcomeModelNotFoundError
from reports.outcomes import OutcomeCount

from ..models import OutcomeAssignment, StaffUser, Story
from . import audit, consent
from .effective_themes import themes_of_stories

log = logging.getLogger(__name__)
STORY = None  # the `theme` of an outcome row about the whole story
_load_lock = threading.Lock()


class OutcomeModelHolder:
    """Loads the outcome model once, on first use, and shares it between threads."""

    def __init__(self, model_dir: str | Path | None = None):
        self.model_dir = model_dir
        self._model: OutcomeModel | None = None
        self._failed = False

    def get(self) -> OutcomeModel | None:
        if self._model is None and not self._failed:
            with _load_lock:
                if self._model is None and not self._failed:
                    try:
                        self._model = OutcomeModel.load(self.model_dir)
                    except (OutcomeModelNotFoundError, OSError, ValueError) as error:
                        log.warning("outcome model not available: %s", error)
                        self._failed = True
        return self._model

    def reset(self) -> None:
        self._model, self._failed = None, False


_OUTCOME_ROWS = OutcomeAssignment.__table__
_INSERT_OUTCOME_ROWS = _OUTCOME_ROWS.insert()


def model_outcome_rows(
    stories: Sequence[Story], outcomes: Sequence, evidence: Sequence[dict | None] | None = None
) -> list[dict]:
    """The model rows for the outcomes read for these stories (nlp.outcome.read_outcomes on
    what the theme model read, one per story, None where nothing was readable): the story's
    outcome and one per theme. A story with nothing readable gets no outcome: its language
    marks it for a human reader. `evidence`: per story, the stored evidence of its outcome
    (services/review_evidence.py), kept on the row about the whole story."""
    evidence = list(evidence) if evidence is not None else [None] * len(stories)
    rows = []
    for story, outcome, why in zip(stories, outcomes, evidence, strict=True):
        if outcome is None:
            continue
        common = {"story_id": story.id, "source": "model", "model_version": outcome.model_version}
        rows.append(
            common
            | {
                "theme": STORY,
                "outcome": outcome.outcome,
                "scores": outcome.scores,
                "evidence": why,
            }
        )
        rows += [
            common | {"theme": theme, "outcome": theme_outcome, "scores": None, "evidence": None}
            for theme, theme_outcome in outcome.theme_outcomes.items()
        ]
    return rows


def replace_model_outcome_rows(connection, story_ids: Sequence[int], rows: list[dict]) -> None:
    """Replace the model's outcome rows of these stories by `rows`; staff rows stay."""
    connection.execute(
        delete(_OUTCOME_ROWS).where(
            _OUTCOME_ROWS.c.story_id.in_(story_ids), _OUTCOME_ROWS.c.source == "model"
        )
    )
    if rows:
        connection.execute(_INSERT_OUTCOME_ROWS, rows)


_SET_OUTCOME_EVIDENCE = (
    _OUTCOME_ROWS.update()
    .where(
        _OUTCOME_ROWS.c.story_id == bindparam("b_story"),
        _OUTCOME_ROWS.c.theme.is_(None),
        _OUTCOME_ROWS.c.source == "model",
        _OUTCOME_ROWS.c.model_version == bindparam("b_version"),
    )
    .values(evidence=bindparam("b_evidence"))
)


def set_model_outcome_evidence(connection, values: Sequence[tuple[int, str, dict]]) -> None:
    """Store the evidence (story id, outcome model version, evidence) on the model's row about
    the whole story, where that row is still of that model."""
    connection.execute(
        _SET_OUTCOME_EVIDENCE,
        [{"b_story": s, "b_version": v, "b_evidence": e} for s, v, e in values],
    )


def record_outcome_review(
    session: Session,
    story: Story,
    staff_user: StaffUser,
    outcome: str,
    theme_outcomes: dict[str, str] | None = None,
) -> None:
    """Store a staff member's reading of the story's outcome (and per theme); it overrides the
    model in reports and exports and joins the next training run. Commits."""
    chosen = {STORY: outcome, **(theme_outcomes or {})}
    unknown = {value for value in chosen.values() if value not in OUTCOMES}
    if unknown:
        raise ValueError(f"unknown outcomes: {sorted(unknown)}")
    session.execute(
        delete(OutcomeAssignment).where(
            OutcomeAssignment.story_id == story.id,
            OutcomeAssignment.source == "human",
            OutcomeAssignment.staff_user_id == staff_user.id,
        )
    )
    for theme, value in chosen.items():
        session.add(
            OutcomeAssignment(
                story_id=story.id,
                theme=theme,
                outcome=value,
                source="human",
                staff_user_id=staff_user.id,
            )
        )
    audit.record_event(
        session,
        "outcome.reviewed",
        actor=staff_user,
        target=f"story:{story.id}",
        details={
            "outcome": outcome,
            **{f"theme_{k}": v for k, v in (theme_outcomes or {}).items()},
        },
    )
    session.commit()


def effective_outcomes(
    session: Session, story_ids: Iterable[int] | Select | None = None
) -> dict[int, dict[str | None, str]]:
    """The outcome that counts, per story and per theme (key None: the whole story).

    The one rule, used by review, reports and exports alike: the most recent staff reading
    overrides the model's; a theme without a reading of its own takes the story's.
    """
    query = select(
        OutcomeAssignment.story_id,
        OutcomeAssignment.theme,
        OutcomeAssignment.outcome,
        OutcomeAssignment.source,
    ).order_by(OutcomeAssignment.created_at, OutcomeAssignment.id)
    if story_ids is not None:
        ids = story_ids if isinstance(story_ids, Select) else list(story_ids)
        query = query.where(OutcomeAssignment.story_id.in_(ids))
    by_source: dict[int, dict[str, dict[str | None, str]]] = defaultdict(
        lambda: {"model": {}, "human": {}}
    )
    for story_id, theme, outcome, source in session.execute(query):
        by_source[story_id][source][theme] = outcome  # later rows win
    result = {}
    for story_id, sources in by_source.items():
        # a staff reading of the story replaces every model reading of it
        merged = {} if STORY in sources["human"] else dict(sources["model"])
        merged.update(sources["human"])
        result[story_id] = merged
    return result


def outcome_of(outcomes: dict[str | None, str], theme: str | None = STORY) -> str | None:
    """A theme's outcome from an `effective_outcomes` entry, falling back to the story's."""
    return outcomes.get(theme) or outcomes.get(STORY)


def model_outcome(story: Story) -> OutcomeAssignment | None:
    """The model's story-level outcome row, if any (for its scores on the review screen)."""
    rows = [a for a in story.outcome_assignments if a.source == "model" and a.theme is STORY]
    return rows[-1] if rows else None


def human_outcome_examples(session: Session) -> list[dict]:
    """Training examples from staff readings: {"text", "outcome"} per checked story."""
    rows = session.execute(
        select(Story.id, Story.text, OutcomeAssignment.outcome)
        .join(OutcomeAssignment, OutcomeAssignment.story_id == Story.id)
        .where(
            OutcomeAssignment.source == "human",
            OutcomeAssignment.theme.is_(None),
            consent.research_usable(),  # as for themes: only what the resident allowed
        )
        .order_by(OutcomeAssignment.created_at, OutcomeAssignment.id)
    ).all()
    latest = {story_id: (text, outcome) for story_id, text, outcome in rows}
    return [{"text": text, "outcome": outcome} for text, outcome in latest.values()]


def counted_outcomes(
    outcomes: dict[str | None, str], themes: Iterable[str]
) -> tuple[str | None, dict[str, str]]:
    """The outcome a story counts with, and each of its `themes`' outcome, from its
    `effective_outcomes` entry; (None, {}) for a story without an outcome reading, which is left
    out of the outcome figures' basis."""
    story_outcome = outcome_of(outcomes)
    if story_outcome is None:
        return None, {}
    return story_outcome, {theme: outcome_of(outcomes, theme) for theme in themes}


def outcome_counts(session: Session, story_condition, theme_condition) -> list[OutcomeCount]:
    """Per theme (and for all stories: theme None), how many stories report each outcome.

    `story_condition` selects the stories (a report's scope); a story's themes are its
    effective themes (services/effective_themes), narrowed by `theme_condition(rows)` (the
    report's theme filter). Stories without an outcome reading are left out of the basis.
    Sorted by theme (stories first) and outcome.
    """
    outcomes = effective_outcomes(session, select(Story.id).where(story_condition))
    themes_of = themes_of_stories(session, story_condition, theme_condition)
    cells: dict[tuple[str | None, str], int] = defaultdict(int)
    for story_id, by_theme in outcomes.items():
        story_outcome, theme_outcomes = counted_outcomes(by_theme, themes_of.get(story_id, ()))
        if story_outcome is None:
            continue
        cells[(STORY, story_outcome)] += 1
        for theme, theme_outcome in theme_outcomes.items():
            cells[(theme, theme_outcome)] += 1
    return sorted_outcome_counts(cells)


def sorted_outcome_counts(cells: dict[tuple[str | None, str], int]) -> list[OutcomeCount]:
    """(theme, outcome) -> stories as OutcomeCounts, the whole-story counts first."""
    ordered = sorted(cells.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    return [OutcomeCount(theme, outcome, n) for (theme, outcome), n in ordered if n]
