"""What changed for residents in reports: shares with basis and Wilson interval, suppression."""

from __future__ import annotations

import io
import json

import pytest

from reports import build_report, render_html, render_json
from reports.outcomes import OutcomeCount, wilson_interval

from .factories import noord_q1

COUNTS = [
    OutcomeCount(None, "beter", 30),
    OutcomeCount(None, "slechter", 6),
    OutcomeCount(None, "gemengd", 4),
    OutcomeCount(None, "geen", 10),
    OutcomeCount("eenzaamheid", "beter", 11),
    OutcomeCount("eenzaamheid", "slechter", 3),
    OutcomeCount("eenzaamheid", "geen", 4),
    OutcomeCount("armoede", "slechter", 2),
    OutcomeCount("armoede", "beter", 1),
]


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(11, 18)
    assert low == pytest.approx(0.386, abs=0.001) and high == pytest.approx(0.797, abs=0.001)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_report_says_per_theme_how_many_report_an_improvement():
    report = build_report(noord_q1(outcome_counts=COUNTS), "nl")
    text = " ".join(report.section("outcomes").paragraphs)
    assert "Van de verhalen over eenzaamheid meldt 61% een verbetering" in text
    assert "basis: 18 verhalen" in text and "39% tot 80%" in text


def test_a_theme_with_too_few_stories_shows_no_shares():
    report = build_report(noord_q1(outcome_counts=COUNTS), "nl")
    poverty = next(f for f in report.outcomes if f.theme == "armoede")
    assert poverty.better.value is None and poverty.better_low is None
    assert "33%" not in poverty.sentence and "Te weinig verhalen" in poverty.sentence
    data = json.loads(_json(report))
    row = next(r for r in data["outcomes"] if r["theme"] == "armoede")
    assert row["suppressed"] and row["stories"] is None and row["share_better"] is None


def test_json_and_html_carry_the_outcomes():
    report = build_report(noord_q1(outcome_counts=COUNTS), "en")
    data = json.loads(_json(report))
    overall = data["outcomes"][0]
    assert overall["theme"] is None and overall["share_better"] == pytest.approx(0.6)
    assert overall["better_interval_95"][0] < 0.6 < overall["better_interval_95"][1]
    html = io.StringIO()
    render_html(report, html)
    assert "Of the stories about loneliness" in html.getvalue()


def test_a_report_without_outcome_readings_has_no_outcome_section():
    report = build_report(noord_q1(), "nl")
    assert report.section("outcomes") is None and report.outcomes == []


def _json(report) -> str:
    buffer = io.StringIO()
    render_json(report, buffer)
    return buffer.getvalue()
