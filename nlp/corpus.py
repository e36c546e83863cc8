"""The labelled corpus: reading examples and the fixed train/test split.

The test split is fixed by a hash of each example's id (see nlp/data/corpus/README.md):
an example is in the test split when sha256(SPLIT_SALT + id) falls in the lowest 20% of the
hash range. The assignment of an id never changes when examples are added, so a test example
never leaks into a later model's training data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from nlp.jsonl import JsonlLineError, iter_jsonl_objects, require_text

DATA_DIR = Path(__file__).parent / "data"
CORPUS_DIR = DATA_DIR / "corpus"
CORPUS_FILES = ("train_a.jsonl", "train_b.jsonl", "train_c.jsonl")
INDEPENDENT_PATH = DATA_DIR / "independent" / "independent_eval.jsonl"
SPLIT_SALT = "weefsel-themes-split-1:"
TEST_SHARE_PERCENT = 20


def is_test_example(example_id: str) -> bool:
    """Whether the example with this id belongs to the fixed test split."""
    digest = hashlib.sha256((SPLIT_SALT + str(example_id)).encode("utf8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < TEST_SHARE_PERCENT


def read_examples(path: Path | str, known_themes: Iterable[str] | None = None) -> list[dict]:
    """Labelled examples from a JSONL file: {"id", "text", "labels", ...} per line.

    Raises JsonlLineError (with the file name in the message) for a malformed line or a label
    that is not a known theme.
    """
    path = Path(path)
    known = set(known_themes) if known_themes is not None else None
    examples = []
    with path.open(encoding="utf8") as lines:
        try:
            for line_no, item in iter_jsonl_objects(lines):
                text = require_text(item, line_no)
                labels = item.get("labels", [])
                if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                    raise JsonlLineError(line_no, '"labels" must be a list of theme keys')
                unknown = sorted(set(labels) - known) if known is not None else []
                if unknown:
                    raise JsonlLineError(line_no, f"unknown theme label(s) {', '.join(unknown)}")
                example = dict(item, text=text, labels=sorted(set(labels)))
                example.setdefault("id", f"{path.stem}:{line_no}")
                examples.append(example)
        except JsonlLineError as error:
            raise JsonlLineError(error.line_no, f"{path}: {error.message}") from error
    return examples


def load_corpus(
    paths: Sequence[Path | str] | None = None, known_themes: Iterable[str] | None = None
) -> list[dict]:
    """All corpus examples from the corpus files that exist (train_a.jsonl, train_b.jsonl)."""
    if paths is None:
        paths = [CORPUS_DIR / name for name in CORPUS_FILES if (CORPUS_DIR / name).exists()]
    known = list(known_themes) if known_themes is not None else None
    return [example for path in paths for example in read_examples(path, known)]


def split_corpus(examples: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """(train, test) by the fixed hash of each example id."""
    train = [example for example in examples if not is_test_example(example["id"])]
    test = [example for example in examples if is_test_example(example["id"])]
    return train, test


def load_independent_set(known_themes: Iterable[str] | None = None) -> list[dict]:
    """The independent evaluation set, or [] while it is not there. Never train on it."""
    if not INDEPENDENT_PATH.exists():
        return []
    return read_examples(INDEPENDENT_PATH, known_themes)
