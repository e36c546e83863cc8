"""Comparisons with the previous period compare like with like and say what a number is."""

from __future__ import annotations

import dataclasses

from reports import build_report
from reports.data import Period, ReportQuery, ThemeCount

from .conftest import GENERATED_ON
from .factories import noord_q1


def test_a_previous_period_with_fewer_months_of_data_gets_no_change_or_percentage():
    # Data were collected from November 2025: 2025-Q4 holds two months, 2026-Q1 three.
    report = build_report(noord_q1(data_since="2025-11"), "nl", generated_on=GENERATED_ON)
    items = [item.text for item in report.section("changes").summary_items]
    assert len(items) == 1
    assert "2 maanden" in items[0] and "3 maanden" in items[0]
    assert "%" not in items[0]
    themes = report.section("themes").tables[0]
    change = themes.header.index("Verschil")
    assert {row[change].text for row in themes.rows} == {"–"}
    assert any("2 maanden" in note for note in themes.notes)
    activity = next(t for t in report.section("activity").tables if "vorige" in t.caption)
    assert {row[-1].text for row in activity.rows} == {"–"}


def test_periods_with_equal_months_of_data_are_compared():
    report = build_report(noord_q1(data_since="2025-10"), "nl", generated_on=GENERATED_ON)
    texts = " ".join(item.text for item in report.section("changes").summary_items)
    assert "%" in texts and "maanden" not in texts


def test_a_rising_number_beside_a_falling_share_says_which_is_which():
    # Loneliness: 40 of 120 stories (33.3%) before, 45 of 150 (30.0%) now.
    data = noord_q1(
        data_since="2025-01",
        previous_counts_by_theme=[ThemeCount("eenzaamheid", 40)],
        theme_names={"eenzaamheid": {"nl": "Eenzaamheid"}},
    )
    report = build_report(data, "nl", generated_on=GENERATED_ON)
    text = next(
        item.text for item in report.section("changes").summary_items if "Eenzaamheid" in item.text
    )
    assert "aantal verhalen over Eenzaamheid steeg van 40" in text
    assert "aandeel in alle verhalen daalde van 33,3% naar 30,0%" in text


def test_coverage_counts_only_months_from_the_first_month_with_data():
    from reports.comparisons import period_coverage

    data = noord_q1(data_since="2025-12")
    coverage = period_coverage(data)
    assert coverage.previous == ["2025-12"] and len(coverage.current) == 3
    assert not coverage.comparable
    query = ReportQuery(Period.parse("2026-03"), data.query.area)
    later = dataclasses.replace(
        data,
        query=query,
        previous_period=Period.parse("2026-02"),
        story_counts_by_month_theme=[],
        story_totals_by_month=[],
        activity_by_month=[],
    )
    assert period_coverage(later).comparable


def _side_by_side(report):
    section = report.section("subareas")
    return next(table for table in section.tables if "naast elkaar" in table.caption)


def _all_text(report) -> str:
    parts = []
    for section in report.sections:
        parts += section.paragraphs
        for table in section.tables:
            parts += table.notes
            parts += [row[0].text for row in table.rows]
    return "\n".join(parts)


def test_no_unknown_row_is_mentioned_when_every_story_names_a_wijk():
    report = build_report(noord_q1(), "nl", generated_on=GENERATED_ON)
    labels = [row[0].text for row in _side_by_side(report).rows]
    assert "wijk onbekend" not in labels
    assert "wijk onbekend" not in _all_text(report)


def test_stories_without_a_wijk_get_their_row_and_the_text_names_it():
    data = noord_q1(story_totals_by_subarea={"Banne": 52, "Nieuwendam": 81, "?": 7})
    report = build_report(data, "nl", generated_on=GENERATED_ON)
    rows = {row[0].text: row[1].text for row in _side_by_side(report).rows}
    assert rows["wijk onbekend"] == "7"
    assert any("wijk onbekend" in note for note in _side_by_side(report).notes)
    assert any("wijk onbekend" in p for p in report.section("method").paragraphs)


def test_model_quality_table_speaks_plain_dutch_and_explains_its_columns():
    quality = {"eenzaamheid": {"precision": 0.9, "recall": 0.8, "support": 84}}
    report = build_report(
        noord_q1(model_quality=quality, model_version="themes-1"), "nl", generated_on=GENERATED_ON
    )
    table = next(t for t in report.section("themes").tables if "betrouwbaar" in t.caption)
    assert table.header[1:3] == ["Terecht gekozen", "Gevonden"]
    words = " ".join(table.header + table.notes).lower()
    assert "recall" not in words and "precisie" not in words
    assert any("Terecht gekozen" in note and "Gevonden" in note for note in table.notes)
    assert [cell.text for cell in table.rows[0][1:]] == ["90%", "80%", "84"]


def test_pdf_says_on_paper_where_the_quotes_behind_a_change_are(noord_report, noord_pdf):
    import io

    from pypdf import PdfReader

    items = noord_report.section("changes").summary_items
    assert any(item.anchor == "quotes-eenzaamheid" for item in items)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(noord_pdf)).pages)
    assert "Lees de verhalen" not in text
    assert 'Citaten: zie "In de woorden van bewoners", Eenzaamheid.' in text
