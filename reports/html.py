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

from .charts import ChartSpec, inline_svg, render_png, render_svg
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


ChartFormat = Literal["svg-img", "svg", "png"]


def report_css() -> str:
    """The report's stylesheet, for pages whose Content-Security-Policy forbids inline styles."""
    return (TEMPLATES_DIR / "reports" / "report.css").read_text(encoding="utf-8")


def chart_markup(chart: ChartSpec, chart_format: ChartFormat = "svg-img") -> Markup:
    """The chart with its alt text: an <img> with a data-URI SVG or PNG, or inline <svg>.

    "svg-img" (default) is sharp at any size and works under a strict Content-Security-Policy
    (style-src 'self'; img-src data:), where the inline SVG's style attributes would be blocked.
    """
    if chart_format == "svg":
        return Markup(inline_svg(chart))
    if chart_format == "png":
        mime, payload = "image/png", render_png(chart, dpi=110)
    else:
        mime, payload = "image/svg+xml", render_svg(chart)
    data = base64.b64encode(payload).decode("ascii")
    return Markup('<img class="chart" src="data:{};base64,{}" alt="{}">').format(
        mime, Markup(data), chart.alt_text
    )


def render_html(
    report: Report,
    fileobj: IO,
    *,
    fragment: bool = False,
    chart_format: ChartFormat = "svg-img",
    include_css: bool | None = None,
) -> None:
    """Write the report as HTML to `fileobj` (text or binary; UTF-8 when binary).

    A full document carries its own <style>; a fragment (for embedding in the app's page) does
    not unless asked, since the app's CSP blocks inline styles: serve `report_css()` instead.
    """
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
        include_css=not fragment if include_css is None else include_css,
        chart_markup=lambda chart: chart_markup(chart, chart_format),
        quote_source=quote_source,
        _=_,
    )
    write_text(fileobj, html)
