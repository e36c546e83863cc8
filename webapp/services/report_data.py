"""Aggregate queries that fill a reports.ReportInput: counts and sums in SQL, never every row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from nlp.anonymise import anonymise
from reports import (
    ActivityMonth,
    InitiativeActivity,
    MonthTotal,
    Period,
    QuoteCandidate,
    ReportInput,
    ReportQuery,
    SubareaThemeCount,
    ThemeCount,
    ThemeMonthCount,
)
from reports import (
    Area as ReportArea,
)

from ..models import ActivityReport, Area, Initiative, Story, ThemeAssignment
from .areas import area_with_descendants, find_area
from .outcomes import outcome_counts
from .themes import theme_names

# Report figure -> field of the monthly activity definition that holds it.
ACTIVITY_FIGURES = {
    "activities": "activiteiten",
    "visits": "bezoeken",
    "unique_participants": "unieke_deelnemers",
    "new_participants": "nieuwe_deelnemers",
    "volunteers": "vrijwilligers",
    "volunteer_hours": "vrijwilligersuren",
    "meals": "maaltijden",
}
QUOTE_CANDIDATES_PER_THEME = 24
COUNTED_STATUSES = ("approved", "pending")


def _subarea_of(areas: dict[int, Area], top: Area) -> dict[int, str]:
    """Map each area id below `top` to the name of its child of `top` (stadsdeel or wijk)."""
    mapping = {}
    for area_id, area in areas.items():
        node = area
        while node is not None and node.parent_id != top.id:
            node = areas.get(node.parent_id) if node.parent_id else None
        if node is not None:
            mapping[area_id] = node.name
    return mapping


def previous_period(period: Period) -> Period:
    if period.kind == "month":
        start = (period.start - dt.timedelta(days=1)).replace(day=1)
        return Period.parse(start.strftime("%Y-%m"))
    if period.kind == "quarter":
        start = (period.start - dt.timedelta(days=1)).replace(day=1)
        return Period.parse(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
    if period.kind == "year":
        return Period.parse(str(period.start.year - 1))
    end = period.start - dt.timedelta(days=1)
    return Period("custom", end - dt.timedelta(days=period.days - 1), end, "")


def _within(month: dt.date, period: Period) -> bool:
    """Stories carry only their month: a month counts when it overlaps the period."""
    return period.start.replace(day=1) <= month <= period.end


def _month_key(value: dt.date) -> str:
    return value.strftime("%Y-%m")


def _effective_theme_condition():
    """A staff check overrides the model: it marks the model's rows of that story superseded."""
    return and_(ThemeAssignment.assigned.is_(True), ThemeAssignment.superseded.is_(False))


class _Scope:
    """Which stories and initiatives a report looks at."""

    def __init__(self, area_ids, period: Period, initiative_id: int | None, theme: str | None):
        self.area_ids, self.period, self.initiative_id, self.theme = (
            list(area_ids),
            period,
            initiative_id,
            theme,
        )

    def stories(self, period: Period | None = None):
        period = period or self.period
        conditions = [
            Story.area_id.in_(self.area_ids),
            Story.submitted_month >= period.start.replace(day=1),
            Story.submitted_month <= period.end,
            Story.status.in_(COUNTED_STATUSES),
        ]
        if self.initiative_id is not None:
            conditions.append(Story.initiative_id == self.initiative_id)
        return and_(*conditions)

    def themes(self):
        conditions = [_effective_theme_condition()]
        if self.theme:
            conditions.append(ThemeAssignment.theme == self.theme)
        return and_(*conditions)

    def reports(self):
        conditions = [
            Initiative.area_id.in_(self.area_ids),
            ActivityReport.month >= self.period.start.replace(day=1),
            ActivityReport.month <= self.period.end,
        ]
        if self.initiative_id is not None:
            conditions.append(Initiative.id == self.initiative_id)
        return and_(*conditions)


def _theme_counts(session: Session, scope: _Scope, period: Period, group_by) -> list:
    return session.execute(
        select(*group_by, ThemeAssignment.theme, func.count(distinct(Story.id)))
        .join(ThemeAssignment, ThemeAssignment.story_id == Story.id)
        .where(scope.stories(period), scope.themes())
        .group_by(*group_by, ThemeAssignment.theme)
    ).all()


def _activity_by_month(session: Session, scope: _Scope) -> list[ActivityMonth]:
    columns = []
    for figure, field_name in ACTIVITY_FIGURES.items():
        value = ActivityReport.values[field_name]
        expression = value.as_float() if figure == "volunteer_hours" else value.as_integer()
        columns.append(func.coalesce(func.sum(expression), 0).label(figure))
    rows = session.execute(
        select(
            ActivityReport.month,
            *columns,
            func.count(ActivityReport.id).label("initiatives_reporting"),
        )
        .join(Initiative, Initiative.id == ActivityReport.initiative_id)
        .where(scope.reports())
        .group_by(ActivityReport.month)
        .order_by(ActivityReport.month)
    ).all()
    return [
        ActivityMonth(
            month=_month_key(row.month),
            **{
                figure: (
                    float(getattr(row, figure))
                    if figure == "volunteer_hours"
                    else int(getattr(row, figure))
                )
                for figure in ACTIVITY_FIGURES
            },
            initiatives_reporting=row.initiatives_reporting,
        )
        for row in rows
    ]


