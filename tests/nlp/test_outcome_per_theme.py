"""Per-theme outcomes: which sentences are about which theme, and the outcome corpus sources."""

from __future__ import annotations

import json

import pytest

from nlp.classify import ThemeClassifier
from nlp.outcome import OutcomeModel, read_outcomes, theme_sentences
from nlp.outcome.corpus import read_outcome_examples

FRIENDS = "Sinds ik naar de inloop ga heb ik eindelijk vriendinnen in de buurt."
DEBTS = "Maar de schulden worden steeds hoger en de deurwaarder staat weer op de stoep."


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.load()


def test_each_theme_gets_the_sentences_about_it(classifier: ThemeClassifier):
    [by_theme] = theme_sentences(classifier, [f"{FRIENDS} {DEBTS}"], [["eenzaamheid", "armoede"]])
    assert by_theme == {"eenzaamheid": [FRIENDS], "armoede": [DEBTS]}


def test_a_theme_no_sentence_points_to_is_read_from_the_whole_story(classifier):
    # Not DEBTS: debts that keep rising lean a little towards health (stress) in the corpus.
    money = "Maar het geld is elke maand al op de twintigste op."
    [by_theme] = theme_sentences(classifier, [f"{FRIENDS} {money}"], [["gezondheid"]])
    assert by_theme == {"gezondheid": [FRIENDS, money]}


def test_a_sentence_is_split_before_a_contrast_clause(classifier: ThemeClassifier):
    text = "Ik heb nu eindelijk vrienden in de buurt, maar de schulden worden steeds hoger."
    [by_theme] = theme_sentences(classifier, [text], [["eenzaamheid", "armoede"]])
    assert by_theme == {
        "eenzaamheid": ["Ik heb nu eindelijk vrienden in de buurt,"],
        "armoede": ["maar de schulden worden steeds hoger."],
    }


def test_a_one_clause_story_is_not_split(classifier: ThemeClassifier):
    text = "Ik heb nu vrienden en de schulden zijn weg."
    assert theme_sentences(classifier, [text], [["eenzaamheid", "armoede"]]) == [
        {"eenzaamheid": [], "armoede": []}
    ]


def test_a_mixed_story_gets_one_direction_per_theme(classifier: ThemeClassifier):
    results = classifier.predict([f"{FRIENDS} {DEBTS}"])
    results[0].labels = ["eenzaamheid", "armoede"]
    [outcome] = read_outcomes(OutcomeModel.load(), classifier, results)
    assert outcome.outcome == "gemengd"
    assert outcome.theme_outcomes == {"eenzaamheid": "beter", "armoede": "slechter"}


def test_outcomes_are_read_from_the_readable_part_only(classifier: ThemeClassifier):
    turkish = "Üç yıldır bu mahallede yaşıyorum ama hâlâ kimseyi tanımıyorum, çok yalnızım."
    debts = "De schulden worden steeds hoger en de deurwaarder staat weer op de stoep."
    results = classifier.predict([f"{turkish} {debts}", f"{turkish} {turkish}"])
    model = OutcomeModel.load()
    read, unread = read_outcomes(model, classifier, results)
    assert read.outcome == "slechter" and unread is None
    assert read.scores == model.predict([debts])[0].scores


def test_theme_corpus_lines_with_an_outcome_join_the_outcome_corpus(tmp_path):
    path = tmp_path / "train_x.jsonl"
    lines = [
        {"id": "x-1", "text": "Ik ben eenzaam.", "labels": ["eenzaamheid"]},
        {
            "id": "x-2",
            "text": FRIENDS,
            "labels": ["eenzaamheid"],
            "outcome": "beter",
            "theme_outcomes": {"eenzaamheid": "beter"},
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf8")
    [example] = read_outcome_examples(path, outcome_labelled_only=True)
    assert (example["id"], example["outcome"], example["themes"]) == (
        "x-2",
        "beter",
        ["eenzaamheid"],
    )
    assert example["theme_outcomes"] == {"eenzaamheid": "beter"}
    with pytest.raises(ValueError):
        read_outcome_examples(path)  # as an outcome file, a line without outcome is an error


def test_a_mixed_story_about_one_theme_is_mixed_for_it(classifier: ThemeClassifier):
    text = "Mijn schulden zijn eindelijk afbetaald. Maar nu is mijn uitkering gekort."
    results = classifier.predict([text])
    results[0].labels = ["armoede"]
    [outcome] = read_outcomes(OutcomeModel.load(), classifier, results)
    assert outcome.theme_outcomes == {"armoede": outcome.outcome}
    model = OutcomeModel.load()
    assert model.theme_outcomes("gemengd", {"armoede": [text]}) == {"armoede": "gemengd"}
