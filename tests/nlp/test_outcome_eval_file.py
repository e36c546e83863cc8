"""The independent outcome evaluation set is well formed and keeps its promised spread.

The file is labelled by hand (see nlp/data/independent/OUTCOME_GUIDE.md); these checks catch a
broken line, a typo in a label or an edit that quietly drops a class below its minimum.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

EVAL_FILE = (
    Path(__file__).resolve().parents[2] / "nlp" / "data" / "independent" / "outcome_eval.jsonl"
)
OUTCOMES = {"beter", "slechter", "gemengd", "geen"}
THEMES = ("eenzaamheid", "armoede", "gezondheid")
LANGUAGES = {"nl", "en", "mixed", "other"}
REQUIRED_FIELDS = {"id", "text", "outcome", "theme_outcomes", "themes", "language", "notes"}
OPTIONAL_FIELDS = {"decoys", "language_other", "language_code"}

MIN_TEXTS = 300
MIN_PER_OUTCOME = 45
MIN_TEXTS_WITH_THEME = 60
MIN_DECOYS_PER_THEME = 30


def read_records() -> list[dict]:
    records = []
    with EVAL_FILE.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            assert line.strip(), f"{EVAL_FILE.name}:{number}: empty line"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                pytest.fail(f"{EVAL_FILE.name}:{number}: invalid JSON: {error}")
            assert isinstance(record, dict), f"{EVAL_FILE.name}:{number}: not an object"
            records.append(record)
    return records


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records()


def test_every_line_has_exactly_the_known_fields(records):
    for record in records:
        fields = set(record)
        assert REQUIRED_FIELDS <= fields, record.get("id")
        assert fields <= REQUIRED_FIELDS | OPTIONAL_FIELDS, record.get("id")
        assert isinstance(record["text"], str) and record["text"].strip(), record["id"]
        assert isinstance(record["notes"], str), record["id"]


def test_ids_are_unique_and_follow_the_pattern(records):
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids))
    assert all(id_.startswith("oe-") and id_[3:].isdigit() for id_ in ids)


def test_texts_are_unique(records):
    texts = Counter(record["text"] for record in records)
    assert [text for text, count in texts.items() if count > 1] == []


def test_every_label_is_a_known_word(records):
    for record in records:
        assert record["outcome"] in OUTCOMES, record["id"]
        assert record["language"] in LANGUAGES, record["id"]
        themes = record["themes"]
        assert len(themes) == len(set(themes)) and set(themes) <= set(THEMES), record["id"]
        theme_outcomes = record["theme_outcomes"]
        assert set(theme_outcomes) <= set(themes), record["id"]
        assert set(theme_outcomes.values()) <= OUTCOMES, record["id"]
        decoys = record.get("decoys", [])
        assert set(decoys) <= set(THEMES), record["id"]
        assert not set(decoys) & set(themes), f"{record['id']}: a decoy theme is also labelled"


def test_other_languages_are_flagged_and_only_they(records):
    for record in records:
        flagged = record.get("language_other", False)
        assert flagged == (record["language"] == "other"), record["id"]
        assert ("language_code" in record) == flagged, record["id"]


def test_theme_outcomes_agree_with_the_overall_outcome(records):
    """The guide's rule: the overall outcome is the sum of the changes the text describes."""
    for record in records:
        changes = set(record["theme_outcomes"].values()) - {"geen"}
        outcome = record["outcome"]
        if outcome == "geen":
            assert not changes, record["id"]
        elif outcome in {"beter", "slechter"}:
            assert changes <= {outcome}, record["id"]
        if {"beter", "slechter"} <= changes or "gemengd" in changes:
            assert outcome == "gemengd", record["id"]


def test_distribution_minimums_hold(records):
    assert len(records) >= MIN_TEXTS
    outcomes = Counter(record["outcome"] for record in records)
    for outcome in OUTCOMES:
        assert outcomes[outcome] >= MIN_PER_OUTCOME, outcome
    for theme in THEMES:
        present = sum(theme in record["themes"] for record in records)
        decoys = sum(theme in record.get("decoys", []) for record in records)
        assert present >= MIN_TEXTS_WITH_THEME, theme
        assert decoys >= MIN_DECOYS_PER_THEME, theme
    languages = Counter(record["language"] for record in records)
    assert languages["en"] >= 30 and languages["mixed"] >= 8 and languages["other"] >= 8
