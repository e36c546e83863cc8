"""Figures for an impact report, computed from a ReportInput: themes, trend, activity, cost.

Every number is a `Metric` with its basis; cells on too few stories or initiatives come out
suppressed (value None), including the cells hidden so that totals cannot reveal them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .data import UNKNOWN_SUBAREA, ActivityMonth, ReportInput
from .disclosure import ALL_STORIES, SELF
from .suppression import (
    Basis,
    Metric,
    SuppressionRules,
    hidden,
    metric,
    secondary_suppression,
    too_few_initiatives,
    too_few_stories,
    wilson_interval,
)

BENCHMARK_EUR_PER_INHABITANT_YEAR = 25.0
ADDITIVE_MEASURES = ("activities", "visits", "new_participants", "volunteer_hours", "meals")
MONTHLY_MEASURES = ("unique_participants", "volunteers")
ACTIVITY_MEASURES = (
    "activities",
    "visits",
    "unique_participants",
    "new_participants",
    "volunteers",
    "volunteer_hours",
    "meals",
)
TOP_INITIATIVES = 10


@dataclass(frozen=True)
class ThemeFigure:
    """One theme in the period: stories, share of all stories, and change from the last period."""

    key: str
    name: str
    count: Metric
    share: Metric
    previous_count: Metric | None = None
    change_count: Metric | None = None
    change_share: Metric | None = None


@dataclass(frozen=True)
class CountTable:
    """Story counts with rows (months or subareas) by theme columns, small cells suppressed."""

    rows: list[str]
    themes: list[str]
    cells: dict[tuple[str, str], Metric]
    row_totals: dict[str, Metric] = field(default_factory=dict)
    # Rows (months) whose figures are not final: marked "(incomplete)", never read as a decline.
    incomplete: frozenset[str] = frozenset()

    def cell(self, row: str, theme: str) -> Metric:
        return self.cells[(row, theme)]


@dataclass(frozen=True)
class ActivityFigures:
    """Activity per month and in total; unique participants and volunteers are monthly means."""

    months: list[str]
    by_month: dict[str, dict[str, Metric]]
    totals: dict[str, Metric]
    basis: Basis
    # Months not over yet or with monthly logs missing: marked "(incomplete)".
    incomplete: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Figures:
    """Everything a report shows as numbers."""

    story_total: Metric
    themes: list[ThemeFigure]
    by_month: CountTable
    by_subarea: CountTable
    activity: ActivityFigures
    reach: dict[str, Metric]
    cost: dict[str, Metric]
    top_initiatives: list[tuple[str, Metric, Metric]]
    has_story_data: bool
    has_activity_data: bool

    @property
    def has_data(self) -> bool:
        return self.has_story_data or self.has_activity_data


def compute_figures(data: ReportInput, locale: str, rules: SuppressionRules) -> Figures:
    """All figures of one report, suppressed where the privacy rules require."""
    themes = data.theme_keys()
    months = data.query.period.months()
    total_by_month = defaultdict(int)
    for row in data.story_totals_by_month:
        total_by_month[row.month] += row.n
    story_total_n = sum(total_by_month.values())
    label = data.query.period.label
    total_hidden = story_cell_hidden(data, rules, SELF, label, ALL_STORIES, story_total_n)
    story_basis = Basis(stories=None if total_hidden else story_total_n)
    story_total = metric(story_total_n, "count", story_basis, rules, hide=total_hidden)
    activity = activity_figures(data, rules)
    return Figures(
        story_total=story_total,
        themes=theme_figures(data, themes, locale, story_total_n, total_hidden, rules),
        by_month=month_table(data, themes, months, total_by_month, rules),
        by_subarea=subarea_table(data, themes, rules),
        activity=activity,
        reach=reach_figures(activity, data.effective_population, rules),
        cost=cost_figures(activity, data, rules),
        top_initiatives=top_initiatives(data, activity, rules),
        has_story_data=story_total_n > 0 or any(r.n for r in data.story_counts_by_month_theme),
        has_activity_data=any(row.initiatives_reporting for row in data.activity_by_month),
    )


def story_cell_hidden(
    data: ReportInput, rules: SuppressionRules, area: str, period: str, column: str, n: int
) -> bool:
    """Whether a story count may not be shown: the grid's decision for published reports
    (see reports.disclosure), else (staff's custom views) the small-cell rule of this report."""
    if data.published_cells is not None:
        return data.published_cells.is_hidden(area, period, column)
    return too_few_stories(n, rules)


def theme_figures(
    data: ReportInput,
    themes: list[str],
    locale: str,
    total: int,
    total_hidden: bool,
    rules: SuppressionRules,
) -> list[ThemeFigure]:
    """Stories per theme, share of all stories, and change against the previous period."""
    counts = defaultdict(int)
    for row in data.story_counts_by_month_theme:
        counts[row.theme] += row.n
    previous = defaultdict(int)
    for row in data.previous_counts_by_theme:
        previous[row.theme] += row.n
    has_previous = data.previous_period is not None or bool(data.previous_counts_by_theme)
    prev_total = data.previous_story_total
    label = data.query.period.label
    prev_label = data.previous_period.label if data.previous_period else ""
    prev_total_hidden = story_cell_hidden(
        data, rules, SELF, prev_label, ALL_STORIES, prev_total or 0
    )
    result = []
    for key in themes:
        n = counts[key]
        basis = Basis(stories=None if total_hidden else total)
        count_hidden = story_cell_hidden(data, rules, SELF, label, key, n)
        count = metric(n, "count", basis, rules, hide=count_hidden)
        hide = count_hidden or total_hidden or not total
        share = metric(n / total if total else None, "share", basis, rules, hide=hide)
        if share.shown:
            share = replace(share, interval=wilson_interval(n, total))
        figure = ThemeFigure(key, data.theme_name(key, locale), count, share)
        if has_previous:
            prev_n = previous[key]
            prev = _Previous(
                prev_n,
                prev_total,
                story_cell_hidden(data, rules, SELF, prev_label, key, prev_n),
                prev_total_hidden,
            )
            figure = _with_previous(figure, n, total, prev, rules)
        result.append(figure)
    return result


@dataclass(frozen=True)
class _Previous:
    n: int
    total: int | None
    hidden: bool
    total_hidden: bool


def _with_previous(
    figure: ThemeFigure, n: int, total: int, prev: _Previous, rules: SuppressionRules
) -> ThemeFigure:
    """Add last period's count and the change in count and share, hidden when either is."""
    prev_n, prev_total = prev.n, prev.total
    prev_basis = Basis(stories=None if prev.total_hidden else prev_total)
    previous_count = metric(prev_n, "count", prev_basis, rules, hide=prev.hidden)
    hide_change = prev.hidden or figure.count.suppressed
    basis = figure.count.basis
    change_count = metric(n - prev_n, "count", basis, rules, hide=hide_change)
    shares_known = bool(total) and bool(prev_total)
    hide_share = hide_change or not shares_known or prev.total_hidden or figure.share.suppressed
    delta = (n / total - prev_n / prev_total) if shares_known else None
    change_share = metric(delta, "points", basis, rules, hide=hide_share)
    return ThemeFigure(
        figure.key,
        figure.name,
        figure.count,
        figure.share,
        previous_count,
        change_count,
        change_share,
    )


def month_table(
    data: ReportInput,
    themes: list[str],
    months: list[str],
    total_by_month: dict[str, int],
    rules: SuppressionRules,
) -> CountTable:
    """Stories per month and theme, with the month totals; small cells hidden both ways."""
    values: dict[tuple[str, str], float] = defaultdict(int)
    for row in data.story_counts_by_month_theme:
        values[(row.month, row.theme)] += row.n
    cells_keys = [(month, theme) for month in months for theme in themes]
    month_values = {month: total_by_month.get(month, 0) for month in months}
    if data.published_cells is not None:
        cells_of = data.published_cells
        hidden_keys = {key for key in cells_keys if cells_of.is_hidden(SELF, *key)}
        hidden_months = {m for m in months if cells_of.is_hidden(SELF, m, ALL_STORIES)}
    else:
        small = {key for key in cells_keys if too_few_stories(values[key], rules)}
        groups = [[(month, theme) for theme in themes] for month in months]
        groups += [[(month, theme) for month in months] for theme in themes]
        hidden_keys = secondary_suppression(values, small, groups)
        # The period total is published, so one small month total would follow by subtraction.
        small_months = {month for month in months if too_few_stories(month_values[month], rules)}
        hidden_months = secondary_suppression(month_values, small_months, [months])
    cells = {
        key: metric(
            values[key],
            "count",
            Basis(stories=None if key[0] in hidden_months else month_values[key[0]]),
            rules,
            hide=key in hidden_keys,
        )
        for key in cells_keys
    }
    totals = {
        month: metric(
            month_values[month],
            "count",
            Basis(stories=month_values[month]),
            rules,
            hide=month in hidden_months,
        )
        for month in months
    }
    incomplete = frozenset(month for month in months if month in data.incomplete_months)
    return CountTable(months, themes, cells, totals, incomplete)


def subarea_table(data: ReportInput, themes: list[str], rules: SuppressionRules) -> CountTable:
    """Stories per subarea (stadsdelen of a city, wijken of a stadsdeel) and theme."""
    values: dict[tuple[str, str], float] = defaultdict(int)
    for row in data.story_counts_by_subarea_theme:
        values[(row.subarea, row.theme)] += row.n
    seen = {row.subarea for row in data.story_counts_by_subarea_theme}
    named = list(data.subareas) + sorted(seen - set(data.subareas) - {UNKNOWN_SUBAREA})
    # "wijk onbekend" last, and only when some story is in it.
    subareas = named + ([UNKNOWN_SUBAREA] if UNKNOWN_SUBAREA in seen else [])
    keys = [(subarea, theme) for subarea in subareas for theme in themes]
    label = data.query.period.label
    if data.published_cells is not None:
        hidden_keys = {key for key in keys if data.published_cells.is_hidden(key[0], label, key[1])}
    else:
        small = {key for key in keys if too_few_stories(values[key], rules)}
        groups = [[(subarea, theme) for subarea in subareas] for theme in themes]
        hidden_keys = secondary_suppression(values, small, groups)
    cells = {
        key: metric(values[key], "count", Basis(), rules, hide=key in hidden_keys) for key in keys
    }
    return CountTable(subareas, themes, cells)


def activity_figures(data: ReportInput, rules: SuppressionRules) -> ActivityFigures:
    """Activity per month and for the period, hidden for months with too few initiatives."""
    rows = {row.month: row for row in data.activity_by_month}
    months = activity_months(data)
    rows |= {month: ActivityMonth(month) for month in months if month not in rows}
    reporting = {month: rows[month].initiatives_reporting for month in months}
    small = {month for month in months if too_few_initiatives(reporting[month], rules)}
    hidden_months = secondary_suppression(reporting, small, [months])
    by_month = {}
    for month in months:
        row = rows[month]
        basis = Basis(
            initiatives_reporting=row.initiatives_reporting,
            initiatives_active=data.initiatives_active,
        )
        by_month[month] = {
            name: metric(getattr(row, name), _unit(name), basis, rules, hide=month in hidden_months)
            for name in ACTIVITY_MEASURES
        }
    period_reporting = data.initiatives_reporting
    if period_reporting is None:
        period_reporting = max(reporting.values(), default=0)
    totals, basis = period_totals(
        [rows[month] for month in months], period_reporting, data.initiatives_active, rules
    )
    expected = data.initiatives_active
    incomplete = frozenset(
        month
        for month in months
        if month in data.incomplete_months or (expected and reporting[month] < expected)
    )
    return ActivityFigures(months, by_month, totals, basis, incomplete)


def period_totals(
    rows: list[ActivityMonth], reporting: int | None, active: int | None, rules: SuppressionRules
) -> tuple[dict[str, Metric], Basis]:
    """A period's activity: sums, and monthly means over the months with reports."""
    basis = Basis(initiatives_reporting=reporting, initiatives_active=active)
    hide = too_few_initiatives(reporting, rules) or not rows
    totals = {}
    for name in ADDITIVE_MEASURES:
        total = sum(getattr(row, name) for row in rows)
        totals[name] = metric(total, _unit(name), basis, rules, hide=hide)
    reported = [row for row in rows if row.initiatives_reporting]
    for name in MONTHLY_MEASURES:
        mean = sum(getattr(r, name) for r in reported) / len(reported) if reported else None
        totals[name] = metric(mean, "decimal", basis, rules, hide=hide or not reported)
    return totals, basis


def activity_months(data: ReportInput) -> list[str]:
    """The months an activity table shows: every month of the period up to the running one.

    A month without any monthly log is shown (as incomplete) rather than left out, so a gap
    is never mistaken for the trend; months after the running month are left out.
    """
    reported = {row.month for row in data.activity_by_month}
    if not reported:
        return []
    last = max(reported | set(data.incomplete_months[:1]))
    return [month for month in data.query.period.months() if month <= last]


def _unit(name: str) -> str:
    return "hours" if name == "volunteer_hours" else "count"


def reach_figures(
    activity: ActivityFigures, population: int | None, rules: SuppressionRules
) -> dict[str, Metric]:
    """Participants per 1,000 inhabitants (monthly mean) and new participants per 1,000."""
    if not population:
        return {}
    result = {}
    for name, key in (("unique_participants", "participants"), ("new_participants", "new")):
        total = activity.totals.get(name)
        if total is None:
            continue
        if total.suppressed:
            result[f"{key}_per_1000"] = hidden(Metric(None, "per_1000", activity.basis), rules)
        else:
            per_1000 = total.value * 1000 / population
            result[f"{key}_per_1000"] = Metric(per_1000, "per_1000", activity.basis)
    return result


def cost_figures(
    activity: ActivityFigures, data: ReportInput, rules: SuppressionRules
) -> dict[str, Metric]:
    """Subsidy per participant, per activity and per inhabitant per year, against €25."""
    subsidy = data.subsidy_total_eur
    if subsidy is None:
        return {}
    # The subsidy is what the municipality granted, not something initiatives report: its basis
    # is the initiatives it was granted to. Per participant and per activity it also rests on
    # the activity reports, and is hidden with them.
    granted = Basis(initiatives_funded=data.initiatives_funded)
    result = {"subsidy_total": Metric(subsidy, "eur", granted)}
    for name, key in (("unique_participants", "per_participant"), ("activities", "per_activity")):
        total = activity.totals.get(name)
        if total is None or total.suppressed or not total.value:
            result[key] = metric(None, "eur", activity.basis, rules, hide=True)
        else:
            result[key] = Metric(subsidy / total.value, "eur", activity.basis)
    population = data.effective_population
    if population:
        per_year = subsidy / population / data.query.period.years
        result["per_inhabitant_year"] = Metric(per_year, "eur", granted)
        result["benchmark_per_inhabitant_year"] = Metric(
            BENCHMARK_EUR_PER_INHABITANT_YEAR, "eur", Basis()
        )
        result["share_of_benchmark"] = Metric(
            per_year / BENCHMARK_EUR_PER_INHABITANT_YEAR, "share", granted
        )
    return result


def top_initiatives(
    data: ReportInput, activity: ActivityFigures, rules: SuppressionRules
) -> list[tuple[str, Metric, Metric]]:
    """The most active initiatives (name, activities, visits); none when totals are hidden."""
    if activity.totals.get("activities") is None or activity.totals["activities"].suppressed:
        return []
    ranked = sorted(data.top_initiatives, key=lambda row: (-row.activities, -row.visits, row.name))
    basis = Basis(initiatives_reporting=1)
    return [
        (row.name, Metric(row.activities, "count", basis), Metric(row.visits, "count", basis))
        for row in ranked[:TOP_INITIATIVES]
    ]
