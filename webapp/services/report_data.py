"""Aggregate queries that fill a reports.ReportInput: counts and sums in SQL, never every row."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from nlp.anonymise import anonymise
from nlp.classify import ModelNotFoundError, current_model_dir
from reports import (
    ActivityMonth,
    InitiativeActivity,
    MonthTotal,
    Period,
    QuoteCandidate,
    ReportInput,
    ReportQuery,
    SubareaActivity,
    SubareaThemeCount,
    ThemeCount,
    ThemeMonthCount,
)
from reports import (
    Area as ReportArea,
)
from reports.suppression import MIN_STORIES

from ..models import ActivityReport, Area, Initiative, Story
from . import consent
from .areas import area_with_descendants, find_area
from .initiatives import initiative_by_slug
from .outcomes import effective_outcomes, outcome_of, sorted_outcome_counts
from .report_disclosure import published_cells
from .report_quotes import ranked_quote_stories
from .report_scope import ReportScope, report_scope, story_figures
from .signification_report import signification_input
from .story_areas import (
    COUNTED_STATUSES,
    child_names,
    subarea_buckets,
)
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


@dataclass
class _Activity:
    """The activity figures of a report, both periods, from two grouped queries."""

    by_month: list[ActivityMonth]
    previous_by_month: list[ActivityMonth]
    reporting: int
    previous_reporting: int
    by_area: dict[int | None, tuple[int, int, int]]  # the period: activities, visits, reporting


def _activity(session: Session, scope: ReportScope, both: Period, before: Period) -> _Activity:
    """Per area and month the sums of the monthly logs over both periods, and per area the
    initiatives that reported in each period (an initiative lies in one area, so these add up):
    each log's JSON is read once, not once per figure and per period."""
    columns = []
    for figure, field_name in ACTIVITY_FIGURES.items():
        value = ActivityReport.values[field_name]
        expression = value.as_float() if figure == "volunteer_hours" else value.as_integer()
        columns.append(func.coalesce(func.sum(expression), 0).label(figure))
    in_both = scope.for_period(both).reports()
    rows = session.execute(
        select(
            Initiative.area_id,
            ActivityReport.month,
            *columns,
            func.count(ActivityReport.id).label("logs"),
        )
        .join(Initiative, Initiative.id == ActivityReport.initiative_id)
        .where(in_both)
        .group_by(Initiative.area_id, ActivityReport.month)
    ).all()

    def reporting_in(period: Period):
        within = and_(
            ActivityReport.month >= period.start.replace(day=1), ActivityReport.month <= period.end
        )
        return func.count(distinct(case((within, ActivityReport.initiative_id))))

    reporting = {
        area_id: (int(now), int(then))
        for area_id, now, then in session.execute(
            select(Initiative.area_id, reporting_in(scope.period), reporting_in(before))
            .join(Initiative, Initiative.id == ActivityReport.initiative_id)
            .where(in_both)
            .group_by(Initiative.area_id)
        )
    }
    by_area: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        if _within(row.month, scope.period):
            totals = by_area[row.area_id]
            totals[0] += int(row.activities)
            totals[1] += int(row.visits)
    for area_id, (now, _then) in reporting.items():
        if now:
            by_area[area_id][2] = now
    return _Activity(
        by_month=_activity_months(rows, scope.period),
        previous_by_month=_activity_months(rows, before),
        reporting=sum(now for now, _ in reporting.values()),
        previous_reporting=sum(then for _, then in reporting.values()),
        by_area={area_id: tuple(totals) for area_id, totals in by_area.items()},
    )


