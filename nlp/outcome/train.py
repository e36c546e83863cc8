"""Training the outcome model: fit on the corpus training split plus staff-checked stories,
measure it on fixed sets, and write a versioned model directory with its model card.

Training is deterministic: the same data and code give the same model and the same figures.
A new model is written as a candidate; it becomes the model in force only through
`point_current_to` (the CLI's promote step), never as a side effect of training.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import sklearn

from nlp.model_files import unused_version
from nlp.outcome.corpus import (
    INDEPENDENT_OUTCOME_PATH,
    load_independent_outcome_set,
    load_outcome_corpus,
    split_outcome_corpus,
)
from nlp.outcome.cues import CUES_PATH, READING_VERSION, load_outcome_lexicon
from nlp.outcome.estimator import OutcomeClassifier
from nlp.outcome.evaluate import KeywordOutcomeBaseline, evaluate_outcomes
from nlp.outcome.labels import OUTCOMES, require_outcome
from nlp.outcome.model import BUNDLE_FORMAT, OUTCOME_MODELS_DIR, OutcomeModel, point_current_to
from nlp.outcome.model_card import write_outcome_model_card
from nlp.text_analysis import DutchTextAnalyzer, packaged_lemma_table

# v2: a fourth feature block, clause, modality and time features (nlp/outcome/clauses.py).
BUILDER_VERSION = "weefsel.OutcomeClassifier.v2"
SEED = 0
# Corpus texts labelled as written in another language stay in the corpus but not in training:
# the model reads only Dutch and English ("mixed" is the corpus's tag for both in one text).
READ_LANGUAGES = ("nl", "en", "mixed")
HYPERPARAMETERS = {
    "C": 8.0,
    "lemma_weight": 1.0,
    "char_weight": 0.5,
    "cue_weight": 1.0,
    "clause_weight": 1.0,
}


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def _fingerprint(examples: Sequence[dict], hyperparameters: dict) -> str:
    digest = hashlib.sha256(BUILDER_VERSION.encode())
    digest.update(json.dumps(hyperparameters, sort_keys=True).encode())
    digest.update(CUES_PATH.read_bytes())
    digest.update(f"reading {READING_VERSION}".encode())
    for example in examples:
        digest.update(json.dumps([example["text"], example["outcome"]]).encode())
    return digest.hexdigest()[:8]


def fit_outcome_estimator(
    examples: Sequence[dict], hyperparameters: dict | None = None
) -> OutcomeClassifier:
    """Fit the estimator on {"text", "outcome"} examples; its lemma table is pruned to the
    words it can use (the full table costs memory and load time)."""
    table = packaged_lemma_table("nl")
    analyzer = DutchTextAnalyzer(table)
    lexicon = load_outcome_lexicon(known_words=table.keys())
    params = dict(HYPERPARAMETERS, **(hyperparameters or {}))
    estimator = OutcomeClassifier(analyzer, lexicon, random_state=SEED, **params)
    estimator.fit([e["text"] for e in examples], [e["outcome"] for e in examples])
    useful = {word for gram in estimator.lemma_ngrams_.vocabulary_ for word in gram.split(" ")}
    useful |= lexicon.words()
    analyzer.lemma_table = {
        w: lemma for w, lemma in table.items() if w != lemma and lemma in useful
    }
    return estimator


def train_outcome_model(
    extra_examples: Iterable[dict] = (),
    corpus_paths: Sequence[Path | str] | None = None,
    models_dir: Path | str | None = None,
    version: str | None = None,
    make_current: bool = False,
    hyperparameters: dict | None = None,
    evaluation_sets: dict[str, Sequence[dict]] | None = None,
    today: dt.date | None = None,
) -> Path:
    """Train, evaluate and save an outcome model; returns the new model directory.

    `extra_examples` are staff-checked {"text", "outcome"} dicts; they join the training
    split. Texts also in the test split or an evaluation set are left out of training, so the
    figures stay honest, and so are corpus texts in other languages than Dutch and English. `evaluation_sets` default to the test split and, when present, the
    independent set (nlp/data/independent/outcome_eval.jsonl).
    """
    started = time.perf_counter()
    corpus = load_outcome_corpus(corpus_paths)
    train, test = split_outcome_corpus(corpus)
    if evaluation_sets is None:
        evaluation_sets = {"test_split": test}
        independent = load_independent_outcome_set()
        if independent:
            evaluation_sets["independent"] = independent
    held_out = {_normalised(e["text"]) for examples in evaluation_sets.values() for e in examples}
    extra = [
        {"id": f"staff-{i}", "text": e["text"], "outcome": require_outcome(e["outcome"])}
        for i, e in enumerate(extra_examples)
    ]
    training = [
        e
        for e in train + extra
        if _normalised(e["text"]) not in held_out and e.get("lang", "nl") in READ_LANGUAGES
    ]
    if len({e["outcome"] for e in training}) < 2:
        raise ValueError("too few training examples: the outcome corpus is missing or empty")

    settings = dict(HYPERPARAMETERS, **(hyperparameters or {}))
    estimator = fit_outcome_estimator(training, settings)
    today = today or dt.date.today()
    models_dir = Path(models_dir) if models_dir is not None else OUTCOME_MODELS_DIR
    version = unused_version(
        models_dir,
        version or f"outcome-{today:%Y%m%d}-{_fingerprint(training, settings)}",
        chosen=version is not None,
    )
    model = OutcomeModel({"format": BUNDLE_FORMAT, "version": version, "estimator": estimator})
    evaluation = {
        name: {
            "model": evaluate_outcomes(model, examples),
            "keyword_baseline": evaluate_outcomes(KeywordOutcomeBaseline(), examples),
        }
        for name, examples in evaluation_sets.items()
        if examples
    }
    model_dir = model.save(models_dir / version)
    card = {
        "version": version,
        "date": today.isoformat(),
        "builder": BUILDER_VERSION,
        "outcomes": list(OUTCOMES),
        "hyperparameters": settings,
        "seed": SEED,
        "temperature": round(estimator.temperature_, 4),
        "data": {
            "corpus_examples": len(corpus),
            "train_split": len(train),
            "staff_examples": len(extra),
            "training_examples_used": len(training),
            "training_counts": {o: sum(e["outcome"] == o for e in training) for o in OUTCOMES},
            "evaluation_sets": {name: len(examples) for name, examples in evaluation_sets.items()},
            "independent_path": str(
                INDEPENDENT_OUTCOME_PATH.relative_to(INDEPENDENT_OUTCOME_PATH.parents[3])
            ),
        },
        "evaluation": evaluation,
        "training_seconds": round(time.perf_counter() - started, 1),
        "model_bytes": (model_dir / "model.joblib").stat().st_size,
        "software": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    write_outcome_model_card(card, model_dir)
    if make_current:
        point_current_to(models_dir, version)
    return model_dir
