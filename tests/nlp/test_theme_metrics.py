"""Evaluation metrics on a small case computed by hand, and the keyword baseline."""

import json

import pytest

from nlp.evaluate import evaluate, evaluate_model, theme_metrics
from nlp.jsonl import JsonlLineError
from nlp.keyword_baseline import KeywordBaseline

TRUTH = [["a"], ["a", "b"], [], ["b"], ["a"]]
PREDICTED = [["a"], ["a"], ["b"], ["b"], []]


def test_per_theme_precision_recall_f1_by_hand():
    metrics = theme_metrics(TRUTH, PREDICTED, ["a", "b"])
    # a: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8;  b: tp 1, fp 1, fn 1 -> P R F1 0.5
    assert metrics["per_theme"]["a"] == {
        "precision": 1.0,
        "recall": 0.6667,
        "f1": 0.8,
        "support": 3,
    }
    assert metrics["per_theme"]["b"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}


def test_macro_and_micro_f1_by_hand():
    metrics = theme_metrics(TRUTH, PREDICTED, ["a", "b"])
    assert metrics["macro_f1"] == pytest.approx((0.8 + 0.5) / 2)
    # pooled: tp 3, fp 1, fn 2 -> P 0.75, R 0.6, F1 2*0.45/1.35
    assert metrics["micro_f1"] == pytest.approx(0.6667, abs=1e-4)
    assert metrics["exact_match"] == 0.4
    assert metrics["n_examples"] == 5


def test_theme_never_predicted_nor_present_scores_zero_not_error():
    metrics = theme_metrics([[]], [[]], ["a"])
    assert metrics["per_theme"]["a"]["f1"] == 0.0


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        theme_metrics([["a"]], [], ["a"])


def test_keyword_baseline_finds_theme_words_only():
    baseline = KeywordBaseline()
    labels = baseline.predict_labels(
        ["Ik ben zo eenzaam.", "Aan het eind van de maand is er niets over.", "Ik heb geen geld."]
    )
    assert labels == [["eenzaamheid"], [], ["armoede"]]


def test_evaluate_model_on_a_file_writes_json(tmp_path):
    data = tmp_path / "small.jsonl"
    rows = [
        {"id": "1", "text": "Ik ben eenzaam", "labels": ["eenzaamheid"]},
        {"id": "2", "text": "De dokter zegt rust", "labels": ["gezondheid"]},
        {"id": "3", "text": "Straatfeest", "labels": []},
    ]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    output = tmp_path / "metrics.json"
    results = evaluate_model(KeywordBaseline(), data=data, output=output)
    assert json.loads(output.read_text()) == results
    assert results["small.jsonl"]["per_theme"]["gezondheid"]["recall"] == 1.0
    assert evaluate(KeywordBaseline(), rows)["macro_f1"] == results["small.jsonl"]["macro_f1"]


def test_evaluate_reads_the_themes_field_of_the_outcome_sets_format(tmp_path):
    """A set labelled in the outcome sets' format ("themes") is scored on those themes, not
    read as "no theme anywhere"."""
    data = tmp_path / "outcome_style.jsonl"
    rows = [
        {"id": "1", "text": "Ik ben eenzaam", "themes": ["eenzaamheid"], "outcome": "geen"},
        {"id": "2", "text": "Ik heb geen geld", "themes": ["armoede"], "outcome": "slechter"},
    ]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    results = evaluate_model(KeywordBaseline(), data=data)["outcome_style.jsonl"]
    assert results["per_theme"]["eenzaamheid"]["support"] == 1
    assert results["per_theme"]["armoede"]["recall"] == 1.0


def test_evaluate_refuses_a_file_without_labels_and_names_the_line(tmp_path):
    data = tmp_path / "unlabelled.jsonl"
    data.write_text(
        json.dumps({"text": "Ik ben eenzaam", "labels": ["eenzaamheid"]})
        + "\n"
        + json.dumps({"text": "Ik heb geen geld"})
        + "\n"
    )
    with pytest.raises(JsonlLineError) as raised:
        evaluate_model(KeywordBaseline(), data=data)
    assert raised.value.line_no == 2 and '"labels"' in raised.value.message
