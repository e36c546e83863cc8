"""The one rule for which themes a story has: a staff check overrides the model.

Reports, research exports, the staff screens and training all read themes through
`effective_themes()`, so they can never disagree:

- a story no staff member has checked has the themes the model assigned;
- a story checked by staff has exactly the themes staff chose, none of the model's
  ("no staff theme = no theme"); when several staff members checked it, a theme counts
  when at least half of them chose it.

The model's rows of a checked story are marked `superseded` by `record_review`, and a
reclassification of a checked story stores its new model rows superseded, so the model side
of the rule is one condition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Integer, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select, Subquery

from ..models import Story, ThemeAssignment

HUMAN = "human"
MODEL = "model"


def model_theme_rows() -> Select:
    """The model's side of the rule: (story_id, theme, score, source) of unchecked stories."""
    return select(
        ThemeAssignment.story_id.label("story_id"),
        ThemeAssignment.theme.label("theme"),
        ThemeAssignment.score.label("score"),
        literal(MODEL).label("source"),
    ).where(
        ThemeAssignment.source == MODEL,
        ThemeAssignment.assigned.is_(True),
        ThemeAssignment.superseded.is_(False),
    )


def staff_theme_rows() -> Select:
    """The staff side of the rule: (story_id, theme, NULL, source) chosen by at least half of
    the staff members who checked the story."""
    chosen = func.sum(cast(case((ThemeAssignment.assigned.is_(True), 1), else_=0), Integer))
    return (
        select(
            ThemeAssignment.story_id.label("story_id"),
            ThemeAssignment.theme.label("theme"),
            cast(null(), ThemeAssignment.score.type).label("score"),
            literal(HUMAN).label("source"),
        )
        .where(ThemeAssignment.source == HUMAN)
        .group_by(ThemeAssignment.story_id, ThemeAssignment.theme)
        .having(chosen * 2 >= func.count())
    )


def effective_themes(name: str = "effective_theme", of_stories: Select | None = None) -> Subquery:
    """A subquery of (story_id, theme, score, source): every theme a story counts for.

    `of_stories` (a select of story ids) narrows both sides to those stories before the union,
    so a database can use the story_id index instead of reading every theme row.

    `score` is the model's probability for model themes and NULL for staff themes;
    `source` says which side of the rule the row comes from. The two sides are also
    available on their own (`model_theme_rows`, `staff_theme_rows`) for queries that walk one
    side in index order; together they are exactly this subquery.
    """
    model, staff = model_theme_rows(), staff_theme_rows()
    if of_stories is not None:
        model = model.where(ThemeAssignment.story_id.in_(of_stories))
        staff = staff.where(ThemeAssignment.story_id.in_(of_stories))
    return union_all(model, staff).subquery(name)


def effective_themes_by_story(
    session: Session, story_ids: Iterable[int]
) -> dict[int, dict[str, tuple[float | None, str]]]:
    """Story id -> {theme: (score, source)} for these stories (chunked IN lists)."""
    ids = list(story_ids)
    rows = effective_themes()
    found: dict[int, dict[str, tuple[float | None, str]]] = defaultdict(dict)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for story_id, theme, score, source in session.execute(
            select(rows.c.story_id, rows.c.theme, rows.c.score, rows.c.source).where(
                rows.c.story_id.in_(chunk)
            )
        ):
            found[story_id][theme] = (score, source)
    return {story_id: dict(found.get(story_id, {})) for story_id in ids}


def themes_of_stories(
    session: Session, story_condition, theme_condition=None
) -> dict[int, set[str]]:
    """Story id -> its effective themes, for the stories matching `story_condition` (a SQL
    condition on Story), narrowed by `theme_condition(rows)` (a report's theme filter) if given.
    Stories without a theme are left out."""
    rows = effective_themes(of_stories=select(Story.id).where(story_condition))
    query = select(rows.c.story_id, rows.c.theme)
    if theme_condition is not None:
        query = query.where(theme_condition(rows))
    themes_of: dict[int, set[str]] = defaultdict(set)
    for story_id, theme in session.execute(query):
        themes_of[story_id].add(theme)
    return themes_of


def checked_by_staff() -> Select:
    """The ids of stories a staff member has checked the themes of (any staff row)."""
    return select(ThemeAssignment.story_id).where(ThemeAssignment.source == HUMAN)
