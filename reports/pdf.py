"""render_pdf: a Report as an A4 PDF with fpdf2 (title page, sections, charts, tables, quotes).

DejaVu Sans from matplotlib's own fonts gives the PDF full Unicode (€, ë, …) without an extra
font package; charts are embedded as PNG with their text alternative.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import IO

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from .charts import PRINT, ChartSpec, render_png
from .i18n import NumberFormat, translator
from .report import KeyFigure, Report, Section
from .tables import Table

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVuSans"
GREY = (90, 90, 90)
BLUE = (0, 114, 178)
PAGE_WIDTH = 180  # A4 minus 15 mm margins
CHART_DPI = 150


class ReportPDF(FPDF):
    """An A4 page layout with a footer naming the report and the page number."""

    def __init__(self, footer_text: str, page_label: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.page_label = page_label
        # Anchor name (as in the HTML report) -> internal link, set where the anchor is drawn.
        self.anchors: dict[str, int] = {}
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(FONT, "I", FONT_DIR / "DejaVuSans-Oblique.ttf")

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.page_label % {"n": self.page_no()}, align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(report: Report, fileobj: IO[bytes]) -> None:
    """Write the report as a PDF to the binary file-like `fileobj`."""
    _ = translator(report.locale, report.translations_dir)
    pdf = ReportPDF(f"Weefsel · {report.title}", _("page %(n)s"))
    pdf.set_title(f"{report.title} – {report.subtitle}")
    pdf.set_author("Weefsel")
    pdf.set_lang(report.locale)
    pdf.set_creation_date(dt.datetime.combine(report.generated_on, dt.time(), dt.UTC))
    _title_page(pdf, report)
    if not report.has_data:
        _paragraph(pdf, report.no_data_message, size=13, style="B")
    for section in report.sections:
        _section(pdf, section, report, _)
    fileobj.write(bytes(pdf.output()))


def _title_page(pdf: ReportPDF, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font(FONT, "B", 24)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(PAGE_WIDTH, 11, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(FONT, "", 14)
    pdf.multi_cell(PAGE_WIDTH, 8, report.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(PAGE_WIDTH, 6, report.generated_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(-40)
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*BLUE)
    pdf.cell(PAGE_WIDTH, 10, "Weefsel", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.add_page()


def _paragraph(pdf: ReportPDF, text: str, size: float = 10, style: str = "", colour=None) -> None:
    pdf.set_font(FONT, style, size)
    if colour:
        pdf.set_text_color(*colour)
    pdf.multi_cell(PAGE_WIDTH, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5)


def _heading(pdf: ReportPDF, text: str, size: float, before: float = 4, keep: float = 40) -> None:
    """A heading, moved to a new page unless `keep` mm of what follows fits under it."""
    if pdf.get_y() + keep > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(before)
    pdf.start_section(text, level=0 if size >= 14 else 1)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(PAGE_WIDTH, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5)


def _section(pdf: ReportPDF, section: Section, report: Report, _) -> None:
    starts_with_chart = section.charts and not (section.paragraphs or section.key_figures)
    _heading(pdf, section.title, 15, before=6, keep=110 if starts_with_chart else 40)
    for item in section.summary_items:
        _paragraph(pdf, "• " + item.text)
        if item.anchor:
            link = pdf.anchors.setdefault(item.anchor, pdf.add_link())
            pdf.set_font(FONT, "U", 9)
            pdf.set_text_color(*BLUE)
            # On paper a link does nothing: the text says where the quotes are.
            text = item.print_text or item.link_text
            pdf.cell(PAGE_WIDTH, 5, text, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
    for paragraph in section.paragraphs:
        _paragraph(pdf, paragraph)
    if section.key_figures:
        _key_figures(pdf, section.key_figures, _)
    for chart in section.charts:
        _chart(pdf, chart, _)
    for image in section.images:  # the triad: its text alternative and table (no SVG in PDF)
        _paragraph(pdf, f"{image.title}. {image.alt_text}")
        _table(pdf, image.table)
    for table in section.tables:
        _table(pdf, table)
    numbers = NumberFormat(report.locale)
    for group in section.quote_groups:
        _heading(pdf, group.name, 11, before=2)
        anchor = f"quotes-{group.theme}"
        if anchor in pdf.anchors:
            pdf.set_link(pdf.anchors[anchor], y=pdf.get_y() - 8, page=pdf.page)
        for quote in group.quotes:
            source = ", ".join([*([quote.wijk] if quote.wijk else []), numbers.month(quote.month)])
            _paragraph(pdf, f"“{quote.text}”", size=10, style="I")
            _paragraph(pdf, f"— {source}", size=8, colour=GREY)


def _key_figures(pdf: ReportPDF, figures: list[KeyFigure], _) -> None:
    rows = [[figure.label, figure.text, figure.basis] for figure in figures]
    hidden = [[False, figure.suppressed, False] for figure in figures]
    header = [_("Figure"), _("Value"), _("Basis")]
    _table_rows(pdf, header, rows, hidden, (62, 38, 80), ("LEFT", "RIGHT", "LEFT"))


def _chart(pdf: ReportPDF, chart: ChartSpec, _) -> None:
    png = render_png(chart, dpi=CHART_DPI, layout=PRINT)
    width_px, height_px = _png_size(png)
    height = PAGE_WIDTH * height_px / width_px
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=PAGE_WIDTH, alt_text=chart.alt_text)
    pdf.ln(2)
    _paragraph(pdf, chart.alt_text, size=8, colour=GREY)
    _table(pdf, chart.table)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _table(pdf: ReportPDF, table: Table) -> None:
    if not table.rows:
        return
    _heading(pdf, table.caption, 10, before=2)
    rows = [[cell.text for cell in row] for row in table.rows]
    hidden = [[cell.suppressed for cell in row] for row in table.rows]
    columns = len(table.header)
    first = min(60, max(35, PAGE_WIDTH - 22 * (columns - 1)))
    widths = [first] + [(PAGE_WIDTH - first) / (columns - 1)] * (columns - 1)
    aligns = ["LEFT"] + ["RIGHT"] * (columns - 1)
    _table_rows(pdf, table.header, rows, hidden, widths, aligns)
    for note in table.notes:
        _paragraph(pdf, note, size=8, colour=GREY)


def _table_rows(
    pdf: ReportPDF,
    header: list[str],
    rows: list[list[str]],
    hidden: list[list[bool]],
    widths: list[float] | tuple[float, ...],
    aligns: list[str] | tuple[str, ...],
) -> None:
    """A table with a shaded header row; hidden cells in grey italics."""
    columns = len(header)
    size = 8 if columns <= 6 else 6.5
    pdf.set_font(FONT, "", size)
    muted = FontFace(emphasis="ITALICS", color=GREY)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=list(aligns),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 242, 248)),
        line_height=size * 0.5,
        padding=(0.8, 1),
    ) as pdf_table:
        heading = pdf_table.row()
        for text, align in zip(header, aligns, strict=True):
            heading.cell(text, align=align)
        for row, row_hidden in zip(rows, hidden, strict=True):
            pdf_row = pdf_table.row()
            for text, flag in zip(row, row_hidden, strict=True):
                pdf_row.cell(text, style=muted if flag else None)
    pdf.ln(2)
