"""Comparisons a councillor asks for: against the previous period, and areas side by side.

- `previous_activity`: last period's activity totals, suppressed like this period's;
- `activity_comparison_table`: each measure this period, last period and the change;
- `side_by_side_table`: every part of the area in one table (stories, themes, activity);
- `largest_changes`: the three largest changes in words, each with its basis (n) and, for a
  theme, a link to the quotes behind it;
- `period_coverage`: how many months of each period hold data; totals of periods that cover a
  different number of months are not compared (no change, no percentage).
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import UNKNOWN_SUBAREA, ReportInput
from .disclosure import ALL_STORIES
from .figures import ACTIVITY_MEASURES, Figures, period_totals
from .suppression import (
    Basis,
    Metric,
    SuppressionRules,
    metric,
    secondary_suppression,
    too_few_initiatives,
    too_few_stories,
)
from .tables import Cell, Formatter, Table, measure_names

SUMMARY_CHANGES = 3


@dataclass(frozen=True)
class SummaryItem:
    """One sentence of the summary, with an optional link (anchor in the report) after it.

    `link_text` is the link on screen ("Read the stories"); `print_text` says where to look on
    paper, where a link does nothing (the PDF keeps it clickable as well)."""

    text: str
    anchor: str | None = None
    link_text: str = ""
    print_text: str = ""


def quotes_section_title(_) -> str:
    """The title of the report's section of quotes, which summary items refer to."""
    return _("In residents' own words")


@dataclass(frozen=True)
class PeriodCoverage:
    """The months of this period and the previous one in which data were collected."""

    current: list[str]
    previous: list[str]

    @property
    def comparable(self) -> bool:
        """Totals compare only when both periods cover the same number of months."""
        return len(self.current) == len(self.previous)


def period_coverage(data: ReportInput) -> PeriodCoverage | None:
    """Months with data collection in both periods, or None when there is no previous period."""
    if data.previous_period is None:
        return None

    def covered(months: list[str]) -> list[str]:
        return [month for month in months if data.data_since is None or month >= data.data_since]

    return PeriodCoverage(
        covered(data.query.period.months()), covered(data.previous_period.months())
    )


def coverage_sentence(coverage: PeriodCoverage, names: tuple[str, str], fmt: Formatter) -> str:
    """Why two periods of unequal coverage are not compared, naming the months each covers."""
    _, numbers = fmt._, fmt.numbers

    def months(period_name: str, covered: list[str]) -> str:
        if not covered:
            return _("%(period)s holds no data") % {"period": period_name}
        values = {
            "period": period_name,
            "n": len(covered),
            "first": numbers.month(covered[0]),
            "last": numbers.month(covered[-1]),
        }
        return (
            _.ngettext(
                "%(period)s covers %(n)s month of data (%(first)s)",
                "%(period)s covers %(n)s months of data (%(first)s to %(last)s)",
                len(covered),
            )
            % values
        )

    return _(
        "%(current)s; %(previous)s. Totals over a different number of months do not compare, "
        "so no change is given."
    ) % {
        "current": months(names[0], coverage.current),
        "previous": months(names[1], coverage.previous),
    }


@dataclass(frozen=True)
class PreviousActivity:
    totals: dict[str, Metric]
    basis: Basis


def previous_activity(data: ReportInput, rules: SuppressionRules) -> PreviousActivity | None:
    """Last period's activity totals, or None when there is no previous period."""
    if data.previous_period is None:
        return None
    months = set(data.previous_period.months())
    rows = [row for row in data.previous_activity_by_month if row.month in months]
    reporting = data.previous_initiatives_reporting
    if reporting is None:
        reporting = max((row.initiatives_reporting for row in rows), default=0)
    totals, basis = period_totals(rows, reporting, data.initiatives_active, rules)
    return PreviousActivity(totals, basis)


def _relative(current: Metric, previous: Metric) -> float | None:
    if not (current.shown and previous.shown) or not previous.value:
        return None
    return (current.value - previous.value) / previous.value


