"""Flat denials as cue evidence, the theme training sources (every writer's file, the outcome
corpus with its label corrections) and the fixed evaluation sets."""

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.corpus import (
    OUTCOME_ID_PREFIX,
    corpus_files,
    load_corpus,
    load_extra_evaluation_sets,
    load_outcome_theme_examples,
    read_examples,
)
from nlp.cue_features import theme_cues
from nlp.cue_lexicon import load_cue_lexicon
from nlp.evaluate import default_evaluation_sets
from nlp.text_analysis import DutchTextAnalyzer, packaged_lemma_table
from nlp.theme_estimator import CalibratedThemeClassifier, best_f1_threshold

KEYS = ["eenzaamheid", "armoede", "gezondheid"]


@pytest.fixture(scope="module")
def cues_of():
    table = packaged_lemma_table("nl")
    analyzer = DutchTextAnalyzer(table)
    lexicon = load_cue_lexicon(known_words=table.keys())

    def cues(text: str, theme: str):
        return theme_cues(lexicon, analyzer.analyse(text))[theme]

    return cues


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben helemaal niet eenzaam.",
        "Eenzaam ben ik nooit geweest, de buren zijn mijn familie.",
        "Ik kom graag, maar ik ben niet eenzaam hoor.",
    ],
)
def test_flat_denials_count_as_denied_not_as_affirmative(cues_of, text):
    cues = cues_of(text, "eenzaamheid")
    assert "lonely_words" in {match.category for match in cues.denied}
    assert all(match.category != "lonely_words" for match in cues.affirmative)


def test_relief_and_plain_loneliness_are_not_denials(cues_of):
    assert not cues_of("Ik voel me niet meer alleen sinds de soos.", "eenzaamheid").denied
    lonely = cues_of("Ik ben eenzaam sinds mijn man is overleden.", "eenzaamheid")
    assert not lonely.denied and lonely.affirmative


def test_denial_of_debts_is_denied(cues_of):
    denied = cues_of("Ik heb geen last van schulden.", "armoede").denied
    assert [match.category for match in denied] == ["debts"]


def test_living_alone_by_choice_has_its_own_cue_category(cues_of):
    cues = cues_of("Ik woon graag alleen en geniet van de rust.", "eenzaamheid")
    assert "content_alone" in {match.category for match in cues.affirmative}


def test_outcome_corpus_gives_theme_examples_without_denied_labels():
    corrections = json.loads(
        Path("nlp/data/corpus/outcome_theme_corrections.json").read_text(encoding="utf8")
    )["drop"]
    examples = {e["id"]: e for e in load_outcome_theme_examples(KEYS)}
    assert examples and all(key.startswith(OUTCOME_ID_PREFIX) for key in examples)
    for outcome_id, correction in corrections.items():
        example = examples[OUTCOME_ID_PREFIX + outcome_id]
        assert not set(correction["labels"]) & set(example["labels"]), outcome_id
    assert examples[OUTCOME_ID_PREFIX + "n-0001"]["labels"] == ["eenzaamheid"]  # kept


def test_default_corpus_reads_every_writer_file_and_the_outcome_corpus():
    sources = {example["source"] for example in load_corpus(known_themes=KEYS)}
    assert {path.stem for path in corpus_files()} | {"outcome"} == sources
    assert {"train_a", "train_b", "train_c"} <= sources


def test_given_corpus_paths_leave_the_outcome_corpus_out(tmp_path):
    path = tmp_path / "train_x.jsonl"
    line = {"id": "x-1", "text": "Ik mis mijn man.", "labels": ["eenzaamheid"], "lang": "mixed"}
    path.write_text(json.dumps(line | {"outcome": "geen", "note": "extra"}) + "\n")
    assert [e["id"] for e in load_corpus([path], known_themes=KEYS)] == ["x-1"]


def test_outcome_set_theme_labels_are_a_fixed_evaluation_set():
    sets = default_evaluation_sets(KEYS)
    assert {"test_split", "independent", "outcome_eval"} <= set(sets)
    outcome = load_extra_evaluation_sets(KEYS)["outcome_eval"]
    raw = read_examples("nlp/data/independent/outcome_eval.jsonl", KEYS, label_field="themes")
    assert [e["labels"] for e in outcome] == [e["labels"] for e in raw]


def test_threshold_tolerance_moves_a_flat_optimum_towards_one_half():
    probabilities = np.array([0.1, 0.2, 0.3, 0.35, 0.6, 0.7, 0.8, 0.9])
    truth = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=bool)
    assert best_f1_threshold(probabilities, truth, window=0) == 0.5
    truth[3] = True  # now 0.35 is a positive: the best thresholds are <= 0.35
    strict = best_f1_threshold(probabilities, truth, window=0)
    assert strict <= 0.35
    assert best_f1_threshold(probabilities, truth, window=0, tolerance=0.2) > strict


def test_validation_by_groups_needs_each_class_in_two_groups():
    rng = np.random.default_rng(0)
    X = rng.random((40, 5))
    Y = np.column_stack([X[:, 0] > 0.5, X[:, 1] > 0.5])
    groups = np.array(["a", "b", "c", "d"] * 10)
    model = CalibratedThemeClassifier(C=1.0).fit(X, Y, groups=groups)
    assert model.predict(X).shape == (40, 2)
    assert not hasattr(model, "_groups")  # not saved with the model
    one_writer = np.where(Y[:, 0], "a", "b")  # every positive from writer a
    assert CalibratedThemeClassifier(C=1.0).fit(X, Y, groups=one_writer).thresholds_.shape == (2,)
