"""Pre-aggregated story counts for council reports, never stale.

`report_cell` holds, per wijk (NULL: stories without an area), month and slice (story id %
CELL_SLICES), the counted stories by theme and outcome (see models.ReportCell). They are computed only through the rules the raw
report queries use: `counted_stories` (counted statuses, residents' stories only), `effective_themes` (a staff check overrides the model),
`effective_outcomes`/`outcome_of` (a staff correction overrides the model) and
`checked_by_staff`.

Exactness does not depend on code paths remembering anything: database triggers
(webapp/report_cell_triggers.py) append (area_id, month, slice) to `report_cell_change` on every
write that may change a cell (a slice is story id % CELL_SLICES: one eighth of a wijk-month). A
report reads the pending keys first, counts those slices from the stories themselves and
everything else from the cells, so it is exact before any refresh and right after any write.
Each figure counts every slice once, from one side; like the raw queries, the figures of one
report are separate statements, so a write committed while a report is built may show in some
of them and not yet in others. `refresh_report_cells` (the sweep's job, `weefsel reports refresh`)
folds the log into the cells:

1. it takes a lock only refreshes take (a concurrent refresh waits; story writers never do);
2. it deletes the log rows up to the highest id it sees, with RETURNING, so it recomputes
   exactly the cells whose rows it removed; a row of a transaction not yet committed is not
   seen, stays and keeps its cell pending until the next refresh;
3. it recomputes those cells from the stories in later statements of the same transaction,
   which see at least every change whose log row it removed; a change committed meanwhile is
   counted and also stays pending, which only makes reports count it from the stories.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, false, func, insert, not_, or_, select, text, union
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ..models import ReportCell, ReportCellChange, Story
from ..report_cell_triggers import CELL_SLICES
from .effective_themes import checked_by_staff, themes_of_stories
from .outcomes import counted_outcomes, effective_outcomes
from .story_areas import counted_stories

Slice = tuple[int | None, dt.date, int]  # (area id, first day of the month, story id % slices)


@dataclass
class StoryFigures:
    """What a report counts from stories, per (month, area) or summed, in one shape for the
    cells and the raw rows so the two can be added."""

    theme_counts: dict[tuple[dt.date, int | None, str], int] = field(default_factory=dict)
    month_totals: dict[dt.date, int] = field(default_factory=dict)  # both periods
    area_month_totals: dict[tuple[dt.date, int | None], int] = field(default_factory=dict)
    stories_by_area: dict[int | None, int] = field(default_factory=dict)  # the period
    outcome_counts: dict[tuple[str | None, str], int] = field(default_factory=dict)  # the period
    checked_by_staff: int = 0  # the period

    def plus(self, other: StoryFigures) -> StoryFigures:
        return StoryFigures(
            _added(self.theme_counts, other.theme_counts),
            _added(self.month_totals, other.month_totals),
            _added(self.area_month_totals, other.area_month_totals),
            _added(self.stories_by_area, other.stories_by_area),
            _added(self.outcome_counts, other.outcome_counts),
            self.checked_by_staff + other.checked_by_staff,
        )


def _added(first: dict, second: dict) -> dict:
    total = defaultdict(int, first)
    for key, n in second.items():
        total[key] += n
    return dict(total)


def slice_condition(columns, slices: Iterable[Slice]) -> ColumnElement[bool]:
    """SQL condition: (area, month, slice) of `columns` is one of `slices`; never NULL, so it
    can be negated. `columns` are the area id, month and slice columns (or expression)."""
    area_column, month_column, slice_column = columns
    by_month: dict[tuple[dt.date, int], set[int | None]] = defaultdict(set)
    for area_id, month, part in slices:
        by_month[(month, part)].add(area_id)
    clauses = []
    for (month, part), area_ids in sorted(by_month.items()):
        known = sorted(area_id for area_id in area_ids if area_id is not None)
        places = [and_(area_column.is_not(None), area_column.in_(known))] if known else []
        if None in area_ids:
            places.append(area_column.is_(None))
        clauses.append(and_(month_column == month, slice_column == part, or_(*places)))
    return or_(*clauses) if clauses else false()


def story_columns() -> tuple:
    """A story's (area, month, slice), as the triggers compute them."""
    return Story.area_id, Story.submitted_month, Story.id % CELL_SLICES


def cell_columns(table=ReportCell) -> tuple:
    return table.area_id, table.month, table.slice


def pending_slices(session: Session, area_condition, start: dt.date, end: dt.date) -> set[Slice]:
    """The (area, month, slice) keys with writes no refresh has folded in yet."""
    return set(
        session.execute(
            select(*cell_columns(ReportCellChange))
            .where(area_condition, ReportCellChange.month >= start, ReportCellChange.month <= end)
            .distinct()
        ).all()
    )