def _quote_candidates(
    session: Session, scope: _Scope, areas: dict[int, Area], theme_keys: list[str]
) -> list[QuoteCandidate]:
    """Per theme the most confident approved, quote-consented stories, anonymised."""
    candidates = []
    for theme in theme_keys:
        confidence = func.coalesce(ThemeAssignment.score, 1.0)
        rows = session.execute(
            select(Story.id, Story.text, Story.submitted_month, Story.area_id, confidence)
            .join(ThemeAssignment, ThemeAssignment.story_id == Story.id)
            .where(
                scope.stories(),
                scope.themes(),
                ThemeAssignment.theme == theme,
                Story.status == "approved",
                Story.consent_quote.is_(True),
            )
            .order_by(confidence.desc(), Story.id)
            .limit(QUOTE_CANDIDATES_PER_THEME)
        ).all()
        seen: set[int] = set()
        for story_id, text, month, area_id, score in rows:
            if story_id in seen:
                continue  # several staff checks of one story
            seen.add(story_id)
            area = areas.get(area_id)
            candidates.append(
                QuoteCandidate(
                    story_id=story_id,
                    theme=theme,
                    text=anonymise(text).text,
                    score=float(score),
                    month=_month_key(month),
                    wijk=area.name if area else None,
                )
            )
    return candidates


def build_report_input(
    session: Session,
    period: Period,
    area_code: str,
    theme: str | None = None,
    initiative_slug: str | None = None,
    lang: str = "nl",
) -> ReportInput:
    """Everything one report needs, from aggregate queries over the scope."""
    area = find_area(session, area_code)
    areas = area_with_descendants(session, area)
    initiative = (
        session.scalar(select(Initiative).where(Initiative.slug == initiative_slug))
        if initiative_slug
        else None
    )
    scope = _Scope(areas.keys(), period, initiative.id if initiative else None, theme)
    names = {
        key: {"nl": theme_names("nl")[key], "en": theme_names("en")[key]}
        for key in theme_names("nl")
    }
    if theme:
        names = {theme: names.get(theme, {"nl": theme, "en": theme})}

    # One pass over this period and the one before it, split in Python: fewer scans of the table.
    before = previous_period(period)
    both = Period("custom", min(before.start, period.start), max(before.end, period.end), "")
    cells = _theme_counts(session, scope, both, [Story.submitted_month, Story.area_id])
    month_totals = session.execute(
        select(Story.submitted_month, func.count(Story.id))
        .where(scope.stories(both))
        .group_by(Story.submitted_month)
    ).all()
    subarea_names = _subarea_of(areas, area) if area.level != "wijk" else {}
    by_month_theme: dict[tuple[dt.date, str], int] = defaultdict(int)
    by_subarea: dict[tuple[str, str], int] = defaultdict(int)
    previous: dict[str, int] = defaultdict(int)
    for month, area_id, theme_key, n in cells:
        if _within(month, period):
            by_month_theme[(month, theme_key)] += n
            if area_id in subarea_names:
                by_subarea[(subarea_names[area_id], theme_key)] += n
        if _within(month, before):
            previous[theme_key] += n
    totals = [(month, n) for month, n in month_totals if _within(month, period)]
    previous_total = sum(n for month, n in month_totals if _within(month, before))

    initiative_filter = [Initiative.area_id.in_(list(areas)), Initiative.active.is_(True)]
    if initiative is not None:
        initiative_filter.append(Initiative.id == initiative.id)
    initiatives_active = session.scalar(select(func.count(Initiative.id)).where(*initiative_filter))
    subsidy_per_year = session.scalar(
        select(func.sum(Initiative.subsidy_eur_per_year)).where(*initiative_filter)
    )
    reporting = session.scalar(
        select(func.count(distinct(ActivityReport.initiative_id)))
        .join(Initiative, Initiative.id == ActivityReport.initiative_id)
        .where(scope.reports())
    )
    top_rows = session.execute(
        select(
            Initiative.name,
            func.coalesce(func.sum(ActivityReport.values["activiteiten"].as_integer()), 0),
            func.coalesce(func.sum(ActivityReport.values["bezoeken"].as_integer()), 0),
        )
        .join(Initiative, Initiative.id == ActivityReport.initiative_id)
        .where(scope.reports())
        .group_by(Initiative.id, Initiative.name)
        .order_by(func.sum(ActivityReport.values["bezoeken"].as_integer()).desc())
        .limit(5)
    ).all()
    return ReportInput(
        query=ReportQuery(
            period=period,
            area=ReportArea(
                level=area.level, code=area.code, name=area.name, population=area.population
            ),
            theme=theme,
            initiative=initiative.name if initiative else None,
        ),
        theme_names=names,
        story_counts_by_month_theme=[
            ThemeMonthCount(_month_key(m), t, n) for (m, t), n in sorted(by_month_theme.items())
        ],
        story_totals_by_month=[MonthTotal(_month_key(m), n) for m, n in totals],
        story_counts_by_subarea_theme=[
            SubareaThemeCount(s, t, n) for (s, t), n in sorted(by_subarea.items())
        ],
        previous_period=before,
        previous_counts_by_theme=[ThemeCount(t, n) for t, n in sorted(previous.items())],
        previous_story_total=previous_total,
        activity_by_month=_activity_by_month(session, scope),
        outcome_counts=outcome_counts(session, scope.stories(), scope.themes()),
        initiatives_active=initiatives_active,
        initiatives_reporting=reporting,
        subsidy_total_eur=float(subsidy_per_year) * period.years
        if subsidy_per_year is not None
        else None,
        top_initiatives=[InitiativeActivity(name, int(a), int(v)) for name, a, v in top_rows],
        quote_candidates=_quote_candidates(session, scope, areas, list(names)),
    )
