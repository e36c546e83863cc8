"""The story-count grid behind every published report, and which of its cells are hidden.

`reports.disclosure` decides; this module fills the grid from the database (counts per leaf
area, month and theme, with the same area rule as the reports) and turns the decision into
the `PublishedCells` of one report. Every published report of the installation reads the same
decision, so no two reports can be subtracted to reveal a hidden cell.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import distinct, func, select, true
from sqlalchemy.orm import Session

from reports.data import UNKNOWN_SUBAREA, Period
from reports.disclosure import ALL_STORIES, SELF, PublishedCells, decide_hidden_cells

from ..models import Area, Story
from .effective_themes import effective_themes
from .report_cells import cell_figures, pending_slices, slice_condition, story_columns
from .story_areas import COUNTED_STATUSES, counted_stories, gemeente_of_unplaced_stories

UNKNOWN_SUFFIX = "/?"


class AreaGrid:
    """The area hierarchy as the grid sees it: each area with parts has an "onbekend" leaf."""

    def __init__(self, session: Session):
        areas = session.scalars(select(Area)).all()
        self.by_id = {area.id: area for area in areas}
        children: dict[int | None, list[Area]] = defaultdict(list)
        for area in areas:
            children[area.parent_id].append(area)
        self.children = children
        self.tree = {
            area.code: sorted(child.code for child in children[area.id])
            + [area.code + UNKNOWN_SUFFIX]
            for area in areas
            if children[area.id]
        }
        self.leaf_of: dict[int | None, str] = {
            area.id: area.code + UNKNOWN_SUFFIX if children[area.id] else area.code
            for area in areas
        }
        city = gemeente_of_unplaced_stories(session)
        if city is not None:
            self.leaf_of[None] = self.leaf_of[city]


def leaf_counts(
    session: Session,
    grid: AreaGrid,
    years: list[int],
    statuses,
    themes: list[str],
    precomputed: bool = True,
) -> dict[tuple[str, str, str], int]:
    """Stories per (leaf area, month, column) over whole years: from the report cells where
    they are up to date (services/report_cells), else from two grouped queries."""
    start, end = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    narrow = None  # the stories whose theme rows to read, when only a few are counted here
    where = [
        Story.submitted_month >= start,
        Story.submitted_month <= end,
        counted_stories(statuses),
    ]
    if precomputed and tuple(statuses) == COUNTED_STATUSES:
        pending = pending_slices(session, true(), start, end)
        figures = cell_figures(
            session, true(), (start, end), (start, end), lambda c: c.c.theme.in_(themes), pending
        )
        for (month, area_id), n in figures.area_month_totals.items():
            if area_id in grid.leaf_of:
                counts[(grid.leaf_of[area_id], month.strftime("%Y-%m"), ALL_STORIES)] += n
        for (month, area_id, theme), n in figures.theme_counts.items():
            if area_id in grid.leaf_of:
                counts[(grid.leaf_of[area_id], month.strftime("%Y-%m"), theme)] += n
        if not pending:
            return counts
        where.append(slice_condition(story_columns(), pending))
        narrow = select(Story.id).where(*where)
    rows = session.execute(
        select(Story.area_id, Story.submitted_month, func.count(Story.id))
        .where(*where)
        .group_by(Story.area_id, Story.submitted_month)
    )
    for area_id, month, n in rows:
        if area_id in grid.leaf_of:
            counts[(grid.leaf_of[area_id], month.strftime("%Y-%m"), ALL_STORIES)] += n
    effective = effective_themes(of_stories=narrow)
    rows = session.execute(
        select(
            Story.area_id, Story.submitted_month, effective.c.theme, func.count(distinct(Story.id))
        )
        .join(effective, effective.c.story_id == Story.id)
        .where(*where, effective.c.theme.in_(themes))
        .group_by(Story.area_id, Story.submitted_month, effective.c.theme)
    )
    for area_id, month, theme, n in rows:
        if area_id in grid.leaf_of:
            counts[(grid.leaf_of[area_id], month.strftime("%Y-%m"), theme)] += n
    return counts


def published_cells(
    session: Session,
    area: Area,
    periods: list[Period],
    themes: list[str],
    statuses,
    min_size: int,
    precomputed: bool = True,
) -> PublishedCells:
    """The hidden cells one report over `area` needs, for the given calendar periods."""
    years = sorted({year for p in periods for year in range(p.start.year, p.end.year + 1)})
    grid = AreaGrid(session)
    columns = [ALL_STORIES, *themes]
    counts = leaf_counts(session, grid, years, statuses, themes, precomputed)
    hidden = decide_hidden_cells(counts, grid.tree, years, columns, min_size)
    return PublishedCells(frozenset(_for_report(hidden, grid, area)))


def _for_report(hidden, grid: AreaGrid, area: Area):
    """Grid keys → report keys: the area itself is SELF, its parts go by their names."""
    names = {child.code: child.name for child in grid.children[area.id]}
    names[area.code + UNKNOWN_SUFFIX] = UNKNOWN_SUBAREA
    for area_key, period, column in hidden:
        if area_key == area.code:
            yield (SELF, period, column)
            if area.code not in grid.tree:  # no parts: its breakdown is itself, "onbekend"
                yield (UNKNOWN_SUBAREA, period, column)
        elif area_key in names:
            yield (names[area_key], period, column)
