"""The report's three charts as ChartSpecs: themes over time, themes by subarea, activity trend.

Each spec carries only shown values (suppressed cells are None), the table behind the chart and
a text alternative that summarises the trend for readers who cannot see it.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from .charts import ChartSpec, Series, ranking_sentence, suppressed_sentence, trend_sentence
from .data import UNKNOWN_SUBAREA
from .figures import Figures
from .tables import Formatter, Table, count_table


def _values(metrics) -> list[float | None]:
    return [metric.value if metric.shown else None for metric in metrics]


def _month_ticks(months: list[str], numbers) -> list[tuple[str, str]]:
    """Each 'YYYY-MM' month as its short name and its year: ('mrt', '2026')."""
    dates = [dt.date(int(month[:4]), int(month[5:7]), 1) for month in months]
    return [(format_date(d, "LLL", locale=numbers.babel_locale), str(d.year)) for d in dates]


def _alt_text(intro: str, sentences: list[str], hidden: int, fmt: Formatter) -> str:
    parts = [intro, *sentences, suppressed_sentence(hidden, fmt._)]
    return " ".join(part for part in parts if part)


def themes_by_month_chart(
    figures: Figures, theme_names: dict[str, str], fmt: Formatter, locale: str
) -> ChartSpec | None:
    """Lines of stories per theme per month."""
    _, numbers = fmt._, fmt.numbers
    table_data = figures.by_month
    if not table_data.rows or not table_data.themes:
        return None
    months = [numbers.month(month) for month in table_data.rows]
    short = [numbers.month(month, short=True) for month in table_data.rows]
    series = [
        Series(theme_names[theme], _values(table_data.cell(m, theme) for m in table_data.rows))
        for theme in table_data.themes
    ]
    incomplete = [month in table_data.incomplete for month in table_data.rows]
    labels = [fmt.month_label(m, m in table_data.incomplete) for m in table_data.rows]
    table = count_table(
        table_data,
        _("Stories per theme per month"),
        _("Month"),
        dict(zip(table_data.rows, labels, strict=True)),
        theme_names,
        fmt,
    )
    intro = _("Line chart of the number of stories per theme per month, %(first)s to %(last)s.") % {
        "first": months[0],
        "last": months[-1],
    }
    sentences = _trend_sentences(series, months, incomplete, fmt)
    hidden = sum(v is None for s in series for v in s.values)
    return ChartSpec(
        key="themes-by-month",
        kind="lines",
        title=_("Stories per theme per month"),
        categories=short,
        series=series,
        panel_titles=[],
        alt_text=_alt_text(intro, sentences, hidden, fmt),
        table=table,
        locale=locale,
        footnote=fmt.too_few,
        month_ticks=_month_ticks(table_data.rows, numbers),
        incomplete=incomplete,
        incomplete_note=_("incomplete: month not over yet or figures missing"),
    )


def _trend_sentences(
    series: list[Series], months: list[str], incomplete: list[bool], fmt: Formatter
) -> list[str]:
    """Trend sentences over the complete months only, plus which months were left out."""
    keep = [index for index, flag in enumerate(incomplete) if not flag]
    complete = [months[index] for index in keep]
    sentences = [
        trend_sentence(
            Series(s.name, [s.values[index] for index in keep], s.panel),
            complete,
            fmt.numbers,
            fmt._,
        )
        for s in series
        if complete
    ]
    left_out = [month for month, flag in zip(months, incomplete, strict=True) if flag]
    if left_out:
        sentences.append(
            fmt._(
                "Not complete yet, so drawn hatched or open and left out of this description: "
                "%(months)s."
            )
            % {"months": ", ".join(left_out)}
        )
    return sentences


def themes_by_subarea_chart(
    figures: Figures, theme_names: dict[str, str], subarea_label: str, fmt: Formatter, locale: str
) -> ChartSpec | None:
    """Horizontal bars of stories per theme in each stadsdeel or wijk."""
    _, numbers = fmt._, fmt.numbers
    table_data = figures.by_subarea
    if not table_data.rows or not table_data.themes:
        return None
    series = [
        Series(theme_names[theme], _values(table_data.cell(row, theme) for row in table_data.rows))
        for theme in table_data.themes
    ]
    title = _("Stories per theme by %(subarea)s") % {"subarea": subarea_label}
    unknown = {UNKNOWN_SUBAREA: _("%(subarea)s unknown") % {"subarea": subarea_label}}
    table = count_table(table_data, title, subarea_label.capitalize(), unknown, theme_names, fmt)
    categories = [unknown.get(row, row) for row in table_data.rows]
    intro = _("Bar chart of the number of stories per theme in each %(subarea)s.") % {
        "subarea": subarea_label
    }
    sentences = [ranking_sentence(s, categories, numbers, _) for s in series]
    hidden = sum(v is None for s in series for v in s.values)
    return ChartSpec(
        key="themes-by-subarea",
        kind="hbars",
        title=title,
        categories=categories,
        series=series,
        panel_titles=[],
        alt_text=_alt_text(intro, sentences, hidden, fmt),
        table=table,
        locale=locale,
        footnote=fmt.too_few,
    )


def activity_chart(figures: Figures, activity_table: Table, fmt: Formatter, locale: str):
    """Activities per month (bars) above visits and participants per month (lines)."""
    _, numbers = fmt._, fmt.numbers
    activity = figures.activity
    if not activity.months:
        return None
    months = [numbers.month(month) for month in activity.months]
    short = [numbers.month(month, short=True) for month in activity.months]

    def column(name: str) -> list[float | None]:
        return _values(activity.by_month[month][name] for month in activity.months)

    series = [
        Series(_("Activities"), column("activities"), panel=0),
        Series(_("Visits"), column("visits"), panel=1),
        Series(_("Participants"), column("unique_participants"), panel=1),
    ]
    intro = _("Chart of activities, visits and participants per month, %(first)s to %(last)s.") % {
        "first": months[0],
        "last": months[-1],
    }
    incomplete = [month in activity.incomplete for month in activity.months]
    sentences = _trend_sentences(series, months, incomplete, fmt)
    hidden = sum(v is None for v in series[0].values)
    return ChartSpec(
        key="activity-by-month",
        kind="bars",
        title=_("Activity per month"),
        categories=short,
        series=series,
        panel_titles=[_("Activities"), _("Visits and participants")],
        alt_text=_alt_text(intro, sentences, hidden, fmt),
        table=activity_table,
        locale=locale,
        footnote=fmt.too_few,
        panel_kinds=["bars", "lines"],
        month_ticks=_month_ticks(activity.months, numbers),
        incomplete=incomplete,
        incomplete_note=_("incomplete: month not over yet or figures missing"),
    )
