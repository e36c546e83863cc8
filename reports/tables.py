"""Tables as readers see them: formatted, translated cells built from the report's figures.

The same Table feeds the HTML table, the PDF table and the table behind each chart, so a
suppressed cell reads "te weinig gegevens" everywhere and never carries its number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .figures import ACTIVITY_MEASURES, ActivityFigures, CountTable, Figures
from .i18n import NumberFormat, Translator
from .suppression import Basis, Metric


@dataclass(frozen=True)
class Cell:
    """One table cell as text; `suppressed` marks a hidden number, `numeric` right-aligns."""

    text: str
    suppressed: bool = False
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    """A captioned table: a header row and rows whose first cell is the row's label."""

    caption: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)

    def column(self, index: int) -> list[Cell]:
        return [row[index] for row in self.rows]


class Formatter:
    """Turns Metrics and Bases into text in one locale."""

    def __init__(self, numbers: NumberFormat, _: Translator) -> None:
        self.numbers = numbers
        self._ = _

    @property
    def too_few(self) -> str:
        return self._("too few data")

    def value(self, metric: Metric) -> str:
        """The metric's value as text, or the suppression notice."""
        if not metric.shown:
            return self.too_few
        value, numbers = metric.value, self.numbers
        if metric.unit == "share":
            return numbers.percent(value)
        if metric.unit == "points":
            return numbers.points(value) + " " + self._("pp")
        if metric.unit == "eur":
            return numbers.euros(value)
        if metric.unit == "per_1000" or (metric.unit == "decimal" and abs(value) < 100):
            return numbers.decimal(value, 1)
        return numbers.count(value)

    def interval(self, metric: Metric) -> str:
        """A share's 95% interval as '3,1% – 9,8%', or the suppression notice."""
        if not metric.shown or metric.interval is None:
            return self.too_few if not metric.shown else "–"
        low, high = metric.interval
        return f"{self.numbers.percent(low)} – {self.numbers.percent(high)}"

    def change(self, metric: Metric | None) -> str:
        """A change in a count, with its sign."""
        if metric is None:
            return "–"
        if not metric.shown:
            return self.too_few
        return self.numbers.signed_count(int(metric.value))

    def cell(self, metric: Metric | None, change: bool = False) -> Cell:
        if metric is None:
            return Cell("–")
        text = self.change(metric) if change else self.value(metric)
        return Cell(text, suppressed=metric.suppressed)

    def month_label(self, month: str, incomplete: bool = False) -> str:
        """'december 2026', or 'december 2026 (incomplete)' for a month not final yet."""
        label = self.numbers.month(month)
        if not incomplete:
            return label
        return self._("%(month)s (incomplete)") % {"month": label}

    def coverage(self, reporting: int | None, active: int | None) -> str:
        """The one wording of how many initiatives sent figures: '3 of 5 initiatives ...'.

        Dutch agrees noun and verb with the numbers ("1 van 1 initiatief gaf", "1 van 7
        initiatieven gaf", "3 van 7 initiatieven gaven"), so each case has its own message."""
        _, numbers = self._, self.numbers
        n = reporting or 0
        values = {"n": numbers.count(n), "total": numbers.count(active or 0)}
        if active == 1:
            return _("%(n)s of 1 initiative sent in figures") % values
        if active:
            return (
                _.ngettext(
                    "%(n)s of %(total)s initiatives sent in figures",
                    "%(n)s of %(total)s initiatives sent in figures",
                    n,
                )
                % values
            )
        return (
            _.ngettext("%(n)s initiative sent in figures", "%(n)s initiatives sent in figures", n)
            % values
        )

    def basis(self, basis: Basis) -> str:
        """'based on 1.234 stories' and/or '412 of 500 initiatives sent in figures'."""
        _, numbers, parts = self._, self.numbers, []
        if basis.stories is not None:
            parts.append(
                _.ngettext("based on %(n)s story", "based on %(n)s stories", basis.stories)
                % {"n": numbers.count(basis.stories)}
            )
        if basis.initiatives_reporting is not None:
            parts.append(self.coverage(basis.initiatives_reporting, basis.initiatives_active))
        if basis.initiatives_funded is not None:
            parts.append(
                _.ngettext(
                    "granted to %(n)s initiative",
                    "granted to %(n)s initiatives",
                    basis.initiatives_funded,
                )
                % {"n": numbers.count(basis.initiatives_funded)}
            )
        return "; ".join(parts)


def measure_names(_: Translator) -> dict[str, str]:
    """Readable names of the activity measures."""
    return {
        "activities": _("Activities"),
        "visits": _("Visits"),
        "unique_participants": _("Participants (monthly average)"),
        "new_participants": _("New participants"),
        "volunteers": _("Volunteers (monthly average)"),
        "volunteer_hours": _("Volunteer hours"),
        "meals": _("Meals"),
    }


