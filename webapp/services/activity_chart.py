"""A small history chart for one initiative: matplotlib Figure (never pyplot), as SVG."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from surveys import FieldType, SurveyDefinition

from ..models import ActivityReport

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
CHART_FIELDS = 3


def chart_fields(definition: SurveyDefinition) -> list:
    """The first few whole-number questions of the definition: what the chart shows."""
    return [f for f in definition.value_fields if f.type is FieldType.INTEGER][:CHART_FIELDS]


def history_chart_svg(
    reports: list[ActivityReport],
    definition: SurveyDefinition,
    lang: str,
    month_label: Callable,
    title: str,
) -> str | None:
    """An SVG line chart of the last 12 months, or None when there is nothing to draw.

    Sized and lettered to stay readable when a phone shrinks it to ~350 px wide.
    """
    reports = reports[-12:]
    fields = chart_fields(definition)
    if not reports or not fields:
        return None
    from matplotlib.figure import Figure  # here: web workers load matplotlib on first chart

    figure = Figure(figsize=(4.8, 4.4), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    labels = [month_label(r.month) for r in reports]
    positions = range(len(reports))
    for colour, item in zip(PALETTE, fields, strict=False):
        values = [r.values.get(item.name) for r in reports]
        points = [
            (x, v) for x, v in zip(positions, values, strict=True) if isinstance(v, int | float)
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, marker="o", color=colour, label=item.label_for(lang), linewidth=2)
    axes.set_xticks(list(positions), labels, rotation=45, ha="right", fontsize=11)
    axes.tick_params(axis="y", labelsize=11)
    axes.set_ylim(bottom=0)
    axes.set_title(title, fontsize=13, loc="left")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(fontsize=12, frameon=False, loc="outside lower left", ncols=1)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def svg_data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img>: the page's CSP blocks inline SVG style attributes."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
