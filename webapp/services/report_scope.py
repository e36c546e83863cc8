"""Which stories and initiatives a report looks at, and its story figures: from the report
cells where they are up to date, from the stories themselves elsewhere."""

from __future__ import annotations

from sqlalchemy import and_, distinct, func, select, true
from sqlalchemy.orm import Session

from reports import Period

from ..models import ActivityReport, Area, Initiative, ReportCell, ReportCellChange, Story
from .effective_themes import checked_by_staff, effective_themes
from .outcomes import outcome_counts
from .report_cells import StoryFigures, cell_figures, pending_slices, slice_condition, story_columns
from .story_areas import (
    area_condition,
    counted_stories,
    includes_unplaced_stories,
    story_area_condition,
)


class ReportScope:
    """Which stories and initiatives a report looks at."""

    def __init__(
        self,
        area_ids,
        story_area,
        period: Period,
        initiative_id: int | None,
        theme: str | None,
        unplaced: bool = False,
        only=None,
    ):
        self.area_ids, self.story_area, self.period = list(area_ids), story_area, period
        self.initiative_id, self.theme = initiative_id, theme
        self.unplaced, self.only = unplaced, only  # stories without area count; extra condition

    def for_period(self, period: Period) -> ReportScope:
        """The same scope over another period."""
        return ReportScope(
            self.area_ids,
            self.story_area,
            period,
            self.initiative_id,
            self.theme,
            self.unplaced,
            self.only,
        )

    def restricted(self, condition) -> ReportScope:
        """The same scope, over the stories that also match `condition`."""
        return ReportScope(
            self.area_ids,
            self.story_area,
            self.period,
            self.initiative_id,
            self.theme,
            self.unplaced,
            condition,
        )

    def places(self, column):
        """The scope's area rule on another area id column (report cells, their change log)."""
        return area_condition(column, self.area_ids, self.unplaced)

    def stories(self, period: Period | None = None):
        period = period or self.period
        conditions = [
            self.story_area,
            Story.submitted_month >= period.start.replace(day=1),
            Story.submitted_month <= period.end,
            counted_stories(),
        ]
        if self.initiative_id is not None:
            conditions.append(Story.initiative_id == self.initiative_id)
        if self.only is not None:
            conditions.append(self.only)
        return and_(*conditions)

    def themes(self, rows):
        """Conditions on effective-theme rows: the theme filter, if any."""
        return rows.c.theme == self.theme if self.theme else true()

    def reports(self):
        conditions = [
            Initiative.area_id.in_(self.area_ids),
            ActivityReport.month >= self.period.start.replace(day=1),
            ActivityReport.month <= self.period.end,
        ]
        if self.initiative_id is not None:
            conditions.append(Initiative.id == self.initiative_id)
        return and_(*conditions)


def _theme_counts(session: Session, scope: ReportScope, period: Period, group_by) -> list:
    of_stories = None
    if scope.only is not None or scope.initiative_id is not None:
        # A narrow scope (pending cell slices, one initiative): its theme rows by story id,
        # not a pass over every theme row.
        of_stories = select(Story.id).where(scope.stories(period))
    themes = effective_themes(of_stories=of_stories)
    return session.execute(
        select(*group_by, themes.c.theme, func.count(distinct(Story.id)))
        .join(themes, themes.c.story_id == Story.id)
        .where(scope.stories(period), scope.themes(themes))
        .group_by(*group_by, themes.c.theme)
    ).all()


def report_scope(
    session: Session, area: Area, areas: dict, period: Period, initiative=None, theme=None
):
    """The stories and initiatives a report on `area` (subtree `areas`) looks at."""
    return ReportScope(
        areas.keys(),
        story_area_condition(session, area, areas.keys()),
        period,
        initiative.id if initiative else None,
        theme,
        unplaced=includes_unplaced_stories(session, area),
    )


def _raw_story_figures(session: Session, scope: ReportScope, both: Period) -> StoryFigures:
    """The report's story figures counted from the stories themselves."""
    theme_counts = _theme_counts(session, scope, both, [Story.submitted_month, Story.area_id])
    month_totals = session.execute(
        select(Story.submitted_month, func.count(Story.id))
        .where(scope.stories(both))
        .group_by(Story.submitted_month)
    ).all()
    by_area = session.execute(
        select(Story.area_id, func.count(Story.id)).where(scope.stories()).group_by(Story.area_id)
    ).all()
    outcomes = outcome_counts(session, scope.stories(), scope.themes)
    checked = session.scalar(
        select(func.count(Story.id)).where(scope.stories(), Story.id.in_(checked_by_staff()))
    )
    return StoryFigures(
        theme_counts={(month, area_id, theme): n for month, area_id, theme, n in theme_counts},
        month_totals=dict(month_totals),
        stories_by_area=dict(by_area),
        outcome_counts={(row.theme, row.outcome): row.n for row in outcomes},
        checked_by_staff=checked or 0,
    )


def story_figures(session: Session, scope: ReportScope, both: Period, precomputed: bool):
    """The story figures: from the report cells where they are up to date and from the stories
    for the (area, month, slice) keys with writes not yet folded in (services/report_cells). A report
    on one initiative (a small scope the cells do not split) reads the stories."""
    if not precomputed or scope.initiative_id is not None:
        return _raw_story_figures(session, scope, both)
    months = (both.start.replace(day=1), both.end)
    pending = pending_slices(session, scope.places(ReportCellChange.area_id), *months)
    figures = cell_figures(
        session,
        scope.places(ReportCell.area_id),
        months,
        (scope.period.start.replace(day=1), scope.period.end),
        scope.themes,
        pending,
    )
    if not pending:
        return figures
    in_pending = slice_condition(story_columns(), pending)
    return figures.plus(_raw_story_figures(session, scope.restricted(in_pending), both))
