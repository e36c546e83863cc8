"""A municipality adds its own theme in the definition file (description, cue words, examples):
the pipeline trains and evaluates it, and the three core themes stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.classify import ThemeClassifier
from nlp.themes import THEMES_PATH, DataFileError, load_themes, theme_examples
from nlp.train import train_theme_model

HERE = Path(__file__).parent
FIXTURE_CORPUS = HERE / "theme_fixture_corpus.jsonl"
PARTICIPATION = """
  - key: participatie
    name_nl: Participatie
    name_en: Participation
    definition: >-
      Meedoen en meebeslissen in de buurt: vrijwilligerswerk, bewonerscommissie, buurtbudget.
    cue_words: [vrijwilliger, vrijwilligerswerk, bewonerscommissie, buurtbudget, meebeslissen,
      inspreken, buurtraad, bewonerspanel, meedenken, petitie]
    keywords: [participatie, meedoen, vrijwilliger]
    examples: {examples}
"""


def themes_file(tmp_path: Path, examples: str = "participatie.jsonl") -> Path:
    (tmp_path / "participatie.jsonl").write_text(
        (HERE / "municipal_theme" / "participatie.jsonl").read_text(encoding="utf8")
    )
    path = tmp_path / "themes.yaml"
    extra = PARTICIPATION.format(examples=examples)
    path.write_text(THEMES_PATH.read_text(encoding="utf8") + extra, encoding="utf8")
    return path


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("municipal")
    return train_theme_model(
        corpus_paths=[FIXTURE_CORPUS],
        models_dir=directory / "models",
        version="themes-participatie",
        hyperparameters={"C": 1000.0, "cue_scale": 1.0},
        themes_path=themes_file(directory),
        make_current=False,
    )


def test_the_added_theme_is_loaded_with_its_cue_words_and_examples(tmp_path):
    themes = {theme.key: theme for theme in load_themes(themes_file(tmp_path))}
    assert "buurtbudget" in themes["participatie"].cue_words
    examples = theme_examples(themes["participatie"], list(themes))
    assert len(examples) == 16
    assert examples[0]["labels"] == ["participatie"] and examples[12]["labels"] == []


def test_the_pipeline_trains_and_evaluates_the_added_theme(model_dir):
    model = ThemeClassifier.load(model_dir)
    assert model.theme_keys[-1] == "participatie"
    result = model.predict(["Ik zit in de bewonerscommissie en beslis mee over het buurtbudget."])
    assert "participatie" in result[0].labels
    assert model.predict(["Mijn knie doet pijn sinds de val."])[0].labels == ["gezondheid"]
    card = json.loads((model_dir / "model_card.json").read_text())
    assert card["data"]["theme_examples"] == {"participatie": 16}
    assert "participatie" in card["evaluation"]["test_split"]["model"]["per_theme"]


def test_a_missing_examples_file_is_named(tmp_path):
    with pytest.raises(DataFileError, match="no-such-file.jsonl"):
        load_themes(themes_file(tmp_path, examples="no-such-file.jsonl"))


def test_the_core_themes_must_stay(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n  - key: participatie\n    name_nl: P\n    name_en: P\n    definition: d\n"
    )
    with pytest.raises(ValueError, match="core themes"):
        train_theme_model(corpus_paths=[FIXTURE_CORPUS], models_dir=tmp_path, themes_path=path)
