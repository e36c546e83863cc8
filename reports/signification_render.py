"""Residents' own reading in the report: a section (text, tables, triad chart) and JSON."""

from __future__ import annotations

import base64
import io
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .charts import OKABE_ITO, SCREEN
from .json_export import metric_json
from .signification import BetterShare, SignificationFigures, TriadFigures
from .tables import Cell, Formatter, Table

SQRT3_2 = math.sqrt(3) / 2
# Corner positions as on the story form: first on top, second bottom left, third bottom right.
CORNER_XY = ((0.5, SQRT3_2), (0.0, 0.0), (1.0, 0.0))
BUBBLE_GRID = 20  # points are counted in cells of 1/20 of a side, drawn as one bubble per cell


@dataclass(frozen=True)
class ImageFigure:
    """A chart that is not a ChartSpec (the triad): an SVG data URI, its text and its table."""

    key: str
    title: str
    data_uri: str
    alt_text: str
    table: Table


def better_table(
    figures: SignificationFigures, names: dict[str, str], caption: str, fmt: Formatter
) -> Table:
    """Per theme (or subarea): residents who answered, the share "better" and its interval."""
    _ = fmt._
    rows = [_better_row(_("All stories with an answer"), figures.overall, fmt)]
    rows += [_better_row(names.get(s.key, s.key), s, fmt) for s in figures.by_theme]
    header = [_("Theme"), _("Residents who answered"), _("Say it got better"), _("95% interval")]
    notes = [
        _(
            "Residents answered: how are you doing now, compared with before you came here? "
            "Worse, the same, better or I don't know. The share leaves out 'I don't know' "
            "and 'not applicable'."
        )
    ]
    return Table(caption, header, rows, notes)


def subarea_better_table(figures: SignificationFigures, caption: str, fmt: Formatter) -> Table:
    _ = fmt._
    rows = [_better_row(share.key, share, fmt) for share in figures.by_subarea]
    header = [_("Area"), _("Residents who answered"), _("Say it got better"), _("95% interval")]
    return Table(caption, header, rows)


def _better_row(label: str, share: BetterShare, fmt: Formatter) -> list[Cell]:
    if share.answered is None:
        return [Cell(label, numeric=False)] + [Cell(fmt.too_few, suppressed=True)] * 3
    low, high = share.interval or (0.0, 0.0)
    interval = f"{fmt.numbers.percent(low, 0)} – {fmt.numbers.percent(high, 0)}"
    return [
        Cell(label, numeric=False),
        Cell(fmt.numbers.count(share.answered)),
        Cell(fmt.value(share.better)),
        Cell(interval),
    ]


def triad_table(figures: SignificationFigures, lang: str, fmt: Formatter) -> Table:
    _ = fmt._
    triad = figures.triad
    rows = []
    for corner in figures.corners:
        nearest = triad.nearest[corner.value]
        mean = fmt.numbers.percent(triad.mean[corner.value], 0) if triad.mean else fmt.too_few
        rows.append(
            [
                Cell(corner.name(lang), numeric=False),
                Cell(fmt.value(nearest), suppressed=not nearest.shown),
                Cell(mean, suppressed=triad.mean is None),
            ]
        )
    header = [_("Corner"), _("Stories nearest to this corner"), _("Average weight")]
    return Table(_("Where residents placed their story"), header, rows)


def triad_alt_text(figures: SignificationFigures, lang: str, fmt: Formatter) -> str:
    """What the triad chart shows, in words."""
    _ = fmt._
    triad = figures.triad
    if triad is None or triad.suppressed:
        return _("Too few residents placed their story in the triangle to show it.")
    parts = [
        _("%(corner)s: %(share)s nearest")
        % {"corner": corner.name(lang), "share": fmt.value(triad.nearest[corner.value])}
        for corner in figures.corners
    ]
    return _(
        "Triangle with %(n)s stories placed by residents themselves; "
        "the closer a dot is to a corner, the more the story was about that. %(parts)s."
    ) % {"n": fmt.numbers.count(triad.n), "parts": "; ".join(parts)}


