"""build_report: from a ReportInput to a Report, the one model every exporter renders.

A Report holds translated, formatted sections (key figures, tables, chart specs, quotes, method
note) plus the raw Figures for JSON, so HTML and PDF say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .chart_specs import activity_chart, themes_by_month_chart, themes_by_subarea_chart
from .charts import ChartSpec, chart_has_content
from .comparisons import (
    SummaryItem,
    activity_comparison_table,
    coverage_sentence,
    largest_changes,
    period_coverage,
    previous_activity,
    quotes_section_title,
    side_by_side_table,
)
from .data import Period, ReportInput, ReportQuery
from .figures import BENCHMARK_EUR_PER_INHABITANT_YEAR, Figures, compute_figures
from .i18n import NumberFormat, language, translator
from .outcomes import OutcomeFigure, outcome_figures, outcome_paragraphs
from .quotes import Quote, quotes_for_themes
from .signification import SignificationFigures, compute_signification
from .suppression import Metric, SuppressionRules
from .tables import (
    Formatter,
    Table,
    activity_table,
    measure_names,
    theme_table,
    top_initiatives_table,
)
from .theme_claims import model_quality_table, theme_source_sentences


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
    summary_items: list[SummaryItem] = field(default_factory=list)
    # charts drawn outside ChartSpec (the self-signification triad): signification_render.ImageFigure
    images: list = field(default_factory=list)


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
    signification: SignificationFigures | None = None
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
    signification = None
    if report_input.signification is not None and report_input.signification.rows:
        signification = compute_signification(
            report_input.signification, rules, report_input.theme_keys()
        )
        _add_signification_section(sections, signification, report_input, theme_names, fmt)
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
        signification=signification,
        outcomes=outcomes,
    )


def _add_signification_section(
    sections: list[Section],
    figures: SignificationFigures,
    data: ReportInput,
    theme_names: dict[str, str],
    fmt: Formatter,
) -> None:
    """Put residents' own reading just before the quotes and the method note."""
    from .signification_render import signification_section  # it builds on Section

    section = signification_section(figures, data.query.area.level, theme_names, fmt)
    if section is None:
        return
    keys = [existing.key for existing in sections]
    position = next((keys.index(k) for k in ("quotes", "method") if k in keys), len(sections))
    sections.insert(position, section)


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
    previous = previous_activity(data, rules)
    sections = []
    if data.previous_period is not None:
        before = period_text(data.previous_period, fmt)
        changes = Section("changes", _("What changed since %(before)s") % {"before": before})
        names = (period_text(data.query.period, fmt), before)
        changes.summary_items = largest_changes(data, figures, previous, quotes, names, fmt)
        sections.append(changes)
    sections.append(_summary_section(figures, fmt, rules))
    if figures.has_story_data:
        themes = Section("themes", _("Themes in residents' stories"))
        themes.paragraphs += theme_source_sentences(data, figures, fmt)
        themes.tables.append(theme_table(figures, fmt, _coverage_note(data, fmt)))
        quality = model_quality_table(data, theme_names, fmt)
        themes.tables += [quality] if quality else []
        _add_chart(themes, themes_by_month_chart(figures, theme_names, fmt, lang), fmt)
        sections.append(themes)
    if data.query.area.level != "wijk" and (figures.has_data):
        subarea_label = _("stadsdeel") if data.query.area.level == "city" else _("wijk")
        title = (
            _("Stadsdelen side by side")
            if data.query.area.level == "city"
            else _("Wijken side by side")
        )
        subareas = Section("subareas", title)
        table = side_by_side_table(data, figures, theme_names, subarea_label, fmt, rules)
        subareas.tables += [table] if table else []
        if figures.has_story_data:
            chart = themes_by_subarea_chart(figures, theme_names, subarea_label, fmt, lang)
            _add_chart(subareas, chart, fmt)
        if subareas.charts or subareas.tables:
            sections.append(subareas)
    if figures.has_activity_data:
        activity = Section("activity", _("Activity, reach and effort"))
        table = activity_table(figures.activity, fmt)
        reason = _too_few_initiatives_sentence(figures, fmt, rules)
        _add_chart(activity, activity_chart(figures, table, fmt, lang), fmt, reason)
        reach_labels = {
            "participants_per_1000": _("Participants per 1,000 inhabitants (monthly average)"),
            "new_per_1000": _("New participants per 1,000 inhabitants"),
        }
        for key, metric in figures.reach.items():
            if metric.shown or not reason:
                activity.key_figures.append(_key_figure(key, reach_labels[key], metric, fmt))
        hidden = [
            *figures.activity.totals.values(),
            *(previous.totals.values() if previous else ()),
        ]
        if previous is not None and not all(metric.suppressed for metric in hidden):
            names = (period_text(data.query.period, fmt), period_text(data.previous_period, fmt))
            coverage = period_coverage(data)
            table = activity_comparison_table(figures, previous, names, fmt, coverage)
            activity.tables.append(table)
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
        sections.append(Section("quotes", quotes_section_title(_), quote_groups=groups))
    sections.append(
        Section("method", _("About these figures"), _method_note(data, figures, fmt, rules))
    )
    return sections


def _coverage_note(data: ReportInput, fmt: Formatter) -> str | None:
    """Why the theme table gives no change, when the two periods cover unequal months."""
    coverage = period_coverage(data)
    if coverage is None or coverage.comparable:
        return None
    names = (period_text(data.query.period, fmt), period_text(data.previous_period, fmt))
    return coverage_sentence(coverage, names, fmt)