def _activity_months(rows, period: Period) -> list[ActivityMonth]:
    """The per-area rows of `_activity` summed per month of `period`."""
    sums: dict[dt.date, dict[str, float]] = {}
    for row in rows:
        if not _within(row.month, period):
            continue
        entry = sums.setdefault(row.month, defaultdict(int))
        for figure in ACTIVITY_FIGURES:
            entry[figure] += getattr(row, figure)
        entry["logs"] += row.logs
    return [
        ActivityMonth(
            month=_month_key(month),
            **{
                figure: float(entry[figure]) if figure == "volunteer_hours" else int(entry[figure])
                for figure in ACTIVITY_FIGURES
            },
            initiatives_reporting=int(entry["logs"]),
        )
        for month, entry in sorted(sums.items())
    ]


def _quote_candidates(
    session: Session, scope: ReportScope, areas: dict[int, Area], theme_keys: list[str]
) -> list[QuoteCandidate]:
    """Per theme the most confident approved, quote-consented stories, anonymised, with the
    kinds of personal data replaced and the theme's outcome (reports.quotes picks from them)."""
    quotable = and_(scope.stories(), Story.status == "approved", consent.quotable())
    ranked = {
        theme: ranked_quote_stories(session, quotable, scope.themes, theme) for theme in theme_keys
    }
    story_ids = {story_id for rows in ranked.values() for story_id, _, _ in rows}
    outcomes = effective_outcomes(session, story_ids) if story_ids else {}
    candidates = []
    for theme, rows in ranked.items():
        seen: set[int] = set()
        for story_id, score, (text, month, area_id) in rows:
            if story_id in seen:
                continue  # several staff checks of one story
            seen.add(story_id)
            area = areas.get(area_id)
            anonymised = anonymise(text)
            candidates.append(
                QuoteCandidate(
                    story_id=story_id,
                    theme=theme,
                    text=anonymised.text,
                    score=float(score),
                    month=_month_key(month),
                    wijk=area.name if area else None,
                    outcome=outcome_of(outcomes.get(story_id, {}), theme),
                )
            )
    return candidates


def model_quality(model_dir=None) -> tuple[str | None, dict[str, dict[str, float]]]:
    """The theme model in force: its version and measured precision/recall per theme.

    Read from the model card's evaluation on independent stories (else its test split);
    nothing when no model is installed.
    """
    try:
        card_path = current_model_dir(model_dir) / "model_card.json"
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (ModelNotFoundError, OSError, ValueError):
        return None, {}
    evaluation = card.get("evaluation", {})
    measured = evaluation.get("independent") or evaluation.get("test_split") or {}
    per_theme = measured.get("model", {}).get("per_theme", {})
    quality = {
        theme: {key: float(values[key]) for key in ("precision", "recall", "support")}
        for theme, values in per_theme.items()
        if all(key in values for key in ("precision", "recall", "support"))
    }
    return card.get("version"), quality


def _by_subarea(buckets: dict, stories_by_area: dict, activity_by_area: dict) -> tuple[dict, list]:
    """All stories and the activity per part of the area over the period."""
    stories: dict[str, int] = defaultdict(int)
    for area_id, n in stories_by_area.items():
        if area_id in buckets:
            stories[buckets[area_id]] += n
    activity: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for area_id, figures in activity_by_area.items():
        if area_id in buckets:
            totals = activity[buckets[area_id]]
            for index, value in enumerate(figures):
                totals[index] += value
    rows = [SubareaActivity(name, *values) for name, values in sorted(activity.items())]
    return dict(stories), rows


def first_data_month(session: Session) -> str | None:
    """The first month in which Weefsel held any story or activity report, as 'YYYY-MM'."""
    firsts = [
        session.scalar(select(func.min(Story.submitted_month))),
        session.scalar(select(func.min(ActivityReport.month))),
    ]
    known = [_month_key(month) for month in firsts if month is not None]
    return min(known) if known else None


def running_months(period: Period, today: dt.date) -> list[str]:
    """The period's months that are not over yet on `today`: their figures are not final."""
    current = _month_key(today)
    return [month for month in period.months() if month >= current]