def triad_svg(triad: TriadFigures, corner_names: list[str]) -> bytes:
    """A ternary bubble chart: one bubble per 1/20 cell, its area by the number of stories."""
    layout = SCREEN
    figure = Figure(figsize=(layout.width, layout.width * 0.92))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.08, 0.96, 0.84))
    axes.set_aspect("equal")
    axes.axis("off")
    outline = [*CORNER_XY, CORNER_XY[0]]
    axes.plot([p[0] for p in outline], [p[1] for p in outline], color="#123f3d", linewidth=1.5)
    for step in (1 / 3, 2 / 3):  # faint guides where one corner has a third / two thirds
        for i in range(3):
            a, b, c = CORNER_XY[i], CORNER_XY[(i + 1) % 3], CORNER_XY[(i + 2) % 3]
            start = _mix(a, b, step)
            end = _mix(a, c, step)
            axes.plot([start[0], end[0]], [start[1], end[1]], color="#d0d5d4", linewidth=0.6)
    cells = Counter(
        tuple(round(w * BUBBLE_GRID) / BUBBLE_GRID for w in point) for point in triad.points
    )
    xs, ys, sizes = [], [], []
    for weights, count in sorted(cells.items()):
        x, y = _xy(weights)
        xs.append(x)
        ys.append(y)
        sizes.append(40 * count)
    axes.scatter(xs, ys, s=sizes, color=OKABE_ITO[0], alpha=0.55, edgecolors="white")
    if triad.mean:
        mean = _xy(tuple(triad.mean.values()))
        axes.scatter([mean[0]], [mean[1]], marker="X", s=90, color=OKABE_ITO[3], zorder=3)
    offsets = ((0, 0.05, "center", "bottom"), (0, -0.05, "left", "top"), (0, -0.05, "right", "top"))
    for (x, y), name, (dx, dy, ha, va) in zip(CORNER_XY, corner_names, offsets, strict=True):
        axes.text(x + dx, y + dy, name, ha=ha, va=va, fontsize=layout.font * 1.3, weight="bold")
    axes.set_xlim(-0.08, 1.08)
    axes.set_ylim(-0.14, SQRT3_2 + 0.12)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "triad"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _xy(weights: tuple[float, ...]) -> tuple[float, float]:
    x = sum(w * corner[0] for w, corner in zip(weights, CORNER_XY, strict=True))
    y = sum(w * corner[1] for w, corner in zip(weights, CORNER_XY, strict=True))
    return x, y


def _mix(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


def triad_figure(figures: SignificationFigures, lang: str, fmt: Formatter) -> ImageFigure | None:
    """The chart with its text and table, or None when the triad is suppressed or absent."""
    triad = figures.triad
    if triad is None or triad.suppressed:
        return None
    svg = triad_svg(triad, [corner.name(lang) for corner in figures.corners])
    return ImageFigure(
        key="signification-triad",
        title=fmt._("What residents say their story was about"),
        data_uri="data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
        alt_text=triad_alt_text(figures, lang, fmt),
        table=triad_table(figures, lang, fmt),
    )


def signification_json(figures: SignificationFigures) -> dict[str, Any]:
    """The figures as JSON-ready data (no story ids, suppressed cells without values)."""

    def share(item: BetterShare) -> dict[str, Any]:
        return {
            "key": item.key or None,
            "answered": item.answered,
            "better": metric_json(item.better),
            "interval_95": list(item.interval) if item.interval else None,
            "dont_know": item.dont_know,
        }

    triad = figures.triad
    return {
        "definition": {"id": figures.definition_id, "version": figures.definition_version},
        "better_overall": share(figures.overall),
        "better_by_theme": [share(item) for item in figures.by_theme],
        "better_by_subarea": [share(item) for item in figures.by_subarea],
        "triad": None
        if triad is None
        else {
            "corners": [
                {"value": c.value, "theme": c.theme, "names": c.names} for c in figures.corners
            ],
            "stories": triad.n,
            "suppressed": triad.suppressed,
            "nearest": {key: metric_json(value) for key, value in triad.nearest.items()},
            "mean_weights": triad.mean,
        },
    }


def signification_section(
    figures: SignificationFigures, area_level: str, theme_names: dict[str, str], fmt: Formatter
):
    """The report section on residents' own reading of their stories."""
    from .report import Section  # report.py imports this module lazily, when it is complete

    _ = fmt._
    triad = figures.triad
    section = Section("signification", _("What residents say about their own story"))
    section.paragraphs.append(
        _(
            "After telling their story, residents could say what it was about and whether "
            "things got better for them. Groups of fewer residents than the privacy rules "
            "allow are not shown."
        )
    )
    lang = fmt.numbers.lang
    section.tables.append(
        better_table(figures, theme_names, _("Residents who say things got better"), fmt)
    )
    if figures.by_subarea:
        caption = (
            _("Residents who say things got better, per stadsdeel")
            if area_level == "city"
            else _("Residents who say things got better, per wijk")
        )
        section.tables.append(subarea_better_table(figures, caption, fmt))
    image = triad_figure(figures, lang, fmt)
    if image is not None:
        section.paragraphs.append(
            _(
                "In the triangle each dot is one or more stories (a bigger dot: more stories); "
                "the cross marks the average."
            )
        )
        section.images.append(image)
    elif triad is not None:
        section.paragraphs.append(triad_alt_text(figures, lang, fmt))
    return section
