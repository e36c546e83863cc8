"""Charts for reports: a plain-data ChartSpec, its text alternative, and SVG/PNG rendering.

Rendering uses `matplotlib.figure.Figure` with the Agg/SVG canvases, never pyplot, so a server
keeps no global figures. Suppressed cells have no value in the spec and are drawn as a grey
cross below the axis with a footnote, never as a bar or point (nor where a 0 would be).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.figure import Figure
# matplotlib itself is imported where a chart is drawn: ~60 MB that a web worker serving only
# residents never needs.

from .i18n import NumberFormat, Translator
from .tables import Table

# Okabe & Ito (2008), readable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
SUPPRESSED_GREY = "#6b6b6b"
# How far below the x axis (points) a suppressed cell's cross is drawn: clear of the axis line
# and of the tick marks (3.5 pt), above the tick labels.
SUPPRESSED_DROP_PT = 7.0
MAX_TICK_LABELS = 9
# Rough widths in em of one character and of a legend entry's handle plus gaps.
CHAR_EM = 0.6
LEGEND_HANDLE_EM = 3.2

ChartKind = Literal["lines", "bars", "hbars"]


@dataclass(frozen=True)
class ChartLayout:
    """Figure width (inches) and base font size (points); what counts is their ratio.

    SCREEN is drawn narrow with large text, so that the SVG scaled down to a 360 px phone
    column still shows tick labels of about 11 px; PRINT fills an A4 column at PDF text size.
    """

    width: float
    font: float

    @property
    def em(self) -> float:
        """The base font size in inches."""
        return self.font / 72


SCREEN = ChartLayout(width=5.0, font=11.0)
PRINT = ChartLayout(width=7.5, font=9.0)


@dataclass(frozen=True)
class Series:
    """One line or bar group; None in `values` means suppressed (never drawn)."""

    name: str
    values: list[float | None]
    panel: int = 0


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart and to describe it without seeing it."""

    key: str
    kind: ChartKind
    title: str
    categories: list[str]
    series: list[Series]
    panel_titles: list[str]
    alt_text: str
    table: Table
    locale: str = "nl"
    footnote: str = ""
    panel_kinds: list[ChartKind] = field(default_factory=list)
    # Per category (month) its short month name and year, for compact two-line tick labels.
    month_ticks: list[tuple[str, str]] = field(default_factory=list)
    # Per category: True for a month not complete yet (drawn hatched or open, tick marked *).
    incomplete: list[bool] = field(default_factory=list)
    incomplete_note: str = ""

    @property
    def suppressed_cells(self) -> int:
        return sum(value is None for series in self.series for value in series.values)


def chart_has_content(spec: ChartSpec) -> bool:
    """True when at least one value is shown and not zero: otherwise a chart draws nothing."""
    return any(value for series in spec.series for value in series.values if value is not None)


