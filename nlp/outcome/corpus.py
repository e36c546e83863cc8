"""The outcome corpus (nlp/data/outcome/corpus_*.jsonl, and the lines of the theme corpus
nlp/data/corpus/train_*.jsonl that carry an outcome): reading it and its fixed test split.

One JSON object per line: {"id", "text", "outcome", "theme_outcomes"?: {theme: outcome},
"themes"?: [theme keys], "lang"?}. Theme corpus lines have their themes in "labels"; only
those with an "outcome" belong to the outcome corpus (writers D and E label both). The test
split is fixed by a salted hash of each example's id (as for the theme corpus), so adding
examples never moves an old example between training and test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from nlp.jsonl import JsonlLineError, iter_jsonl_objects, require_text
from nlp.outcome.labels import OUTCOMES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OUTCOME_DATA_DIR = DATA_DIR / "outcome"
CORPUS_GLOB = "corpus_*.jsonl"
THEME_CORPUS_DIR = DATA_DIR / "corpus"
THEME_CORPUS_GLOB = "train_*.jsonl"
# Written by another person than the corpus writer; the lead merges it into this path.
INDEPENDENT_OUTCOME_PATH = DATA_DIR / "independent" / "outcome_eval.jsonl"
SPLIT_SALT = "weefsel-outcome-split-1:"
TEST_SHARE_PERCENT = 20


def is_test_example(example_id: str) -> bool:
    """Whether the example with this id belongs to the fixed test split."""
    digest = hashlib.sha256((SPLIT_SALT + str(example_id)).encode("utf8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < TEST_SHARE_PERCENT


def _theme_outcomes(item: dict, line_no: int) -> dict[str, str]:
    themes = item.get("theme_outcomes") or {}
    if not isinstance(themes, dict):
        raise JsonlLineError(line_no, '"theme_outcomes" must map theme keys to outcomes')
    bad = {key: value for key, value in themes.items() if value not in OUTCOMES}
    if bad:
        raise JsonlLineError(line_no, f"unknown theme outcome(s) {bad}")
    return dict(themes)


def read_outcome_examples(path: Path | str, outcome_labelled_only: bool = False) -> list[dict]:
    """Labelled examples from one JSONL file; JsonlLineError names file and line when wrong.

    With `outcome_labelled_only`, lines without an "outcome" are skipped (a theme corpus file
    in which only some writers labelled outcomes); a wrong outcome still fails."""
    path = Path(path)
    examples = []
    with path.open(encoding="utf8") as lines:
        try:
            for line_no, item in iter_jsonl_objects(lines):
                if outcome_labelled_only and "outcome" not in item:
                    continue
                text = require_text(item, line_no)
                outcome = item.get("outcome")
                if outcome not in OUTCOMES:
                    raise JsonlLineError(
                        line_no, f'"outcome" must be one of {", ".join(OUTCOMES)}, not {outcome!r}'
                    )
                example = dict(item, text=text, theme_outcomes=_theme_outcomes(item, line_no))
                if "themes" not in example and isinstance(item.get("labels"), list):
                    example["themes"] = list(item["labels"])
                example.setdefault("id", f"{path.stem}:{line_no}")
                examples.append(example)
        except JsonlLineError as error:
            raise JsonlLineError(error.line_no, f"{path}: {error.message}") from error
    return examples


def load_outcome_corpus(paths: Sequence[Path | str] | None = None) -> list[dict]:
    """All examples of the given files (default: every corpus_*.jsonl in nlp/data/outcome and
    the outcome-labelled lines of every train_*.jsonl in nlp/data/corpus)."""
    if paths is not None:
        return [example for path in paths for example in read_outcome_examples(path)]
    own = [
        e
        for path in sorted(OUTCOME_DATA_DIR.glob(CORPUS_GLOB))
        for e in read_outcome_examples(path)
    ]
    from_theme_corpus = [
        example
        for path in sorted(THEME_CORPUS_DIR.glob(THEME_CORPUS_GLOB))
        for example in read_outcome_examples(path, outcome_labelled_only=True)
    ]
    return own + from_theme_corpus


def split_outcome_corpus(examples: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """(train, test) by the fixed hash of each example id."""
    train = [e for e in examples if not is_test_example(e["id"])]
    test = [e for e in examples if is_test_example(e["id"])]
    return train, test


def load_independent_outcome_set(path: Path | str | None = None) -> list[dict]:
    """The independent outcome evaluation set, or [] while it is not there. Never train on it."""
    path = Path(path) if path is not None else INDEPENDENT_OUTCOME_PATH
    return read_outcome_examples(path) if path.exists() else []
