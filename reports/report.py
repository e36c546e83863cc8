"""build_report: from a ReportInput to a Report, the one model every exporter renders.

A Report holds translated, formatted sections (key figures, tables, chart specs, quotes, method
note) plus the raw Figures for JSON, so HTML and PDF say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .chart_specs import activity_chart, themes_by_month_chart, themes_by_subarea_chart
from .charts import ChartSpec
from .data import Period, ReportInput, ReportQuery
from .figures import BENCHMARK_EUR_PER_INHABITANT_YEAR, Figures, compute_figures
from .i18n import NumberFormat, language, translator
from .outcomes import OutcomeFigure, outcome_figures, outcome_paragraphs
from .quotes import Quote, quotes_for_themes
from .suppression import Metric, SuppressionRules
from .tables import (
    Formatter,
    Table,
    activity_table,
    measure_names,
    theme_table,
    top_initiatives_table,
)


@dataclass(frozen=True)
class KeyFigure:
    """A headline number: what it is, its value as text, and what it rests on."""

    key: str
    label: str
    text: str
    basis: str
    suppressed: bool


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes chosen for one theme."""

    theme: str
    name: str
    quotes: list[Quote]


@dataclass
class Section:
    """One titled part of the report, rendered in this order: text, figures, charts, tables."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)


@dataclass
class Report:
    """A finished impact report in one locale, ready for render_html/render_pdf/render_json."""

    query: ReportQuery
    locale: str
    title: str
    subtitle: str
    generated_on: dt.date
    generated_text: str
    has_data: bool
    no_data_message: str
    sections: list[Section]
    figures: Figures
    quotes: dict[str, list[Quote]]
    translations_dir: str | None = None
    outcomes: list[OutcomeFigure] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    @property
    def charts(self) -> list[ChartSpec]:
        return [chart for section in self.sections for chart in section.charts]


def build_report(
    report_input: ReportInput,
    locale: str = "nl",
    *,
    generated_on: dt.date | None = None,
    translations_dir: str | Path | None = None,
    rules: SuppressionRules | None = None,
) -> Report:
    """Compute figures, quotes, charts and texts for one report in `locale` (Dutch by default)."""
    lang = language(locale)
    _ = translator(lang, translations_dir)
    fmt = Formatter(NumberFormat(lang), _)
    rules = rules or SuppressionRules()
    generated_on = generated_on or dt.date.today()
    figures = compute_figures(report_input, lang, rules)
    theme_names = {key: report_input.theme_name(key, lang) for key in report_input.theme_keys()}
    quotable = [theme.key for theme in figures.themes if theme.count.shown]
    quotes = quotes_for_themes(report_input.quote_candidates, quotable, _)
    sections: list[Section] = []
    if figures.has_data:
        sections = _sections(report_input, figures, theme_names, quotes, fmt, lang, rules)
    outcomes = outcome_figures(report_input.outcome_counts, theme_names, rules, fmt)
    if sections and outcomes:  # before "About these figures", the last section
        title = _("What changed for residents")
        sections.insert(-1, Section("outcomes", title, outcome_paragraphs(outcomes, fmt)))
    return Report(
        query=report_input.query,
        locale=lang,
        title=_("Impact report on the sociale basis"),
        subtitle=_subtitle(report_input, theme_names, fmt),
        generated_on=generated_on,
        generated_text=_("Generated on %(date)s by Weefsel")
        % {"date": fmt.numbers.date(generated_on)},
        has_data=figures.has_data,
        no_data_message=_("No data for this period and this area"),
        sections=sections,
        figures=figures,
        quotes=quotes,
        translations_dir=str(translations_dir) if translations_dir is not None else None,
        outcomes=outcomes,
    )


def period_text(period: Period, fmt: Formatter) -> str:
    """The period in words: 'maart 2026', '1e kwartaal 2026', '2026', '1 jan. … 15 feb. 2026'."""
    if period.kind == "month":
        return fmt.numbers.month(period.months()[0])
    if period.kind == "quarter":
        quarter = (period.start.month - 1) // 3 + 1
        return fmt._("quarter %(q)s of %(year)s") % {"q": quarter, "year": period.start.year}
    if period.kind == "year":
        return str(period.start.year)
    months = period.months()
    if period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1:
        return f"{fmt.numbers.month(months[0])} – {fmt.numbers.month(months[-1])}"
    return f"{fmt.numbers.date(period.start)} – {fmt.numbers.date(period.end)}"


def _subtitle(data: ReportInput, theme_names: dict[str, str], fmt: Formatter) -> str:
    _ = fmt._
    area = data.query.area
    levels = {"city": _("municipality"), "stadsdeel": _("stadsdeel"), "wijk": _("wijk")}
    parts = [f"{area.name} ({levels[area.level]})", period_text(data.query.period, fmt)]
    if data.query.theme:
        name = theme_names.get(data.query.theme, data.query.theme)
        parts.append(_("theme: %(name)s") % {"name": name})
    if data.query.initiative:
        parts.append(_("initiative: %(name)s") % {"name": data.query.initiative})
    return " · ".join(parts)


def _key_figure(key: str, label: str, metric: Metric, fmt: Formatter) -> KeyFigure:
    return KeyFigure(key, label, fmt.value(metric), fmt.basis(metric.basis), metric.suppressed)


def _sections(
    data: ReportInput,
    figures: Figures,
    theme_names: dict[str, str],
    quotes: dict[str, list[Quote]],
    fmt: Formatter,
    lang: str,
    rules: SuppressionRules,
) -> list[Section]:
    _ = fmt._
    sections = [_summary_section(figures, fmt)]
    if figures.has_story_data:
        themes = Section("themes", _("Themes in residents' stories"))
        themes.tables.append(theme_table(figures, fmt))
        chart = themes_by_month_chart(figures, theme_names, fmt, lang)
        themes.charts += [chart] if chart else []
        sections.append(themes)
        subarea_label = _("stadsdeel") if data.query.area.level == "city" else _("wijk")
        chart = themes_by_subarea_chart(figures, theme_names, subarea_label, fmt, lang)
        if chart:
            title = (
                _("Themes per stadsdeel")
                if data.query.area.level == "city"
                else _("Themes per wijk")
            )
            sections.append(Section("subareas", title, charts=[chart]))
    if figures.has_activity_data:
        activity = Section("activity", _("Activity, reach and effort"))
        table = activity_table(figures.activity, fmt)
        chart = activity_chart(figures, table, fmt, lang)
        activity.charts += [chart] if chart else []
        reach_labels = {
            "participants_per_1000": _("Participants per 1,000 inhabitants (monthly average)"),
            "new_per_1000": _("New participants per 1,000 inhabitants"),
        }
        for key, metric in figures.reach.items():
            activity.key_figures.append(_key_figure(key, reach_labels[key], metric, fmt))
        sections.append(activity)
    if figures.cost:
        sections.append(_cost_section(figures, fmt))
    if figures.top_initiatives:
        sections.append(
            Section(
                "initiatives",
                _("Most active initiatives"),
                tables=[top_initiatives_table(figures, fmt)],
            )
        )
    groups = [QuoteGroup(k, theme_names[k], quotes[k]) for k in quotes if quotes[k]]
    if groups:
        sections.append(Section("quotes", _("In residents' own words"), quote_groups=groups))
    sections.append(
        Section("method", _("About these figures"), _method_note(data, figures, fmt, rules))
    )
    return sections


def _summary_section(figures: Figures, fmt: Formatter) -> Section:
    _ = fmt._
    names = measure_names(_)
    section = Section("summary", _("Key figures"))
    if figures.has_story_data:
        section.key_figures.append(
            _key_figure("stories", _("Stories from residents"), figures.story_total, fmt)
        )
    if figures.has_activity_data:
        for key, metric in figures.activity.totals.items():
            section.key_figures.append(_key_figure(key, names[key], metric, fmt))
    return section


def _cost_section(figures: Figures, fmt: Formatter) -> Section:
    _ = fmt._
    labels = {
        "subsidy_total": _("Subsidy in this period"),
        "per_participant": _("Subsidy per participant (monthly average)"),
        "per_activity": _("Subsidy per activity"),
        "per_inhabitant_year": _("Subsidy per inhabitant per year"),
    }
    section = Section("cost", _("Cost"))
    for key, label in labels.items():
        if key in figures.cost:
            section.key_figures.append(_key_figure(key, label, figures.cost[key], fmt))
    share = figures.cost.get("share_of_benchmark")
    if share is not None and share.shown:
        section.paragraphs.append(
            _(
                "That is %(share)s of the benchmark of %(benchmark)s per inhabitant per year "
                "proposed for base funding of the sociale basis."
            )
            % {
                "share": fmt.numbers.percent(share.value, 0),
                "benchmark": fmt.numbers.euros(BENCHMARK_EUR_PER_INHABITANT_YEAR, cents=False),
            }
        )
    return section


def _method_note(
    data: ReportInput, figures: Figures, fmt: Formatter, rules: SuppressionRules
) -> list[str]:
    _ = fmt._
    notes = [
        _(
            "This report is built from aggregated data only: stories that residents sent in "
            "themselves and the monthly activity reports of initiatives. It contains no names "
            "or addresses."
        ),
        _(
            "Themes were assigned to stories by a language model and checked by staff. "
            "A story can be about more than one theme."
        ),
        _(
            "Privacy: numbers that rest on fewer than %(stories)s stories or fewer than "
            '%(initiatives)s initiatives are not shown ("too few data"). Where a total would '
            "give a hidden number away, a second number is hidden as well."
        )
        % {"stories": rules.min_stories, "initiatives": rules.min_initiatives},
        _(
            "Participants and volunteers are counted per month, so for a period we show the "
            "monthly average; activities, visits, new participants, volunteer hours and meals "
            "are added up."
        ),
    ]
    basis = figures.activity.basis
    share = basis.reporting_share
    if figures.has_activity_data and share is not None and share < 1:
        notes.append(
            _(
                "%(n)s of %(total)s initiatives sent in figures (%(share)s), so the real "
                "numbers are higher than shown."
            )
            % {
                "n": fmt.numbers.count(basis.initiatives_reporting or 0),
                "total": fmt.numbers.count(basis.initiatives_active or 0),
                "share": fmt.numbers.percent(share),
            }
        )
    if figures.cost:
        notes.append(
            _(
                "Cost per inhabitant per year is compared with the benchmark of %(benchmark)s "
                "per inhabitant per year that Rotterdam's neighbourhood networks proposed as "
                "base funding."
            )
            % {"benchmark": fmt.numbers.euros(BENCHMARK_EUR_PER_INHABITANT_YEAR, cents=False)}
        )
    notes.append(
        _(
            "Quotes are used only with the writer's permission and with personal details "
            "removed; … marks where a quote was shortened at the end of a sentence."
        )
    )
    return notes