def activity_comparison_table(
    figures: Figures,
    previous: PreviousActivity,
    period_names: tuple[str, str],
    fmt: Formatter,
    coverage: PeriodCoverage | None = None,
) -> Table:
    """Each activity measure this period and last period, with the change in percent.

    No change is given when the periods cover a different number of months."""
    comparable = coverage is None or coverage.comparable
    _, names = fmt._, measure_names(fmt._)
    header = [_("Measure"), period_names[0], period_names[1], _("Change")]
    rows = []
    for name in ACTIVITY_MEASURES:
        current, before = figures.activity.totals[name], previous.totals[name]
        change = _relative(current, before) if comparable else None
        change_cell = Cell(fmt.numbers.signed_percent(change)) if change is not None else Cell("–")
        rows.append(
            [Cell(names[name], numeric=False), fmt.cell(current), fmt.cell(before), change_cell]
        )
    notes = [
        f"{period_names[0]}: {fmt.basis(figures.activity.basis)}",
        f"{period_names[1]}: {fmt.basis(previous.basis)}",
    ]
    if not comparable:
        notes.append(coverage_sentence(coverage, period_names, fmt))
    return Table(_("Activity compared with the previous period"), header, rows, notes)


def side_by_side_table(
    data: ReportInput,
    figures: Figures,
    theme_names: dict[str, str],
    subarea_label: str,
    fmt: Formatter,
    rules: SuppressionRules,
) -> Table | None:
    """Every part of the area in one table: all stories, stories per theme, activity."""
    _ = fmt._
    rows_keys = list(figures.by_subarea.rows or data.subareas)
    if data.has_unknown_subarea and UNKNOWN_SUBAREA not in rows_keys:
        rows_keys.append(UNKNOWN_SUBAREA)
    if not rows_keys:
        return None
    activity = {row.subarea: row for row in data.activity_by_subarea}
    reporting = {
        key: activity[key].initiatives_reporting if key in activity else 0 for key in rows_keys
    }
    small = {
        key
        for key in rows_keys
        if 0 < reporting[key] and too_few_initiatives(reporting[key], rules)
    }
    hidden_activity = secondary_suppression(reporting, small, [rows_keys])
    header = [subarea_label.capitalize(), _("All stories")]
    header += [theme_names[theme] for theme in figures.by_subarea.themes]
    header += [_("Activities"), _("Visits"), _("Initiatives that sent in figures")]
    unknown = _("%(subarea)s unknown") % {"subarea": subarea_label}
    label = data.query.period.label
    rows = []
    for key in rows_keys:
        n = data.story_totals_by_subarea.get(key, 0)
        if data.published_cells is not None:
            hide = data.published_cells.is_hidden(key, label, ALL_STORIES)
        else:
            hide = too_few_stories(n, rules) and n > 0
        row = [Cell(unknown if key == UNKNOWN_SUBAREA else key, numeric=False)]
        row.append(fmt.cell(metric(n, "count", Basis(), rules, hide=hide)))
        row += [
            fmt.cell(figures.by_subarea.cell(key, theme))
            if (key, theme) in figures.by_subarea.cells
            else Cell("0")
            for theme in figures.by_subarea.themes
        ]
        values = activity.get(key)
        hide_activity = key in hidden_activity
        for value in (values.activities if values else 0, values.visits if values else 0):
            row.append(fmt.cell(metric(value, "count", Basis(), rules, hide=hide_activity)))
        row.append(Cell(fmt.numbers.count(reporting[key])))
        rows.append(row)
    caption = _("All %(subareas)s side by side") % {"subareas": _plural(subarea_label, fmt)}
    notes = [
        _("Activity of fewer than %(n)s initiatives is not shown.") % {"n": rules.min_initiatives}
    ]
    if UNKNOWN_SUBAREA in rows_keys:
        notes.append(
            _('A story without a %(subarea)s counts in the row "%(unknown)s".')
            % {"subarea": subarea_label, "unknown": unknown}
        )
    return Table(caption, header, rows, notes)


def _plural(subarea_label: str, fmt: Formatter) -> str:
    return fmt._("stadsdelen") if subarea_label == fmt._("stadsdeel") else fmt._("wijken")


