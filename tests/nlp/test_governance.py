"""Governed theme models: training writes a candidate; promotion only when not worse (or forced,
recorded); rollback restores the model in force before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.corpus import read_examples
from nlp.governance import (
    PromotionRefused,
    compare_models,
    model_in_force,
    promote,
    promotion_log,
    rollback,
    theme_model_kind,
    version_in_force,
)
from nlp.train import train_theme_model

FIXTURE = Path(__file__).parent / "theme_fixture_corpus.jsonl"


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("theme-models")
    for version, settings in (("good", {"C": 1000.0, "cue_scale": 1.0}), ("weak", {"C": 1e-4})):
        train_theme_model(
            corpus_paths=[FIXTURE],
            models_dir=directory,
            version=version,
            hyperparameters=settings,
            make_current=False,
        )
    return directory


def test_training_a_candidate_leaves_the_model_in_force_alone(models_dir):
    assert version_in_force(models_dir) is None


def test_only_a_model_that_is_not_worse_is_promoted_and_rollback_restores(models_dir):
    kind = theme_model_kind(models_dir)
    sets = {"fixture": read_examples(FIXTURE)}
    promote(kind, "good", sets=sets)
    assert model_in_force(kind).version == "good"
    comparison = compare_models(kind, model_in_force(kind), kind.load(models_dir / "weak"), sets)
    assert comparison["sets"]["fixture"]["candidate"] < comparison["sets"]["fixture"]["current"]
    with pytest.raises(PromotionRefused):
        promote(kind, "weak", sets=sets)
    assert version_in_force(models_dir) == "good"
    promote(kind, "weak", force=True, sets=sets, actor="lead")
    card = json.loads((models_dir / "weak" / "model_card.json").read_text())
    assert card["promotions"][-1]["forced"] and card["promotions"][-1]["actor"] == "lead"
    assert rollback(kind) == "good" and version_in_force(models_dir) == "good"
    assert [e["action"] for e in promotion_log(models_dir)] == ["promote", "promote", "rollback"]
    with pytest.raises(PromotionRefused):
        rollback(kind)  # "good" was the first model: nothing before it


def test_training_again_never_writes_over_a_model(tmp_path):
    """The same data and settings give the same generated version; the second candidate must
    not replace the first (it may be the model in force, trained by other code)."""
    first = train_theme_model(corpus_paths=[FIXTURE], models_dir=tmp_path, make_current=False)
    before = (first / "model.joblib").read_bytes()
    second = train_theme_model(corpus_paths=[FIXTURE], models_dir=tmp_path, make_current=False)
    assert second.name == f"{first.name}-2"
    assert (first / "model.joblib").read_bytes() == before
    with pytest.raises(FileExistsError):
        train_theme_model(
            corpus_paths=[FIXTURE], models_dir=tmp_path, version=first.name, make_current=False
        )