def cell_figures(
    session: Session,
    area_condition,
    months: tuple[dt.date, dt.date],
    period: tuple[dt.date, dt.date],
    theme_condition,
    pending: set[Slice],
) -> StoryFigures:
    """The figures of every (area, month, slice) in scope except the `pending` ones, from the
    cells.

    `months` is the range of both periods, `period` the report's own; `theme_condition(table)`
    is the report's theme filter on the cells' `theme` column."""
    cells = ReportCell.__table__
    scope = and_(
        area_condition,
        ReportCell.month >= months[0],
        ReportCell.month <= months[1],
        not_(slice_condition(cell_columns(), pending)),
    )
    figures = StoryFigures()
    figures.theme_counts = {
        (month, area_id, theme): int(n)
        for month, area_id, theme, n in session.execute(
            select(
                ReportCell.month, ReportCell.area_id, ReportCell.theme, func.sum(cells.c.stories)
            )
            .where(scope, ReportCell.theme.is_not(None), theme_condition(cells))
            .group_by(ReportCell.month, ReportCell.area_id, ReportCell.theme)
        )
    }
    month_totals: dict[dt.date, int] = defaultdict(int)
    by_area: dict[int | None, int] = defaultdict(int)
    for month, area_id, n, checked in session.execute(
        select(
            ReportCell.month,
            ReportCell.area_id,
            func.sum(ReportCell.stories),
            func.sum(ReportCell.checked_by_staff),
        )
        .where(scope, ReportCell.theme.is_(None))
        .group_by(ReportCell.month, ReportCell.area_id)
    ):
        month_totals[month] += int(n)
        figures.area_month_totals[(month, area_id)] = int(n)
        if period[0] <= month <= period[1]:
            by_area[area_id] += int(n)
            figures.checked_by_staff += int(checked)
    figures.month_totals, figures.stories_by_area = dict(month_totals), dict(by_area)
    outcome_rows = session.execute(
        select(
            ReportCell.theme,
            ReportCell.story_outcome,
            ReportCell.theme_outcome,
            func.sum(ReportCell.stories),
        )
        .where(
            scope,
            ReportCell.month >= period[0],
            ReportCell.month <= period[1],
            ReportCell.story_outcome.is_not(None),
            or_(ReportCell.theme.is_(None), theme_condition(cells)),
        )
        .group_by(ReportCell.theme, ReportCell.story_outcome, ReportCell.theme_outcome)
    )
    outcomes: dict[tuple[str | None, str], int] = defaultdict(int)
    for theme, story_outcome, theme_outcome, n in outcome_rows:
        outcomes[(theme, story_outcome if theme is None else theme_outcome)] += int(n)
    figures.outcome_counts = dict(outcomes)
    return figures


def compute_cells(session: Session, story_condition) -> list[dict]:
    """The report_cell rows of the counted stories matching `story_condition`, through the
    report rules (effective themes and outcomes, staff checks)."""
    counted = and_(story_condition, counted_stories())
    stories = session.execute(
        select(
            Story.id,
            Story.area_id,
            Story.submitted_month,
            Story.id.in_(checked_by_staff()),
        ).where(counted)
    ).all()
    themes_of = themes_of_stories(session, counted)
    outcomes = effective_outcomes(session, select(Story.id).where(counted))
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for story_id, area_id, month, checked in stories:
        themes = sorted(themes_of.get(story_id, ()))
        story_outcome, theme_outcomes = counted_outcomes(outcomes.get(story_id, {}), themes)
        part = story_id % CELL_SLICES
        keys = [(area_id, month, part, None, story_outcome, None)]
        keys += [(area_id, month, part, t, story_outcome, theme_outcomes.get(t)) for t in themes]
        for key in keys:
            cells[key][0] += 1
            cells[key][1] += 1 if checked else 0
    return [
        {
            "area_id": area_id,
            "month": month,
            "slice": part,
            "theme": theme,
            "story_outcome": story_outcome,
            "theme_outcome": theme_outcome,
            "stories": n,
            "checked_by_staff": checked,
        }
        for (area_id, month, part, theme, story_outcome, theme_outcome), (
            n,
            checked,
        ) in cells.items()
    ]


@dataclass(frozen=True)
class Refresh:
    """What one refresh did."""

    changes: int  # log rows folded in
    slices: int  # (area, month, slice) keys recomputed
    cells: int  # report_cell rows written


def refresh_report_cells(session: Session) -> Refresh:
    """Fold the change log into the cells, in one transaction (see the module docstring).
    Commits."""
    if session.get_bind().dialect.name == "postgresql":
        # Self-conflicting, but readers (ACCESS SHARE) and the triggers' log inserts pass.
        session.execute(text("LOCK TABLE report_cell IN SHARE ROW EXCLUSIVE MODE"))
    last = session.scalar(select(func.max(ReportCellChange.id)))
    if last is None:
        session.commit()
        return Refresh(0, 0, 0)
    removed = session.execute(
        delete(ReportCellChange)
        .where(ReportCellChange.id <= last)
        .returning(*cell_columns(ReportCellChange))
    ).all()
    slices = {tuple(row) for row in removed}
    by_month: dict[dt.date, list[Slice]] = defaultdict(list)
    for key in slices:
        by_month[key[1]].append(key)
    written = 0
    for _month, batch in sorted(by_month.items()):
        session.execute(delete(ReportCell).where(slice_condition(cell_columns(), batch)))
        rows = compute_cells(session, slice_condition(story_columns(), batch))
        if rows:
            session.execute(insert(ReportCell), rows)
        written += len(rows)
    session.commit()
    return Refresh(len(removed), len(slices), written)


def mark_every_cell_pending(session: Session) -> int:
    """Log every (area, month, slice) that has stories or cells, so the next refresh rebuilds
    all cells (after a bulk load with the triggers off, or to start afresh). Commits; returns
    the keys logged."""
    keys = union(select(*story_columns()), select(*cell_columns()))
    logged = session.execute(
        insert(ReportCellChange)
        .from_select(["area_id", "month", "slice"], keys)
        .returning(ReportCellChange.id)
    ).all()
    session.commit()
    return len(logged)