def build_report_input(
    session: Session,
    period: Period,
    area_code: str,
    theme: str | None = None,
    initiative_slug: str | None = None,
    lang: str = "nl",
    model_dir=None,
    min_stories: int = MIN_STORIES,
    today: dt.date | None = None,
    published: bool = False,
    precomputed: bool = True,
) -> ReportInput:
    """Everything one report needs, from aggregate queries over the scope.

    `precomputed=False` counts every story figure from the stories themselves instead of the
    report cells (the same result; for tests and benchmarks)."""
    area = find_area(session, area_code)
    areas = area_with_descendants(session, area)
    initiative = initiative_by_slug(session, initiative_slug) if initiative_slug else None
    scope = report_scope(session, area, areas, period, initiative, theme)
    names = {
        key: {"nl": theme_names("nl")[key], "en": theme_names("en")[key]}
        for key in theme_names("nl")
    }
    if theme:
        names = {theme: names.get(theme, {"nl": theme, "en": theme})}

    # One pass over this period and the one before it, split in Python: fewer scans of the table.
    before = previous_period(period)
    both = Period("custom", min(before.start, period.start), max(before.end, period.end), "")
    figures = story_figures(session, scope, both, precomputed)
    subarea_names = subarea_buckets(areas, area)
    by_month_theme: dict[tuple[dt.date, str], int] = defaultdict(int)
    by_subarea: dict[tuple[str, str], int] = defaultdict(int)
    previous: dict[str, int] = defaultdict(int)
    for (month, area_id, theme_key), n in figures.theme_counts.items():
        if _within(month, period):
            by_month_theme[(month, theme_key)] += n
            if area_id in subarea_names:
                by_subarea[(subarea_names[area_id], theme_key)] += n
        if _within(month, before):
            previous[theme_key] += n
    month_totals = sorted(figures.month_totals.items())
    totals = [(month, n) for month, n in month_totals if _within(month, period)]
    previous_total = sum(n for month, n in month_totals if _within(month, before))

    initiative_filter = [Initiative.area_id.in_(list(areas)), Initiative.active.is_(True)]
    if initiative is not None:
        initiative_filter.append(Initiative.id == initiative.id)
    initiatives_active = session.scalar(select(func.count(Initiative.id)).where(*initiative_filter))
    subsidy_per_year, initiatives_funded = session.execute(
        select(
            func.sum(Initiative.subsidy_eur_per_year), func.count(Initiative.subsidy_eur_per_year)
        ).where(*initiative_filter)
    ).one()
    activity = _activity(session, scope, both, before)
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
    model_version, quality = model_quality(model_dir)
    subarea_stories, subarea_activity = _by_subarea(
        subarea_names, figures.stories_by_area, activity.by_area
    )
    cells = None
    if published:
        cells = published_cells(
            session,
            area,
            [before, period],
            list(names),
            COUNTED_STATUSES,
            min_stories,
            precomputed,
        )
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
        activity_by_month=activity.by_month,
        outcome_counts=sorted_outcome_counts(figures.outcome_counts),
        initiatives_active=initiatives_active,
        initiatives_reporting=activity.reporting,
        subsidy_total_eur=float(subsidy_per_year) * period.years
        if subsidy_per_year is not None
        else None,
        initiatives_funded=initiatives_funded,
        top_initiatives=[InitiativeActivity(name, int(a), int(v)) for name, a, v in top_rows],
        quote_candidates=_quote_candidates(session, scope, areas, list(names)),
        subareas=child_names(areas, area),
        previous_activity_by_month=activity.previous_by_month,
        previous_initiatives_reporting=activity.previous_reporting,
        story_totals_by_subarea=subarea_stories,
        activity_by_subarea=subarea_activity,
        stories_checked_by_staff=figures.checked_by_staff,
        model_quality=quality,
        model_version=model_version,
        incomplete_months=running_months(period, today) if today else [],
        data_since=first_data_month(session),
        published_cells=cells,
        includes_stories_without_area=scope.unplaced,
        signification=signification_input(
            session, scope.stories(), scope.themes if theme else None, subarea_names
        ),
    )