def _add_chart(
    section: Section, chart: ChartSpec | None, fmt: Formatter, reason: str | None = None
) -> None:
    """The chart, or plain sentences when it would have nothing to show.

    A chart whose every value is hidden or zero would draw an empty axis ("0 0 0 0") and a row
    of crosses. When nothing but zeros would be shown, its table (a wall of "too few data") is
    left out too: one sentence says why, and `reason` (when given) what the cause is. The
    period totals stay where they are (key figures, theme table), suppressed by the same rules.
    """
    if chart is not None and chart_has_content(chart):
        section.charts.append(chart)
        return
    if chart is not None and chart.suppressed_cells:
        section.paragraphs.append(
            fmt._(
                "No chart or table here: apart from zeros, every number in it rests on too few "
                "data to show. The totals for the whole period are shown above where there are "
                "enough data."
            )
        )
        if reason:
            section.paragraphs.append(reason)
        return
    if chart is not None:
        section.paragraphs.append(fmt._("No chart: there is nothing to count in this period."))
        section.tables.append(chart.table)


def _too_few_initiatives_sentence(
    figures: Figures, fmt: Formatter, rules: SuppressionRules
) -> str | None:
    """Why activity is hidden when too few initiatives sent in figures at all."""
    basis = figures.activity.basis
    if basis.initiatives_reporting is None or basis.initiatives_reporting >= rules.min_initiatives:
        return None
    return fmt._(
        "%(coverage)s. Activity is shown only where at least %(n)s initiatives sent in figures, "
        "so that no number can be traced back to one initiative."
    ) % {
        "coverage": fmt.coverage(basis.initiatives_reporting, basis.initiatives_active),
        "n": rules.min_initiatives,
    }


def _summary_section(figures: Figures, fmt: Formatter, rules: SuppressionRules) -> Section:
    _ = fmt._
    names = measure_names(_)
    section = Section("summary", _("Key figures"))
    if figures.has_story_data:
        section.key_figures.append(
            _key_figure("stories", _("Stories from residents"), figures.story_total, fmt)
        )
    if figures.has_activity_data:
        totals = figures.activity.totals
        if all(metric.suppressed for metric in totals.values()):
            # One sentence instead of a tile of "too few data" for every measure.
            reason = _too_few_initiatives_sentence(figures, fmt, rules)
            section.paragraphs.append(
                reason or _("The activity figures of this period rest on too few data to show.")
            )
            return section
        for key, metric in totals.items():
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
    per_use = ("per_participant", "per_activity")
    hide_per_use = all(
        figures.cost.get(key) is not None and figures.cost[key].suppressed for key in per_use
    )
    for key, label in labels.items():
        if key not in figures.cost or (hide_per_use and key in per_use):
            continue
        section.key_figures.append(_key_figure(key, label, figures.cost[key], fmt))
    if hide_per_use:
        # One sentence instead of two tiles of "too few data".
        section.paragraphs.append(
            _(
                "The subsidy per participant and per activity is not shown: it needs the "
                "activity figures, and those rest on too few data here."
            )
        )
    share = figures.cost.get("share_of_benchmark")
    per_inhabitant = figures.cost.get("per_inhabitant_year")
    if share is not None and share.shown and per_inhabitant is not None and per_inhabitant.shown:
        section.paragraphs.append(
            _(
                "The subsidy per inhabitant per year (%(amount)s) is %(share)s of the benchmark "
                "of %(benchmark)s per inhabitant per year proposed for base funding of the "
                "sociale basis."
            )
            % {
                "amount": fmt.numbers.euros(per_inhabitant.value),
                "share": fmt.numbers.percent(share.value, 0),
                "benchmark": fmt.numbers.euros(BENCHMARK_EUR_PER_INHABITANT_YEAR, cents=False),
            }
        )
    return section


def _area_notes(data: ReportInput, fmt: Formatter) -> list[str]:
    """How stories that name no wijk (or no area at all) are counted, naming the row that
    holds them only when the report has that row."""
    _ = fmt._
    if data.query.area.level == "wijk":
        return []
    notes = [
        _(
            "Every story counts in every total above the level it names: a story that names "
            "only a stadsdeel counts for that stadsdeel and the city."
        )
    ]
    if not data.has_unknown_subarea:
        return notes
    if data.query.area.level == "stadsdeel":
        notes.append(
            _('Stories that name this stadsdeel but no wijk are shown in the row "wijk unknown".')
        )
    else:
        notes.append(
            _(
                "Stories whose writer chose not to name a wijk or stadsdeel count for "
                '%(city)s as a whole, shown in the row "stadsdeel unknown".'
            )
            % {"city": data.query.area.name}
        )
    return notes


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
        *_area_notes(data, fmt),
        _(
            "Privacy: numbers that rest on fewer than %(stories)s stories, or on the reports "
            'of fewer than %(initiatives)s initiatives, are not shown ("too few data"). Where a '
            "total would give a hidden number away, a second number is hidden as well."
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
            _("%(coverage)s in this period, so the real numbers are higher than shown.")
            % {"coverage": fmt.coverage(basis.initiatives_reporting, basis.initiatives_active)}
        )
    if figures.cost:
        notes.append(
            _(
                "The subsidy is what the municipality granted to the initiatives in this area. "
                "It is the municipality's own spending, not a figure initiatives report, so it "
                "is shown however few initiatives there are."
            )
        )
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
