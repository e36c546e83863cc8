"""Theme evidence shown to staff: meaningful words and phrases, never lone function words or
numbers (a diabetes story once showed "gratis", "niks" and "41" as evidence for poverty)."""

from __future__ import annotations

import pytest

from nlp.classify import ThemeClassifier
from nlp.language import stop_words

DIABETES = (
    "Ik ben 41 en heb sinds vorig jaar diabetes. De praktijkondersteuner zegt dat ik niks "
    "zoet mag. Bij de kookgroep in het buurthuis, die is gratis, leer ik gezond koken."
)


@pytest.fixture(scope="module")
def classifier():
    return ThemeClassifier.load()


@pytest.mark.parametrize("theme", ["eenzaamheid", "armoede", "gezondheid"])
def test_evidence_has_no_lone_function_words_or_numbers(classifier, theme):
    function_words = stop_words(("nl", "en"))
    for item in classifier.explain(DIABETES, theme):
        if item["kind"] == "sentence":
            continue
        words = item["text"].lower().split()
        assert not any(word.isdigit() for word in words), item
        assert not (len(words) == 1 and words[0] in function_words), item


def test_health_evidence_still_points_at_the_illness(classifier):
    texts = {item["text"].lower() for item in classifier.explain(DIABETES, "gezondheid")}
    assert "diabetes" in texts


PHYSIO = (
    "Ik ga twee keer per week naar de fysiotherapeut voor mijn rug, al drie dagen heb ik veel "
    "pijn. Mijn moeder ligt al twee weken in het ziekenhuis en ik ga elke dag op bezoek."
)


def test_evidence_shows_no_counting_or_time_words_or_light_verbs(classifier):
    """They can weigh for the model (health stories count visits and days) but tell staff
    nothing: "twee", "week", "dagen", "per", "ga" were once marked as evidence of health."""
    shown = [
        item["text"].lower()
        for theme in classifier.theme_keys
        for item in classifier.explain(PHYSIO, theme)
        if item["kind"] in ("ngram", "cue")
    ]
    silly = {"twee", "keer", "per", "week", "weken", "dag", "dagen", "drie", "ga", "ligt"}
    assert not [text for text in shown if set(text.split()) <= silly]
    assert {"pijn", "fysiotherapeut", "ziekenhuis"} <= set(shown)


def test_a_cue_inside_a_longer_cue_of_the_same_kind_is_marked_once(classifier):
    """The bills cues "De huur" and "huur" are one cue: staff see it once, the longer span."""
    text = "De huur is te hoog en ik kan de energierekening niet betalen."
    cues = [item for item in classifier.explain(text, "armoede") if item["kind"] == "cue"]
    spans = [(item["start"], item["end"], item["detail"]) for item in cues]
    for start, end, detail in spans:
        inside = [
            other
            for other in spans
            if other != (start, end, detail)
            and other[2] == detail
            and other[0] <= start
            and end <= other[1]
        ]
        assert inside == [], (text[start:end], detail)
    assert any(text[start:end].lower().endswith("huur") for start, end, _ in spans)