def largest_changes(
    data: ReportInput,
    figures: Figures,
    previous: PreviousActivity | None,
    quotes: dict,
    period_names: tuple[str, str],
    fmt: Formatter,
) -> list[SummaryItem]:
    """The three largest changes against the previous period, in words, with their basis.

    When the two periods cover a different number of months, totals do not compare: one
    sentence says which months each covers, and no change is named.
    """
    _, numbers = fmt._, fmt.numbers
    coverage = period_coverage(data)
    if coverage is not None and not coverage.comparable:
        return [SummaryItem(coverage_sentence(coverage, period_names, fmt))]
    before_text = period_names[1]
    incomplete = bool(set(data.incomplete_months) & set(data.query.period.months()))
    candidates = []
    for theme in figures.themes:
        if theme.previous_count is None:
            continue
        change = _relative(theme.count, theme.previous_count)
        if change is None or (incomplete and change < 0):
            continue
        text = _theme_change_sentence(theme, change, before_text, fmt)
        anchor = f"quotes-{theme.key}" if quotes.get(theme.key) else None
        where = _('Quotes: see "%(section)s", %(theme)s.') % {
            "section": quotes_section_title(_),
            "theme": theme.name,
        }
        item = SummaryItem(text, anchor, _("Read the stories"), where if anchor else "")
        candidates.append((abs(change), item))
    names = measure_names(_)
    for name in ACTIVITY_MEASURES if previous else ():
        current = figures.activity.totals[name]
        change = _relative(current, previous.totals[name])
        if change is None or (incomplete and change < 0):
            continue
        values = {
            "measure": names[name],
            "previous": fmt.value(previous.totals[name]),
            "before": before_text,
            "current": fmt.value(current),
            "change": numbers.signed_percent(change),
            "coverage": fmt.coverage(
                figures.activity.basis.initiatives_reporting,
                figures.activity.basis.initiatives_active,
            ),
        }
        text = (
            _(
                "%(measure)s rose from %(previous)s in %(before)s to %(current)s (%(change)s); "
                "%(coverage)s."
            )
            if change > 0
            else _(
                "%(measure)s fell from %(previous)s in %(before)s to %(current)s (%(change)s); "
                "%(coverage)s."
            )
        ) % values
        candidates.append((abs(change), SummaryItem(text)))
    candidates.sort(key=lambda item: -item[0])
    items = [item for _size, item in candidates[:SUMMARY_CHANGES]]
    if incomplete:
        items.append(
            SummaryItem(
                _(
                    "This period is not over yet, so only rises are named: a lower number "
                    "now may still grow."
                )
            )
        )
    if not candidates:
        items.insert(0, SummaryItem(_("There are too few data in both periods to name a change.")))
    return items


def _theme_change_sentence(theme, change: float, before_text: str, fmt: Formatter) -> str:
    """The change in the number of stories about a theme, and what happened to its share.

    The number can rise while the share of all stories falls (more stories overall); the
    sentence names both, so the two never read as a contradiction.
    """
    _, numbers = fmt._, fmt.numbers
    values = {
        "theme": theme.name,
        "previous": numbers.count(theme.previous_count.value),
        "before": before_text,
        "current": numbers.count(theme.count.value),
        "change": numbers.signed_percent(change),
    }
    text = (
        _(
            "The number of stories about %(theme)s rose from %(previous)s in %(before)s "
            "to %(current)s (%(change)s)."
        )
        if change > 0
        else _(
            "The number of stories about %(theme)s fell from %(previous)s in %(before)s "
            "to %(current)s (%(change)s)."
        )
    ) % values
    share, delta = theme.share, theme.change_share
    if share is not None and share.shown and delta is not None and delta.shown:
        shares = {
            "previous_share": numbers.percent(share.value - delta.value),
            "share": numbers.percent(share.value),
            "basis": fmt.basis(share.basis),
        }
        text += (
            " "
            + (
                _(
                    "Their share of all stories rose from %(previous_share)s to %(share)s (%(basis)s)."
                )
                if delta.value > 0
                else _(
                    "Their share of all stories fell from %(previous_share)s to %(share)s "
                    "(%(basis)s)."
                )
                if delta.value < 0
                else _("Their share of all stories stayed %(share)s (%(basis)s).")
            )
            % shares
        )
    return text
