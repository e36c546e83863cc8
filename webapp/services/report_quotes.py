"""Quote candidates for a report: per theme the most confident approved, quote-consented stories.

The order is the report's rule: staff themes first (confidence 1.0), then the model's by its
score, ties by story id; the 24 best per theme go to `reports.quotes` (which picks 2-4). The
selection never sorts the whole scope, so its cost does not depend on the planner's statistics:

- a small scope (at most `SMALL_SCOPE` quotable stories, found by a bounded query) is ranked
  in Python from its stories' effective themes (index on `theme_assignment.story_id`);
- a larger scope walks the theme's rows best first (index `ix_theme_assignment_model_rank`),
  in growing batches, and keeps the rows whose story is in scope (primary-key lookups) until
  it has enough; in a scope of more than `SMALL_SCOPE` stories that takes a few batches.

Both give exactly what one `ORDER BY confidence DESC, story.id LIMIT 24` over the scope gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ..models import Story
from .effective_themes import effective_themes, model_theme_rows

QUOTE_CANDIDATES_PER_THEME = 24
SMALL_SCOPE = 5_000
FIRST_BATCH, LAST_BATCH = 500, 50_000
_CHUNK = 900  # ids per IN list (SQLite's variable limit on old versions)

Ranked = tuple[float, int, float | None]  # (sort key: -confidence, story id, score)


def _rank(story_id: int, score: float | None) -> Ranked:
    return (-(1.0 if score is None else score), story_id, score)


def _matching(session: Session, ids: Iterable[int], condition, columns=(Story.id,)) -> dict:
    """Story id -> row of `columns` for the ids whose story matches `condition`."""
    ids = list(dict.fromkeys(ids))
    found = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(select(*columns).where(Story.id.in_(chunk), condition)):
            found[row[0]] = row
    return found


def _ranked_in_small_scope(
    session: Session, story_ids: list[int], theme: str, theme_condition: Callable
) -> list[Ranked]:
    rows = effective_themes()
    ranked = []
    for start in range(0, len(story_ids), _CHUNK):
        chunk = story_ids[start : start + _CHUNK]
        ranked.extend(
            _rank(story_id, score)
            for story_id, score in session.execute(
                select(rows.c.story_id, rows.c.score).where(
                    rows.c.story_id.in_(chunk), rows.c.theme == theme, theme_condition(rows)
                )
            )
        )
    return sorted(ranked)[:QUOTE_CANDIDATES_PER_THEME]


def _walk(session: Session, ranked_query, condition, needed: int) -> list[Ranked]:
    """The first `needed` rows of `ranked_query` (story_id, score; best first, a total order)
    whose story matches `condition`, read in growing batches."""
    found: list[Ranked] = []
    offset, size = 0, FIRST_BATCH
    while True:
        batch = session.execute(ranked_query.limit(size).offset(offset)).all()
        stories = _matching(session, (story_id for story_id, _ in batch), condition)
        for story_id, score in batch:
            if story_id in stories:
                found.append(_rank(story_id, score))
                if len(found) == needed:
                    return found
        if len(batch) < size:
            return found
        offset, size = offset + size, min(size * 4, LAST_BATCH)


def _ranked_in_large_scope(
    session: Session, condition, theme: str, theme_condition: Callable
) -> list[Ranked]:
    needed = QUOTE_CANDIDATES_PER_THEME
    # Confidence 1.0: staff themes, and model rows without a score (none in practice).
    rows = effective_themes()
    fixed = (
        select(rows.c.story_id, rows.c.score)
        .where(rows.c.theme == theme, rows.c.score.is_(None), theme_condition(rows))
        .order_by(rows.c.story_id, rows.c.source)
    )
    model = model_theme_rows().subquery("model_theme")
    scored = (
        select(model.c.story_id, model.c.score)
        .where(model.c.theme == theme, model.c.score.is_not(None), theme_condition(model))
        .order_by(model.c.score.desc(), model.c.story_id)
    )
    both = _walk(session, fixed, condition, needed) + _walk(session, scored, condition, needed)
    return sorted(both)[:needed]


def ranked_quote_stories(
    session: Session, story_condition, theme_condition: Callable, theme: str
) -> list[tuple[int, float, tuple]]:
    """(story id, confidence, (text, month, area_id)) of the theme's best candidates, best
    first; `story_condition` already says approved and quote-consented."""
    small = session.scalars(select(Story.id).where(story_condition).limit(SMALL_SCOPE + 1)).all()
    if len(small) <= SMALL_SCOPE:
        ranked = _ranked_in_small_scope(session, list(small), theme, theme_condition)
    else:
        ranked = _ranked_in_large_scope(session, story_condition, theme, theme_condition)
    columns = (Story.id, Story.text, Story.submitted_month, Story.area_id)
    stories = _matching(session, (story_id for _, story_id, _ in ranked), true(), columns)
    return [
        (story_id, 1.0 if score is None else score, tuple(stories[story_id][1:]))
        for _, story_id, score in ranked
    ]
