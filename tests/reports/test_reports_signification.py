"""Residents' own reading in reports: shares of "better", the triad, suppression, agreement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest

from reports import build_report, render_html, render_json
from reports.signification import (
    Corner,
    SignificationInput,
    SignificationRow,
    compute_signification,
    model_resident_agreement,
    wilson_interval,
)
from reports.signification_render import triad_svg
from reports.suppression import SuppressionRules

from .factories import noord_q1

RULES = SuppressionRules(min_stories=5)
CORNERS = (
    Corner("contact", {"nl": "Contact met anderen", "en": "Contact with others"}, "eenzaamheid"),
    Corner("geld", {"nl": "Geld en spullen", "en": "Money and things"}, "armoede"),
    Corner("gezondheid", {"nl": "Gezondheid", "en": "Health"}, "gezondheid"),
)
CONTACT, MONEY, HEALTH = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)


def rows() -> list[SignificationRow]:
    """12 residents in Vogelbuurt, 3 in Bloembuurt (too few to show on their own)."""
    loneliness = [
        SignificationRow(("eenzaamheid",), ("eenzaamheid",), "Vogelbuurt", answer, CONTACT)
        for answer in ["beter"] * 6 + ["hetzelfde", "slechter", "weet_niet"]
    ]
    poverty = [
        SignificationRow(("armoede",), ("armoede",), "Vogelbuurt", "beter", MONEY),
        SignificationRow(("armoede",), ("armoede",), "Vogelbuurt", "slechter", (0.2, 0.6, 0.2)),
        SignificationRow(("armoede",), ("eenzaamheid",), "Vogelbuurt", None, (0.1, 0.8, 0.1)),
    ]
    health = [
        SignificationRow(("gezondheid",), ("gezondheid",), "Bloembuurt", "beter", HEALTH),
        SignificationRow(("gezondheid",), ("gezondheid",), "Bloembuurt", "slechter", HEALTH),
        SignificationRow(("gezondheid",), ("eenzaamheid",), "Bloembuurt", "beter", HEALTH),
    ]
    return loneliness + poverty + health


def signification_input(**changes) -> SignificationInput:
    return dataclasses.replace(SignificationInput("verhaal", "1", CORNERS, rows()), **changes)


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(6, 8)
    assert low == pytest.approx(0.4093, abs=1e-4) and high == pytest.approx(0.9285, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) is None


def test_share_better_per_theme_with_basis_interval_and_suppression():
    figures = compute_signification(signification_input(), RULES, ["eenzaamheid", "armoede"])

    by_theme = {share.key: share for share in figures.by_theme}
    loneliness = by_theme["eenzaamheid"]
    assert loneliness.answered == 8  # "weet ik niet" is left out of the basis
    assert loneliness.dont_know == 1
    assert loneliness.better.value == pytest.approx(6 / 8)
    assert loneliness.interval == pytest.approx(wilson_interval(6, 8))
    for small in ("armoede", "gezondheid"):  # 2 and 3 residents answered
        assert by_theme[small].better.suppressed and by_theme[small].better.value is None
        assert by_theme[small].answered is None and by_theme[small].interval is None
    assert figures.overall.answered == 13
    assert figures.overall.better.value == pytest.approx(9 / 13)


def test_a_small_subarea_is_hidden_with_a_second_one_so_it_cannot_be_subtracted():
    figures = compute_signification(signification_input(), RULES)

    shown = {share.key: share.answered for share in figures.by_subarea}
    assert shown == {"Bloembuurt": None, "Vogelbuurt": None}  # 3 and 10 residents; 13 in all


def test_triad_figures_and_chart_without_pyplot():
    figures = compute_signification(signification_input(), RULES)

    triad = figures.triad
    assert triad.n == 15 and not triad.suppressed
    assert triad.nearest["contact"].value == pytest.approx(9 / 15)
    assert sum(triad.mean.values()) == pytest.approx(1.0)
    svg = triad_svg(triad, [corner.name("nl") for corner in CORNERS]).decode()
    assert svg.startswith("<?xml") and "Geld en spullen" in svg
    import sys

    assert "matplotlib.pyplot" not in sys.modules


def test_triad_is_suppressed_below_the_threshold():
    few = signification_input(rows=rows()[:4])

    triad = compute_signification(few, RULES).triad

    assert triad.suppressed and triad.n is None and triad.points == [] and triad.mean is None
    assert all(metric.value is None for metric in triad.nearest.values())


def test_model_and_resident_themes_agree_or_are_listed_for_staff():
    agreement = model_resident_agreement(signification_input())

    assert agreement.theme_compared == 15
    assert agreement.theme_agreed == 13
    gaps = {(gap.model, gap.resident) for gap in agreement.disagreements}
    assert gaps == {("eenzaamheid", "geld"), ("eenzaamheid", "gezondheid")}
    loneliness = next(t for t in agreement.themes if t.theme == "eenzaamheid")
    assert loneliness.compared == 15 and loneliness.agreed == 13
    assert -1 <= loneliness.kappa <= 1
    assert agreement.outcome_available is False and agreement.outcome_compared == 0


def test_model_outcome_is_compared_with_the_residents_answer_when_present():
    outcomes = ["beter", "beter", "geen", "slechter", "gemengd", None]
    answers = ["beter", "slechter", "hetzelfde", "beter", "beter", "beter"]
    data = SignificationInput(
        "verhaal",
        "1",
        CORNERS,
        [
            SignificationRow(before_after=answer, model_outcome=outcome, story_id=index)
            for index, (outcome, answer) in enumerate(zip(outcomes, answers, strict=True))
        ],
    )

    agreement = model_resident_agreement(data)

    assert agreement.outcome_available
    assert agreement.outcome_compared == 4  # "gemengd" and unknown outcomes are not compared
    assert agreement.outcome_agreed == 2
    assert agreement.contradictions == 2  # beter/slechter and slechter/beter
    outcome_gaps = [(g.story_id, g.model, g.resident) for g in agreement.disagreements]
    assert outcome_gaps == [(1, "beter", "slechter"), (3, "slechter", "beter")]


def test_weights_that_do_not_sum_to_one_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        SignificationRow(weights=(0.5, 0.5, 0.5))


@pytest.fixture(scope="module")
def signification_report():
    data = dataclasses.replace(noord_q1(), signification=signification_input())
    return build_report(data, "nl", generated_on=dt.date(2026, 4, 2))


def test_report_page_has_the_section_chart_text_alternative_and_table(signification_report):
    buffer = io.StringIO()
    render_html(signification_report, buffer)
    html = buffer.getvalue()

    assert 'id="report-signification"' in html
    assert html.index('id="report-signification"') < html.index('id="report-method"')
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="Driehoek met 15 verhalen' in html
    assert "Bewoners die zeggen dat het beter gaat" in html
    assert "te weinig gegevens" in html  # the small themes


def test_json_report_carries_the_figures_without_story_ids(signification_report):
    buffer = io.BytesIO()
    render_json(signification_report, buffer)
    data = json.loads(buffer.getvalue())["signification"]

    assert data["definition"] == {"id": "verhaal", "version": "1"}
    theme = next(item for item in data["better_by_theme"] if item["key"] == "eenzaamheid")
    assert theme["answered"] == 8 and theme["better"]["value"] == 0.75
    assert theme["interval_95"][0] == pytest.approx(0.4093, abs=1e-4)
    small = next(item for item in data["better_by_theme"] if item["key"] == "armoede")
    assert small["better"] == {
        "value": None,
        "unit": "share",
        "suppressed": True,
        "basis": small["better"]["basis"],
    }
    assert small["answered"] is None
    assert data["triad"]["stories"] == 15
    assert "story_id" not in json.dumps(data)


def test_pdf_report_has_the_section_text_alternative_and_tables(signification_report):
    from pypdf import PdfReader

    from reports import render_pdf

    buffer = io.BytesIO()
    render_pdf(signification_report, buffer)
    text = " ".join(page.extract_text() for page in PdfReader(buffer).pages)
    words = " ".join(text.split())

    assert "Wat bewoners zelf zeggen over hun verhaal" in words
    assert "Driehoek met 15 verhalen" in words
    assert "Waar bewoners hun verhaal neerzetten" in words
