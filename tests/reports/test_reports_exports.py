"""HTML, PDF and JSON say the same numbers, hide suppressed cells and handle empty reports."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader

from reports import build_report, render_html, render_json, render_pdf

from .factories import noord_q1

NO_DATA = "Geen gegevens voor deze periode en dit gebied"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def table_html(html: str, table_id: str) -> str:
    match = re.search(rf'<table id="{table_id}">.*?</table>', html, re.S)
    assert match, table_id
    return match.group(0)


def row_cells(table: str, label: str) -> list[str]:
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', table, re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_html_has_an_alt_text_for_every_chart(noord_report, noord_html):
    images = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]*)"', noord_html
    )
    assert len(images) == len(noord_report.charts) == 3
    assert all(len(alt) > 40 for alt in images)


def test_inline_svg_and_png_charts_carry_their_alt_text_too(noord_report):
    inline, png = io.StringIO(), io.StringIO()
    render_html(noord_report, inline, chart_format="svg")
    render_html(noord_report, png, fragment=True, chart_format="png")
    labels = re.findall(r'<svg role="img" aria-label="([^"]{40,})"', inline.getvalue())
    assert len(labels) == 3
    images = re.findall(
        r'<img class="chart" src="data:image/png;base64,[^"]+" alt="[^"]{40,}"', png.getvalue()
    )
    assert len(images) == 3


def test_html_fragment_works_under_the_apps_content_security_policy(noord_report):
    buffer = io.StringIO()
    render_html(noord_report, buffer, fragment=True)
    fragment = buffer.getvalue()
    assert fragment.lstrip().startswith("<article")
    assert "<style" not in fragment and "style=" not in fragment and "<script" not in fragment


def test_html_is_an_accessible_document(noord_html):
    assert noord_html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in noord_html
    assert noord_html.count("<figure") == noord_html.count("<figcaption>") == 3
    assert noord_html.count("<table") == noord_html.count("<caption>")
    assert (
        '<th scope="col" class="num">Verhalen</th>' in noord_html
    )  # right-aligned like its numbers
    assert "<h1>Impactrapportage sociale basis</h1>" in noord_html
    assert "Noord (stadsdeel) · 1e kwartaal 2026" in noord_html


def test_html_tables_show_suppressed_cells_as_too_few_data(noord_html):
    table = table_html(noord_html, "table-themes-by-month")
    assert row_cells(table, "februari 2026") == [
        "te weinig gegevens",
        "te weinig gegevens",
        "22",
        "50",
    ]
    assert row_cells(table, "maart 2026") == ["18", "10", "25", "60"]
    themes = table_html(noord_html, "table-themes-1")
    assert row_cells(themes, "Eenzaamheid") == [
        "45",
        "30,0%",
        "23,2% – 37,8%",
        "40",
        "+5",
        "−3,3 %-punt",
    ]
    assert row_cells(themes, "Armoede")[3:] == ["te weinig gegevens"] * 3


def test_html_shows_basis_and_quotes(noord_html):
    assert "op basis van 150 verhalen" in noord_html
    assert "8 van 10 initiatieven gaven cijfers door" in noord_html
    assert "Bij de aanschuifmaaltijd zit ik naast mijn buurvrouw" in noord_html
    assert "12345678" not in noord_html


def test_json_has_null_and_a_flag_for_suppressed_cells(noord_json):
    data = json.loads(noord_json)
    february = next(row for row in data["by_month"] if row["month"] == "2026-02")
    assert february["themes"]["armoede"]["value"] is None
    assert february["themes"]["armoede"]["suppressed"] is True
    assert february["themes"]["gezondheid"]["value"] == 22
    assert data["themes"][0]["share"]["value"] == 0.3
    assert data["activity"]["totals"]["activities"] == {
        "value": 90,
        "unit": "count",
        "suppressed": False,
        "basis": {
            "stories": None,
            "initiatives_reporting": 8,
            "initiatives_active": 10,
            "initiatives_reporting_share": 0.8,
            "initiatives_funded": None,
        },
    }
    assert data["cost"]["per_inhabitant_year"]["value"] == 1.8


def test_json_leaks_no_value_or_small_basis_of_a_suppressed_cell(noord_json):
    def metrics(node):
        if isinstance(node, dict):
            if "suppressed" in node and "value" in node:
                yield node
            for child in node.values():
                yield from metrics(child)
        elif isinstance(node, list):
            for child in node:
                yield from metrics(child)

    found = [m for m in metrics(json.loads(noord_json)) if m["suppressed"]]
    assert len(found) > 10
    for metric in found:
        assert metric["value"] is None
        assert metric["basis"]["stories"] is None or metric["basis"]["stories"] >= 5


def test_pdf_parses_and_contains_the_figures(noord_pdf):
    text = pdf_text(noord_pdf)
    assert PdfReader(io.BytesIO(noord_pdf)).pages[0].mediabox.width == 595.28
    for expected in (
        "Impactrapportage sociale basis",
        "Noord (stadsdeel)",
        "Gemaakt op 2 april 2026 door Weefsel",
        "Kerncijfers",
        "op basis van 150 verhalen",
        "€ 450,00",
        "In de woorden van bewoners",
        "Over deze cijfers",
    ):
        assert expected in text.replace("\xa0", " "), expected


def test_pdf_tables_hide_suppressed_cells(noord_pdf):
    lines = pdf_text(noord_pdf).splitlines()
    february = [line for line in lines if line.startswith("februari 2026")]
    assert february, "no February row"
    assert february[0].split("februari 2026")[1].split() == (
        "te weinig gegevens te weinig gegevens 22 50".split()
    )


def test_a_report_without_data_says_so_in_every_format(empty_report):
    assert not empty_report.has_data and empty_report.sections == []
    html, pdf, raw = io.BytesIO(), io.BytesIO(), io.StringIO()
    render_html(empty_report, html)
    render_pdf(empty_report, pdf)
    render_json(empty_report, raw)
    assert NO_DATA in html.getvalue().decode("utf-8")
    assert NO_DATA in pdf_text(pdf.getvalue())
    data = json.loads(raw.getvalue())
    assert data["has_data"] is False and data["message"] == NO_DATA


def test_english_report_uses_english_words_and_number_formats():
    report = build_report(noord_q1(), locale="en")
    buffer = io.StringIO()
    render_html(report, buffer)
    html = buffer.getvalue()
    assert "too few data" in html and "Loneliness" in html
    assert "quarter 1 of 2026" in html
    assert "30.0%" in html


def test_a_report_for_one_wijk_without_subareas_or_subsidy_still_renders():
    data = noord_q1(story_counts_by_subarea_theme=[], subsidy_total_eur=None, quote_candidates=[])
    report = build_report(data)
    assert report.section("subareas") is None and report.section("cost") is None
    buffer = io.BytesIO()
    render_pdf(report, buffer)
    assert buffer.getvalue().startswith(b"%PDF")


def test_a_pdf_rendered_in_a_child_process_is_the_same_pdf(noord_report, noord_pdf):
    """The web app renders PDFs in a child process (reports/isolated.py) so that fpdf2 and
    matplotlib do not stay in the web worker; the councillor gets the same document."""
    from reports.isolated import render_pdf_in_child

    assert render_pdf_in_child(noord_report) == noord_pdf


def test_the_subsidy_rests_on_the_initiatives_it_was_granted_to_not_on_their_reports():
    """A wijk with one initiative that sent in figures: the subsidy is the municipality's own
    spending and is shown with the initiatives it was granted to; the per-participant and
    per-activity figures need the hidden activity figures and are left out with one sentence,
    not shown as tiles that say "1 of 1 initiative sent in figures"."""
    data = noord_q1(initiatives_active=1, initiatives_reporting=1, initiatives_funded=1)
    report = build_report(data)
    cost = report.section("cost")
    figures = {figure.key: figure for figure in cost.key_figures}
    assert set(figures) == {"subsidy_total", "per_inhabitant_year"}
    assert figures["subsidy_total"].text == "€\xa045.000,00"
    assert figures["subsidy_total"].basis == "toegekend aan 1 initiatief"
    assert "cijfers door" not in figures["per_inhabitant_year"].basis
    assert cost.paragraphs[0] == (
        "Subsidie per deelnemer en per activiteit staat er niet bij: daarvoor zijn de "
        "activiteitencijfers nodig, en die rusten hier op te weinig gegevens."
    )
    html, as_json = io.StringIO(), io.BytesIO()
    render_html(report, html)
    render_json(report, as_json)
    assert "maar weinig initiatieven" in html.getvalue()
    assert "op de rapportages van minder dan 3 initiatieven" in html.getvalue()
    subsidy = json.loads(as_json.getvalue())["cost"]["subsidy_total"]
    assert subsidy["basis"]["initiatives_funded"] == 1


def test_with_enough_reports_the_subsidy_per_participant_is_shown_with_its_reports():
    report = build_report(noord_q1(initiatives_funded=9))
    figures = {figure.key: figure for figure in report.section("cost").key_figures}
    assert figures["per_participant"].basis == "8 van 10 initiatieven gaven cijfers door"
    assert figures["subsidy_total"].basis == "toegekend aan 9 initiatieven"
    assert report.section("cost").paragraphs[0].startswith("De subsidie per inwoner per jaar")
