"""The labelled corpus: reading examples and the fixed train/test split.

The test split is fixed by a hash of each example's id (see nlp/data/corpus/README.md):
an example is in the test split when sha256(SPLIT_SALT + id) falls in the lowest 20% of the
hash range. The assignment of an id never changes when examples are added, so a test example
never leaks into a later model's training data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from nlp.jsonl import JsonlLineError, iter_jsonl_objects, require_text

DATA_DIR = Path(__file__).parent / "data"
CORPUS_DIR = DATA_DIR / "corpus"
CORPUS_FILES = ("train_a.jsonl", "train_b.jsonl", "train_c.jsonl")  # the first three writers
CORPUS_PATTERN = "train_*.jsonl"  # every writer's file (train_d.jsonl, train_e.jsonl, ...)
INDEPENDENT_DIR = DATA_DIR / "independent"
INDEPENDENT_PATH = INDEPENDENT_DIR / "independent_eval.jsonl"
# Further evaluation-only sets with theme labels ("labels", or "themes" in the outcome set).
EXTRA_EVALUATION_SETS = {
    "outcome_eval": INDEPENDENT_DIR / "outcome_eval.jsonl",
    "real_style": INDEPENDENT_DIR / "real_style_eval.jsonl",
    "fresh_l": INDEPENDENT_DIR / "fresh_eval_l.jsonl",
}
OUTCOME_CORPUS_DIR = DATA_DIR / "outcome"
OUTCOME_THEME_CORRECTIONS = CORPUS_DIR / "outcome_theme_corrections.json"
OUTCOME_ID_PREFIX = "outcome/"
SPLIT_SALT = "weefsel-themes-split-1:"
TEST_SHARE_PERCENT = 20


def is_test_example(example_id: str) -> bool:
    """Whether the example with this id belongs to the fixed test split."""
    digest = hashlib.sha256((SPLIT_SALT + str(example_id)).encode("utf8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < TEST_SHARE_PERCENT


def read_examples(
    path: Path | str,
    known_themes: Iterable[str] | None = None,
    label_field: str = "labels",
    *,
    require_labels: bool = False,
) -> list[dict]:
    """Labelled examples from a JSONL file: {"id", "text", "labels", ...} per line (the theme
    keys are read from `label_field`; other fields are kept as they are).

    Raises JsonlLineError (with the file name in the message) for a malformed line or a label
    that is not a known theme, and with `require_labels` for a line without `label_field`
    (an evaluation set where a missing field would silently read as "no theme").
    """
    path = Path(path)
    known = set(known_themes) if known_themes is not None else None
    examples = []
    with path.open(encoding="utf8") as lines:
        try:
            for line_no, item in iter_jsonl_objects(lines):
                text = require_text(item, line_no)
                if require_labels and label_field not in item:
                    raise JsonlLineError(
                        line_no, f'no "{label_field}" field (a list of theme keys)'
                    )
                labels = item.get(label_field, [])
                if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                    raise JsonlLineError(line_no, f'"{label_field}" must be a list of theme keys')
                unknown = sorted(set(labels) - known) if known is not None else []
                if unknown:
                    raise JsonlLineError(line_no, f"unknown theme label(s) {', '.join(unknown)}")
                example = dict(item, text=text, labels=sorted(set(labels)))
                example.setdefault("id", f"{path.stem}:{line_no}")
                example.setdefault("source", path.stem)
                examples.append(example)
        except JsonlLineError as error:
            raise JsonlLineError(error.line_no, f"{path}: {error.message}") from error
    return examples


def corpus_files(directory: Path | str = CORPUS_DIR) -> list[Path]:
    """The writers' corpus files in `directory` (train_a.jsonl, train_b.jsonl, ...), sorted."""
    return sorted(Path(directory).glob(CORPUS_PATTERN))


def load_corpus(
    paths: Sequence[Path | str] | None = None,
    known_themes: Iterable[str] | None = None,
    with_outcome_corpus: bool | None = None,
) -> list[dict]:
    """All corpus examples: the given files, or every writer's file in nlp/data/corpus plus
    the theme labels of the outcome corpus (`with_outcome_corpus` defaults to "no paths
    given")."""
    if with_outcome_corpus is None:
        with_outcome_corpus = paths is None
    if paths is None:
        paths = corpus_files()
    known = list(known_themes) if known_themes is not None else None
    examples = [example for path in paths for example in read_examples(path, known)]
    if with_outcome_corpus:
        examples += load_outcome_theme_examples(known)
    return examples


def load_outcome_theme_examples(
    known_themes: Iterable[str] | None = None, directory: Path | str = OUTCOME_CORPUS_DIR
) -> list[dict]:
    """The outcome corpus (nlp/data/outcome/corpus_*.jsonl) as theme examples.

    Its "themes" field names the themes a story's outcome is about, which includes flat
    denials and people content living alone ("ik woon graag alleen", outcome "geen"); the
    label rules give those no theme, so outcome_theme_corrections.json lists the labels to
    drop. Ids get the prefix "outcome/" (the outcome writer's ids overlap writer B's).
    """
    corrections = json.loads(OUTCOME_THEME_CORRECTIONS.read_text(encoding="utf8"))["drop"]
    examples = []
    for path in sorted(Path(directory).glob("corpus_*.jsonl")):
        for example in read_examples(path, known_themes, label_field="themes"):
            dropped = set(corrections.get(example["id"], {}).get("labels", ()))
            example["labels"] = [label for label in example["labels"] if label not in dropped]
            example["id"] = OUTCOME_ID_PREFIX + example["id"]
            example["source"] = "outcome"
            examples.append(example)
    return examples


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


def load_extra_evaluation_sets(known_themes: Iterable[str] | None = None) -> dict[str, list]:
    """{"outcome_eval": ..., "real_style": ...}: the other independent sets that exist, with
    their theme labels. Never train on them, never tune on them."""
    sets = {}
    for name, path in EXTRA_EVALUATION_SETS.items():
        if path.exists():
            field = "themes" if name == "outcome_eval" else label_field_of(path)
            sets[name] = read_examples(path, known_themes, label_field=field)
    return sets


def label_field_of(path: Path | str) -> str:
    """ "labels", unless the file's first line only has "themes" (the outcome set's format)."""
    with Path(path).open(encoding="utf8") as lines:
        first = next((line for line in lines if line.strip()), "{}")
    item = json.loads(first)
    return "themes" if "labels" not in item and "themes" in item else "labels"


def evaluation_texts(known_themes: Iterable[str] | None = None) -> list[str]:
    """The texts of every independent set: training leaves them out."""
    sets = [load_independent_set(known_themes), *load_extra_evaluation_sets(known_themes).values()]
    return [example["text"] for examples in sets for example in examples]
