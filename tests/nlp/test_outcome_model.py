"""The outcome model: cue readings, overfitting a small corpus, save/load, evidence, metrics."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from nlp.jsonl import JsonlLineError
from nlp.outcome import OUTCOMES, OutcomeModel, outcome_metrics, train_outcome_model
from nlp.outcome.corpus import read_outcome_examples, split_outcome_corpus
from nlp.outcome.cues import (
    READING_VERSION,
    OutcomeCueFeatures,
    change_cues,
    load_outcome_lexicon,
    reading_version_of,
)
from nlp.outcome.model import current_outcome_model_dir, point_current_to
from nlp.text_analysis import DutchTextAnalyzer

FIXTURE = Path(__file__).parent / "outcome_fixture_corpus.jsonl"
OVERFIT = {"C": 100.0}


@pytest.fixture(scope="module")
def fixture_model_dir(tmp_path_factory) -> Path:
    _, test = split_outcome_corpus(read_outcome_examples(FIXTURE))
    return train_outcome_model(
        corpus_paths=[FIXTURE],
        models_dir=tmp_path_factory.mktemp("outcome-models"),
        version="outcome-test-1",
        hyperparameters=OVERFIT,
        evaluation_sets={"test_split": test},
    )


@pytest.fixture(scope="module")
def readings():
    lexicon = load_outcome_lexicon()
    analyzer = DutchTextAnalyzer({})

    def read(text: str) -> list[tuple[str, str]]:
        cues, _ = change_cues(lexicon, analyzer.analyse(text))
        return [(cue.text.lower(), cue.direction) for cue in cues if cue.direction]

    return read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik ben niet meer alleen.", ("niet meer", "beter")),
        ("Ik kan niet meer fietsen.", ("niet meer", "slechter")),
        ("Ik heb geen schulden meer.", ("geen schulden meer", "beter")),
        ("Niemand belt meer.", ("niemand belt meer", "slechter")),
        ("Ik durf weer naar buiten.", ("weer", "beter")),
        ("Nu zit ik weer alleen.", ("weer", "slechter")),
        ("Ik heb minder pijn.", ("minder", "beter")),
        ("Het is niet erger geworden.", ("erger", "beter")),
    ],
)
def test_change_cues_are_read_in_context(readings, text, expected):
    assert expected in readings(text)


def test_the_meer_of_niet_meer_is_no_cue_of_its_own(readings):
    assert readings("Ik ben niet meer alleen.") == [("niet meer", "beter")]
    assert readings("Niemand belt me meer.") == [("niemand belt me meer", "slechter")]
    assert readings("Ik heb meer pijn.") == [("meer", "slechter")]


def test_models_trained_with_the_first_cue_reading_keep_it():
    """A model reads cues as it was trained to; only a newly trained one reads them anew."""
    lexicon, analysed = (
        load_outcome_lexicon(),
        DutchTextAnalyzer({}).analyse("Ik ben niet meer alleen."),
    )
    first = [cue.reading for cue in change_cues(lexicon, analysed, version=1)[0]]
    assert first == ["no_longer_bad", "more_bad"]
    assert reading_version_of(object()) == 1  # a transformer saved before the version
    fitted = OutcomeCueFeatures(lexicon).fit([analysed])
    assert reading_version_of(fitted) == READING_VERSION == 2


def test_a_flat_denial_or_a_wish_has_no_direction(readings):
    assert readings("Ik ben helemaal niet eenzaam.") == []
    assert readings("Ik zou graag een breiclub willen beginnen.") == []


def test_training_writes_a_candidate_with_its_card_and_leaves_current_alone(fixture_model_dir):
    assert {p.name for p in fixture_model_dir.iterdir()} >= {
        "model.joblib",
        "model_card.json",
        "model_card.md",
    }
    assert not (fixture_model_dir.parent / "CURRENT").exists()
    card = json.loads((fixture_model_dir / "model_card.json").read_text())
    assert card["version"] == "outcome-test-1"
    assert set(card["evaluation"]["test_split"]["model"]["per_outcome"]) == set(OUTCOMES)
    assert card["data"]["training_examples_used"] == card["data"]["train_split"]
    assert "macro F1" in (fixture_model_dir / "model_card.md").read_text()


def test_model_overfits_its_training_examples_and_survives_save_and_load(fixture_model_dir):
    examples, _ = split_outcome_corpus(read_outcome_examples(FIXTURE))
    texts = [e["text"] for e in examples]
    model = OutcomeModel.load(fixture_model_dir)
    predicted = model.predict_outcomes(texts)
    correct = sum(p == e["outcome"] for p, e in zip(predicted, examples, strict=True))
    assert correct >= len(examples) - 2
    assert model.version == "outcome-test-1"
    reloaded = OutcomeModel.load(fixture_model_dir / "model.joblib")
    np.testing.assert_allclose(reloaded.probabilities(texts), model.probabilities(texts))


def test_scores_are_a_probability_per_outcome(fixture_model_dir):
    result = OutcomeModel.load(fixture_model_dir).predict(["Ik voel me niet meer alleen."])[0]
    assert set(result.scores) == set(OUTCOMES)
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert result.outcome == max(result.scores, key=result.scores.get)


def test_each_theme_gets_the_outcome_of_its_own_sentences(fixture_model_dir):
    model = OutcomeModel.load(fixture_model_dir)
    text = "Ik voel me niet meer alleen. Maar de schulden worden steeds hoger."
    sentences = {"eenzaamheid": ["Ik voel me niet meer alleen."], "armoede": []}
    result = model.predict([text], [sentences])[0]
    assert result.theme_outcomes["eenzaamheid"] == "beter"
    assert result.theme_outcomes["armoede"] == result.outcome  # no sentence: the story's


def test_evidence_shows_cues_and_never_function_words_or_numbers(fixture_model_dir):
    model = OutcomeModel.load(fixture_model_dir)
    text = "Sinds 2023 ga ik naar de koffieochtend en ik voel me niet meer alleen."
    evidence = model.explain(text)
    assert any(e["kind"] == "cue" and e["detail"].endswith("beter") for e in evidence)
    words = [e["text"].lower() for e in evidence if e["kind"] == "ngram"]
    assert not any(word.isdigit() or word in {"de", "en", "ik", "me", "naar"} for word in words)
    for item in evidence:
        assert text[item["start"] : item["end"]] == item["text"]


def test_pointing_current_rewrites_the_pointer(fixture_model_dir):
    models_dir = fixture_model_dir.parent
    point_current_to(models_dir, "outcome-test-1")
    assert current_outcome_model_dir(models_dir) == fixture_model_dir
    assert OutcomeModel.load(models_dir).version == "outcome-test-1"
    with pytest.raises(FileNotFoundError):
        point_current_to(models_dir, "no-such-model")


def test_the_shipped_model_loads_from_the_repository():
    model = OutcomeModel.load()
    assert model.predict_outcomes(["Sinds de inloop voel ik me niet meer alleen."]) == ["beter"]


def test_metrics_give_macro_f1_over_the_four_outcomes():
    metrics = outcome_metrics(["beter", "slechter", "gemengd", "geen"], ["beter"] * 4)
    assert metrics["per_outcome"]["beter"]["f1"] == pytest.approx(0.4)
    assert metrics["macro_f1"] == pytest.approx(0.1)
    assert metrics["confusion"]["geen"]["beter"] == 1


def test_a_bad_corpus_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "outcome": "beter"}\n{"text": "x", "outcome": "prima"}\n')
    with pytest.raises(JsonlLineError) as error:
        read_outcome_examples(path)
    assert error.value.line_no == 2 and "bad.jsonl" in str(error.value)


def test_classify_stream_adds_outcome_and_keeps_the_theme_fields(fixture_model_dir):
    from nlp.classify import ThemeClassifier, classify_jsonl

    lines = io.StringIO(
        '{"id": 1, "text": "Sinds de inloop voel ik me niet meer alleen."}\n'
        '{"id": 2, "text": "Merhaba, bugün çok güzel bir gün, teşekkür ederim arkadaşlar."}\n'
    )
    output = io.StringIO()
    classify_jsonl(lines, output, ThemeClassifier.load(), outcome_model=OutcomeModel.load())
    first, second = (json.loads(line) for line in output.getvalue().splitlines())
    assert list(first) == ["id", "labels", "scores", "language", "outcome", "outcome_scores"]
    assert first["outcome"] == "beter" and set(first["outcome_scores"]) == set(OUTCOMES)
    assert second["language"] == "tr" and second["outcome"] in OUTCOMES


def test_a_worse_candidate_is_refused_unless_forced_and_rollback_restores(fixture_model_dir):
    from nlp.outcome.governance import PromotionRefused, promote, promotion_log, rollback

    models_dir = fixture_model_dir.parent
    weak_dir = train_outcome_model(
        corpus_paths=[FIXTURE],
        models_dir=models_dir,
        version="outcome-test-weak",
        hyperparameters={"C": 0.0001, "cue_weight": 0.0},
        evaluation_sets={},
    )
    sets = {"fixture": read_outcome_examples(FIXTURE)}
    promote("outcome-test-1", models_dir, sets=sets)
    with pytest.raises(PromotionRefused):
        promote("outcome-test-weak", models_dir, sets=sets)
    assert current_outcome_model_dir(models_dir).name == "outcome-test-1"
    comparison = promote("outcome-test-weak", models_dir, force=True, sets=sets, actor="tester")
    assert not comparison["not_worse"]
    assert current_outcome_model_dir(models_dir) == weak_dir
    card = json.loads((weak_dir / "model_card.json").read_text())
    assert card["promotions"][-1]["forced"] is True
    assert rollback(models_dir) == "outcome-test-1"
    assert [entry["action"] for entry in promotion_log(models_dir)][-2:] == ["promote", "rollback"]


def test_outcome_evidence_shows_no_counting_or_time_words_or_light_verbs():
    """The same rule as for the themes' evidence (nlp.explain.explains_something): the review
    screen once marked "ga" as a word pointing to a change."""
    model = OutcomeModel.load()
    text = (
        "Ik ga twee keer per week naar de fysiotherapeut voor mijn rug. Sinds ik naar de "
        "buurthuiskamer ga ben ik niet meer alleen, maar de huur is te hoog."
    )
    silly = {"ga", "twee", "keer", "per", "week"}
    for outcome in ("beter", "slechter", "gemengd", "geen"):
        words = [e["text"].lower() for e in model.explain(text, outcome) if e["kind"] == "ngram"]
        assert not [word for word in words if set(word.split()) <= silly], outcome
