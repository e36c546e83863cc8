"""render_html: a Report as a self-contained HTML document or fragment (Jinja2, no Flask).

Charts go inline as SVG (labelled with their text alternative) or as data-URI PNG images, so
the output needs no other files and the app can embed the fragment in its own page.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import IO, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .charts import ChartSpec, inline_svg, render_png
from .i18n import NumberFormat, translator
from .output import write_text
from .report import Report

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )


def chart_markup(chart: ChartSpec, chart_format: Literal["svg", "png"] = "svg") -> Markup:
    """The chart as inline SVG or as an <img> with a data-URI PNG, both with alt text."""
    if chart_format == "png":
        data = base64.b64encode(render_png(chart, dpi=110)).decode("ascii")
        return Markup('<img src="data:image/png;base64,{}" alt="{}">').format(
            Markup(data), chart.alt_text
        )
    return Markup(inline_svg(chart))


def render_html(
    report: Report,
    fileobj: IO,
    *,
    fragment: bool = False,
    chart_format: Literal["svg", "png"] = "svg",
) -> None:
    """Write the report as HTML to `fileobj` (text or binary; UTF-8 when binary)."""
    _ = translator(report.locale, report.translations_dir)
    numbers = NumberFormat(report.locale)

    def quote_source(quote) -> str:
        parts = [quote.wijk] if quote.wijk else []
        parts.append(numbers.month(quote.month))
        return ", ".join(parts)

    template = _environment().get_template("reports/report.html")
    html = template.render(
        report=report,
        full_document=not fragment,
        chart_markup=lambda chart: chart_markup(chart, chart_format),
        quote_source=quote_source,
        _=_,
    )
    write_text(fileobj, html)