def render_svg(spec: ChartSpec, layout: ChartLayout = SCREEN) -> bytes:
    """The chart as an SVG document (text kept as text, deterministic ids)."""
    import matplotlib

    figure = draw(spec, layout)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": spec.key}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def render_png(spec: ChartSpec, dpi: int = 150, layout: ChartLayout = SCREEN) -> bytes:
    """The chart as a PNG image."""
    figure = draw(spec, layout)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def inline_svg(spec: ChartSpec) -> str:
    """SVG markup to put inside an HTML page: ids prefixed per chart, scalable, labelled."""
    svg = render_svg(spec).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    prefix = f"chart-{spec.key}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)
    svg = re.sub(r'<svg\b([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r"<svg\1", svg, count=1)
    label = _escape_attribute(spec.alt_text)
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="chart"', 1)


def _escape_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def draw(spec: ChartSpec, layout: ChartLayout = SCREEN) -> Figure:
    """Build the matplotlib Figure for a spec (one or more stacked panels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    numbers = NumberFormat(spec.locale)
    panels = max((series.panel for series in spec.series), default=0) + 1
    em = layout.em
    height = panels * (min(0.36 * layout.width, 2.4) + 5 * em) + 3 * em
    if spec.kind == "hbars":
        bars = len(spec.categories) * max(1, len(spec.series))
        height = min(9.0, max(2.6, 0.6 * em * bars + 1.6 * em * len(spec.categories) + 7 * em))
    figure = Figure(figsize=(layout.width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes_list = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    for panel, axes in enumerate(axes_list):
        members = [s for s in spec.series if s.panel == panel]
        kind = spec.panel_kinds[panel] if spec.panel_kinds else spec.kind
        axes.tick_params(labelsize=layout.font)
        if kind == "hbars":
            _draw_hbars(axes, spec, members, numbers)
        else:
            _draw_columns(axes, spec, members, numbers, kind, layout)
        axes.spines[["top", "right"]].set_visible(False)
        # The axes start right of the y tick labels: numbers, or subarea names for hbars.
        names = spec.categories if kind == "hbars" else ["00.000"]
        left = CHAR_EM * max((len(name) for name in names), default=0) + 1.0
        legend_rows = _legend(axes, members, layout, left) if len(members) > 1 else 0
        if panel < len(spec.panel_titles):
            # Above the legend, so the two never share a line on a narrow figure.
            pad = 4 + legend_rows * 1.6 * layout.font
            axes.set_title(spec.panel_titles[panel], fontsize=layout.font + 1, loc="left", pad=pad)
    figure.suptitle(spec.title, fontsize=layout.font + 2, x=0.01, ha="left")
    footnotes = ["× " + spec.footnote] if spec.suppressed_cells else []
    if any(spec.incomplete) and spec.incomplete_note:
        footnotes.append("* " + spec.incomplete_note)
    if footnotes:
        # As the figure's x label, so constrained layout keeps it clear of the tick labels.
        figure.supxlabel(
            "\n".join(footnotes),
            x=0.01,
            ha="left",
            fontsize=layout.font,
            color=SUPPRESSED_GREY,
        )
    return figure


def _legend(axes, members: list[Series], layout: ChartLayout, left: float) -> int:
    """A left-aligned legend above the plot, never covering a line or bar; returns its rows.

    `left` is the room (em) taken by the y tick labels, left of where the legend starts.
    """
    available = layout.width * 72 / layout.font - left - 1.0
    widths = [LEGEND_HANDLE_EM + CHAR_EM * len(series.name) for series in members]
    columns = len(members)
    while (
        columns > 1
        and max(sum(widths[start : start + columns]) for start in range(0, len(widths), columns))
        > available
    ):
        columns -= 1
    axes.legend(
        fontsize=layout.font,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=columns,
        borderaxespad=0.2,
        borderpad=0.2,
        handlelength=2.2,
        columnspacing=1.2,
    )
    return math.ceil(len(members) / columns)


def _draw_columns(
    axes, spec: ChartSpec, members: list[Series], numbers, kind, layout: ChartLayout
) -> None:
    positions = list(range(len(spec.categories)))
    width = 0.8 / max(1, len(members))
    for index, series in enumerate(members):
        colour = OKABE_ITO[_colour_index(spec, series) % len(OKABE_ITO)]
        values = [math.nan if v is None else v for v in series.values]
        open_ = _incomplete(spec)
        if kind == "lines":
            solid = [math.nan if open_[p] else v for p, v in enumerate(values)]
            axes.plot(
                positions,
                solid,
                color=colour,
                marker=MARKERS[index % len(MARKERS)],
                markersize=4,
                linestyle=LINESTYLES[index % len(LINESTYLES)],
                label=series.name,
            )
            _draw_incomplete_points(axes, positions, values, open_, colour, index)
            offsets = positions
        else:
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            shown = [
                (o, v, open_[p])
                for p, (o, v) in enumerate(zip(offsets, series.values, strict=True))
                if v is not None
            ]
            bars = axes.bar(
                [o for o, _v, _f in shown],
                [v for _o, v, _f in shown],
                width=width * 0.95,
                color=colour,
                label=series.name,
            )
            for bar, (_o, _v, flag) in zip(bars, shown, strict=True):
                if flag:  # an incomplete month: outlined and hatched, not a solid bar
                    bar.set_facecolor("white")
                    bar.set_edgecolor(colour)
                    bar.set_hatch("///")
        _mark_suppressed(
            axes, [o for o, v in zip(offsets, series.values, strict=True) if v is None]
        )
    axes.set_ylim(bottom=0)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: numbers.count(value)))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    shown, labels = _x_ticks(spec, layout)
    axes.set_xticks(shown, labels)


def _incomplete(spec: ChartSpec) -> list[bool]:
    return spec.incomplete or [False] * len(spec.categories)


def _draw_incomplete_points(axes, positions, values, open_, colour, index) -> None:
    """Incomplete months as open markers joined by a thin dotted line, never a solid fall."""
    for position in (p for p, flag in enumerate(open_) if flag):
        value = values[position]
        if math.isnan(value):
            continue
        before = position - 1
        if before >= 0 and not math.isnan(values[before]):
            axes.plot(
                [positions[before], positions[position]],
                [values[before], value],
                color=colour,
                linestyle=":",
                linewidth=1,
            )
        axes.plot(
            [positions[position]],
            [value],
            linestyle="none",
            marker=MARKERS[index % len(MARKERS)],
            markersize=5,
            markerfacecolor="white",
            markeredgecolor=colour,
        )


def _x_ticks(spec: ChartSpec, layout: ChartLayout) -> tuple[list[int], list[str]]:
    """Horizontal tick labels that fit: full ('mrt 2026') when all fit, else month names with
    the year below the first tick and where it changes, every other month (or fewer) if needed."""
    count = len(spec.categories)
    room = (layout.width - 0.8) * 72 / layout.font  # axis width in em

    def step_for(labels: list[str]) -> int:
        per_label = CHAR_EM * max(len(label) for label in labels) + 1.0
        return max(1, math.ceil(count / MAX_TICK_LABELS), math.ceil(count * per_label / room))

    step = step_for(spec.categories) if count else 1
    open_ = _incomplete(spec)
    if step == 1 or not spec.month_ticks:
        positions = list(range(0, count, step))
        labels = [spec.categories[p] for p in positions]
    else:
        positions = list(range(0, count, step_for([month for month, _year in spec.month_ticks])))
        labels = _compact_month_labels(spec, positions)
    return positions, [
        _star(label) if open_[p] else label for p, label in zip(positions, labels, strict=True)
    ]


def _star(label: str) -> str:
    """Mark a tick label as incomplete: 'dec*', keeping a year line below it."""
    first, _newline, rest = label.partition("\n")
    return f"{first}*" + (f"\n{rest}" if rest else "")


def _compact_month_labels(spec: ChartSpec, positions: list[int]) -> list[str]:
    """Short month names for the given tick positions, the year on a second line where new."""
    labels, previous_year = [], None
    for position in positions:
        month, year = spec.month_ticks[position]
        labels.append(month if year == previous_year else f"{month}\n{year}")
        previous_year = year
    return labels


def _draw_hbars(axes, spec: ChartSpec, members: list[Series], numbers) -> None:
    positions = list(range(len(spec.categories)))
    height = 0.8 / max(1, len(members))
    for index, series in enumerate(members):
        colour = OKABE_ITO[_colour_index(spec, series) % len(OKABE_ITO)]
        offsets = [p - 0.4 + height * (index + 0.5) for p in positions]
        shown = [(o, v) for o, v in zip(offsets, series.values, strict=True) if v is not None]
        axes.barh(
            [o for o, _v in shown],
            [v for _o, v in shown],
            height=height * 0.95,
            color=colour,
            label=series.name,
        )
        hidden_offsets = [o for o, v in zip(offsets, series.values, strict=True) if v is None]
        if hidden_offsets:
            axes.plot(
                [0] * len(hidden_offsets),
                hidden_offsets,
                linestyle="none",
                marker="x",
                color=SUPPRESSED_GREY,
                markersize=5,
                clip_on=False,
            )
    axes.set_yticks(positions, spec.categories)
    axes.invert_yaxis()
    axes.set_xlim(left=0)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: numbers.count(value)))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _mark_suppressed(axes, offsets: list[float]) -> None:
    """A grey cross below the axis where a suppressed value would have been.

    Below the axis line, not on it: a cross drawn at 0 sits where a real 0 is drawn, so a line
    leaving a real 0 seemed to rise from a hidden value. The x tick labels move down to make
    room for the crosses.
    """
    if not offsets:
        return
    from matplotlib.transforms import offset_copy

    below = offset_copy(
        axes.get_xaxis_transform(), fig=axes.figure, y=-SUPPRESSED_DROP_PT, units="points"
    )
    axes.plot(
        offsets,
        [0.0] * len(offsets),
        transform=below,
        linestyle="none",
        marker="x",
        color=SUPPRESSED_GREY,
        markersize=5,
        clip_on=False,
    )
    axes.tick_params(axis="x", pad=SUPPRESSED_DROP_PT + 1)


def _colour_index(spec: ChartSpec, series: Series) -> int:
    names = list(dict.fromkeys(s.name for s in spec.series))
    return names.index(series.name)


def trend_sentence(
    series: Series, categories: list[str], numbers: NumberFormat, _: Translator
) -> str:
    """'Eenzaamheid: from 40 in januari 2025 to 55 in juni 2026 (highest 70 in maart 2026).'"""
    shown = [(c, v) for c, v in zip(categories, series.values, strict=True) if v is not None]
    if not shown:
        return _("%(series)s: too few data to show.") % {"series": series.name}
    (first_c, first_v), (last_c, last_v) = shown[0], shown[-1]
    top_c, top_v = max(shown, key=lambda item: item[1])
    return _(
        "%(series)s: from %(first)s in %(first_month)s to %(last)s in %(last_month)s "
        "(highest %(top)s in %(top_month)s)."
    ) % {
        "series": series.name,
        "first": numbers.count(first_v),
        "first_month": first_c,
        "last": numbers.count(last_v),
        "last_month": last_c,
        "top": numbers.count(top_v),
        "top_month": top_c,
    }


def ranking_sentence(
    series: Series, categories: list[str], numbers: NumberFormat, _: Translator
) -> str:
    """'Eenzaamheid: most in Noord (120), fewest in Zuid (12).'"""
    shown = [(c, v) for c, v in zip(categories, series.values, strict=True) if v is not None]
    if not shown:
        return _("%(series)s: too few data to show.") % {"series": series.name}
    top_c, top_v = max(shown, key=lambda item: item[1])
    low_c, low_v = min(shown, key=lambda item: item[1])
    return _("%(series)s: most in %(top)s (%(top_value)s), fewest in %(low)s (%(low_value)s).") % {
        "series": series.name,
        "top": top_c,
        "top_value": numbers.count(top_v),
        "low": low_c,
        "low_value": numbers.count(low_v),
    }


def suppressed_sentence(spec_cells: int, _: Translator) -> str:
    """How many cells the chart leaves out for privacy, or nothing."""
    if not spec_cells:
        return ""
    return _.ngettext(
        "%(n)s value is not shown because it rests on too few data.",
        "%(n)s values are not shown because they rest on too few data.",
        spec_cells,
    ) % {"n": spec_cells}
