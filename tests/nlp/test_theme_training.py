"""Training on a small fixture corpus: overfitting, determinism, save/load, model card."""

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.classify import ThemeClassifier, current_model_dir
from nlp.corpus import read_examples, split_corpus
from nlp.train import train_theme_model

FIXTURE_CORPUS = Path(__file__).parent / "theme_fixture_corpus.jsonl"
OVERFIT = {"C": 1000.0, "cue_scale": 1.0}  # little regularisation: a tiny corpus must be learned


@pytest.fixture(scope="module")
def fixture_model_dir(tmp_path_factory) -> Path:
    models_dir = tmp_path_factory.mktemp("models")
    return train_theme_model(
        corpus_paths=[FIXTURE_CORPUS],
        models_dir=models_dir,
        version="themes-test-1",
        hyperparameters=OVERFIT,
    )


@pytest.fixture(scope="module")
def training_examples() -> list[dict]:
    train, _ = split_corpus(read_examples(FIXTURE_CORPUS))
    return train


def test_training_writes_versioned_directory_and_current_pointer(fixture_model_dir: Path):
    assert fixture_model_dir.name == "themes-test-1"
    assert {p.name for p in fixture_model_dir.iterdir()} >= {
        "model.joblib",
        "model_card.json",
        "model_card.md",
    }
    assert current_model_dir(fixture_model_dir.parent) == fixture_model_dir
    assert ThemeClassifier.load(fixture_model_dir.parent).version == "themes-test-1"


def test_model_card_records_data_thresholds_and_baseline(fixture_model_dir: Path):
    card = json.loads((fixture_model_dir / "model_card.json").read_text())
    assert card["version"] == "themes-test-1"
    assert card["data"]["corpus_examples"] == 48
    assert set(card["thresholds"]) == {"eenzaamheid", "armoede", "gezondheid"}
    test_results = card["evaluation"]["test_split"]
    assert "macro_f1" in test_results["model"] and "macro_f1" in test_results["keyword_baseline"]
    assert "Keyword baseline" in (fixture_model_dir / "model_card.md").read_text().replace(
        "keyword baseline", "Keyword baseline"
    )


def test_model_overfits_its_training_examples(fixture_model_dir: Path, training_examples):
    classifier = ThemeClassifier.load(fixture_model_dir)
    predicted = classifier.predict_labels([e["text"] for e in training_examples])
    correct = sum(
        set(p) == set(e["labels"]) for p, e in zip(predicted, training_examples, strict=True)
    )
    assert correct == len(training_examples)


def test_predictions_survive_save_and_load(fixture_model_dir: Path, training_examples):
    texts = [e["text"] for e in training_examples]
    loaded = ThemeClassifier.load(fixture_model_dir)
    in_memory = ThemeClassifier(loaded.bundle)
    reloaded = ThemeClassifier.load(fixture_model_dir / "model.joblib")
    assert loaded.version == reloaded.version == "themes-test-1"
    np.testing.assert_allclose(in_memory.probabilities(texts)[0], reloaded.probabilities(texts)[0])


def test_training_is_deterministic(fixture_model_dir: Path, tmp_path: Path, training_examples):
    again = train_theme_model(
        corpus_paths=[FIXTURE_CORPUS],
        models_dir=tmp_path,
        version="themes-test-2",
        hyperparameters=OVERFIT,
    )
    texts = [e["text"] for e in training_examples] + ["Een nieuwe tekst over de buurt."]
    first = ThemeClassifier.load(fixture_model_dir).probabilities(texts)[0]
    second = ThemeClassifier.load(again).probabilities(texts)[0]
    np.testing.assert_array_equal(first, second)


def test_extra_examples_are_learned(tmp_path: Path):
    extra = [{"text": "De parkeerplaatsen zijn altijd vol bij de moskee.", "labels": []}] * 2 + [
        {"text": "Ik heb reuma in mijn vingers en kan niet meer breien.", "labels": ["gezondheid"]}
    ] * 3
    model_dir = train_theme_model(
        extra_examples=extra, corpus_paths=[FIXTURE_CORPUS], models_dir=tmp_path, version="x"
    )
    card = json.loads((model_dir / "model_card.json").read_text())
    assert card["data"]["extra_examples"] == 5
    classifier = ThemeClassifier.load(model_dir)
    assert classifier.predict_labels([extra[-1]["text"]]) == [["gezondheid"]]


def test_feature_blocks_fold_into_one_calibrated_linear_model(training_examples):
    from nlp.classify import BUNDLE_FORMAT
    from nlp.train import fit_theme_pipeline

    keys = ["eenzaamheid", "armoede", "gezondheid"]
    pipeline, _ = fit_theme_pipeline(
        training_examples, keys, {"blocks": "ngrams+cues", "cue_scale": 1.0, "cv_repeats": 1}
    )
    estimator = pipeline.named_steps["classify"]
    assert set(estimator.feature_blocks) == {"ngrams", "cues"}
    assert all(len(weights) == 2 for weights in estimator.stacking_weights_.values())
    classifier = ThemeClassifier(
        {"format": BUNDLE_FORMAT, "version": "v", "theme_keys": keys, "pipeline": pipeline}
    )
    probabilities, _ = classifier.probabilities([e["text"] for e in training_examples])
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_pruned_lemma_table_changes_no_prediction():
    from nlp.text_analysis import packaged_lemma_table

    pruned = ThemeClassifier.load()
    full = ThemeClassifier.load()
    full.analyzer.lemma_table = packaged_lemma_table("nl")
    texts = [e["text"] for e in read_examples(FIXTURE_CORPUS)] + [
        "De kinderen liepen gisteren samen naar de gebouwen met de oude fietsen.",
        "Ik heb de rekeningen betaald en de dokters bezocht, maar de huizen zijn koud.",
    ]
    np.testing.assert_array_equal(pruned.probabilities(texts)[0], full.probabilities(texts)[0])


def test_model_saved_by_another_scikit_learn_release_still_loads(tmp_path, monkeypatch, caplog):
    import joblib
    import sklearn.base

    bundle = ThemeClassifier.load().bundle
    monkeypatch.setattr(sklearn.base, "__version__", "1.4.0")
    joblib.dump(bundle, tmp_path / "model.joblib")
    monkeypatch.undo()
    classifier = ThemeClassifier.load(tmp_path)
    assert classifier.predict(["Niemand belt me ooit."])[0].labels == ["eenzaamheid"]
    assert "1.4.0" in caplog.text


def test_the_model_card_counts_the_writers_it_was_trained_on():
    from nlp.model_card import _corpus_limitation

    sentence = _corpus_limitation({"train_a": 650, "train_q": 400, "outcome": 765})
    assert "by 2 writers (a, q)" in sentence
    assert "outcome corpus" in sentence
    assert "outcome corpus" not in _corpus_limitation({"train_a": 650})
