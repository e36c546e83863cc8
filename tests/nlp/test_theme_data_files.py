"""Themes, lexicons and the corpus split as data files: loading, validation, the fixed split."""

from pathlib import Path

import pytest

from nlp.corpus import is_test_example, read_examples, split_corpus
from nlp.cue_lexicon import load_cue_lexicon
from nlp.jsonl import JsonlLineError
from nlp.text_analysis import DutchTextAnalyzer
from nlp.themes import DataFileError, load_themes

FIXTURE_CORPUS = Path(__file__).parent / "theme_fixture_corpus.jsonl"


def test_shipped_themes_load_with_names_in_both_languages():
    themes = {theme.key: theme for theme in load_themes()}
    assert {"eenzaamheid", "armoede", "gezondheid"} <= set(themes)
    assert themes["armoede"].name_en == "Poverty" and themes["armoede"].keywords


def test_theme_file_error_names_file_and_line(tmp_path: Path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n  - key: ok\n    name_nl: a\n    name_en: b\n    definition: c\n  - key: Bad Key\n"
    )
    with pytest.raises(DataFileError) as error:
        load_themes(path)
    assert str(path) in str(error.value) and ":6:" in str(error.value)


def test_invalid_yaml_error_names_file_and_line(tmp_path: Path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  - key: [unclosed\n")
    with pytest.raises(DataFileError, match=r"themes\.yaml:\d+: invalid YAML"):
        load_themes(path)


def test_new_theme_is_a_data_change(tmp_path: Path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n  - key: wonen\n    name_nl: Wonen\n    name_en: Housing\n"
        "    definition: Over huisvesting.\n    keywords: [woning]\n"
    )
    assert [theme.key for theme in load_themes(path)] == ["wonen"]


def test_shipped_lexicons_are_broad():
    lexicon = load_cue_lexicon()
    for theme, theme_lexicon in lexicon.themes.items():
        entries = sum(len(entries) for entries in theme_lexicon.categories.values())
        assert entries >= 300, theme


def test_lexicon_finds_implicit_cue_and_tells_figurative_use():
    lexicon = load_cue_lexicon()
    analyzer = DutchTextAnalyzer({})
    money = lexicon.find_cues(analyzer.analyse("Aan het eind van de maand is er niets over."))
    assert any(m.owner == "armoede" and m.category == "poverty_words" for m in money)
    only = lexicon.find_cues(analyzer.analyse("We zijn alleen op dinsdag open."))
    assert any(m.owner == "eenzaamheid" and m.category == "figurative" for m in only)


def test_lexicon_matches_a_misspelled_cue():
    lexicon = load_cue_lexicon()
    matches = lexicon.find_cues(DutchTextAnalyzer({}).analyse("ik voel me zo eensaamheid"))
    assert any(m.owner == "eenzaamheid" for m in matches)


def test_split_is_fixed_by_id_and_about_a_fifth():
    ids = [f"x-{i}" for i in range(2000)]
    share = sum(map(is_test_example, ids)) / len(ids)
    assert 0.17 < share < 0.23
    assert [is_test_example(i) for i in ids] == [is_test_example(i) for i in ids]


def test_split_keeps_train_and_test_apart():
    train, test = split_corpus(read_examples(FIXTURE_CORPUS))
    assert not {e["id"] for e in train} & {e["id"] for e in test}
    assert len(train) + len(test) == 48


def test_corpus_line_with_unknown_label_names_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "1", "text": "a", "labels": []}\n{"id": "2", "text": "b", "labels": ["wonen"]}\n'
    )
    with pytest.raises(JsonlLineError) as error:
        read_examples(path, known_themes=["armoede"])
    assert error.value.line_no == 2 and "bad.jsonl" in str(error.value)