def theme_table(figures: Figures, fmt: Formatter, not_comparable: str | None = None) -> Table:
    """Stories per theme with share and the change against the previous period.

    `not_comparable` says why the periods do not compare (unequal months of data): then the
    change in number is left out; the change in share, which does not depend on length, stays.
    """
    _ = fmt._
    with_previous = any(theme.previous_count is not None for theme in figures.themes)
    header = [
        _("Theme"),
        _("Stories"),
        _("Share of all stories"),
        _("%(level)s interval of the share") % {"level": "95%"},
    ]
    if with_previous:
        header += [_("Previous period"), _("Change"), _("Change in share")]
    rows = []
    for theme in figures.themes:
        row = [
            Cell(theme.name, numeric=False),
            fmt.cell(theme.count),
            fmt.cell(theme.share),
            Cell(fmt.interval(theme.share), suppressed=theme.share.suppressed),
        ]
        if with_previous:
            row += [
                fmt.cell(theme.previous_count),
                fmt.cell(theme.change_count, change=True) if not not_comparable else Cell("–"),
                fmt.cell(theme.change_share),
            ]
        rows.append(row)
    notes = [fmt.basis(figures.story_total.basis)] if figures.story_total.shown else []
    if with_previous and not_comparable:
        notes.append(not_comparable)
    notes.append(
        _(
            "A story can be about more than one theme, so shares can add up to more than 100 percent."
        )
    )
    notes.append(
        _(
            "The %(level)s interval is the range in which the share would lie with %(level)s "
            "certainty if the stories were a random sample (Wilson method); a small number of "
            "stories gives a wide range."
        )
        % {"level": "95%"}
    )
    return Table(_("Stories per theme"), header, rows, notes)


def count_table(
    table: CountTable,
    caption: str,
    row_label: str,
    row_names: dict[str, str],
    theme_names: dict[str, str],
    fmt: Formatter,
) -> Table:
    """A rows-by-themes count table, with a total column when the table has row totals."""
    header = [row_label] + [theme_names[theme] for theme in table.themes]
    if table.row_totals:
        header.append(fmt._("All stories"))
    rows = []
    for key in table.rows:
        row = [Cell(row_names.get(key, key), numeric=False)]
        row += [fmt.cell(table.cell(key, theme)) for theme in table.themes]
        if table.row_totals:
            row.append(fmt.cell(table.row_totals[key]))
        rows.append(row)
    return Table(caption, header, rows)


def activity_table(activity: ActivityFigures, fmt: Formatter) -> Table:
    """Activity per month and in total (sums; participants and volunteers as monthly means)."""
    _, names = fmt._, measure_names(fmt._)
    header = [_("Month")] + [names[name] for name in ACTIVITY_MEASURES]
    header.append(_("Initiatives that sent in figures"))
    rows = []
    for month in activity.months:
        values = activity.by_month[month]
        basis = values["activities"].basis
        reported = Cell(_coverage_cell(basis, fmt))
        label = fmt.month_label(month, month in activity.incomplete)
        row = [Cell(label, numeric=False)]
        row += [fmt.cell(values[name]) for name in ACTIVITY_MEASURES] + [reported]
        rows.append(row)
    total_row = [Cell(_("Total"), numeric=False)]
    total_row += [fmt.cell(activity.totals[name]) for name in ACTIVITY_MEASURES]
    total_row.append(Cell(_coverage_cell(activity.basis, fmt)))
    rows.append(total_row)
    notes = [fmt.basis(activity.basis)]
    if activity.incomplete:
        notes.append(
            _(
                "Months marked incomplete are not over yet or miss the figures of some "
                "initiatives: a lower number there is not a decline."
            )
        )
    return Table(_("Activity per month"), header, rows, notes)


def _coverage_cell(basis: Basis, fmt: Formatter) -> str:
    """'3 of 5': the same two numbers as Formatter.coverage, short enough for a table cell."""
    if basis.initiatives_active:
        return fmt._("%(n)s of %(total)s") % {
            "n": fmt.numbers.count(basis.initiatives_reporting or 0),
            "total": fmt.numbers.count(basis.initiatives_active),
        }
    return fmt.numbers.count(basis.initiatives_reporting or 0)


def top_initiatives_table(figures: Figures, fmt: Formatter) -> Table:
    """The most active initiatives in the period."""
    _ = fmt._
    header = [_("Initiative"), _("Activities"), _("Visits")]
    rows = [
        [Cell(name, numeric=False), fmt.cell(activities), fmt.cell(visits)]
        for name, activities, visits in figures.top_initiatives
    ]
    return Table(_("Most active initiatives"), header, rows)
