"""Training the theme model: fit on the corpus training split plus human-checked examples,
measure it, and write a versioned model directory with its model card.

    nlp/models/themes-<YYYYMMDD>-<hash>/model.joblib, model_card.json, model_card.md
    nlp/models/CURRENT   (the name of the model directory in use)

Training is deterministic: the same data and code give the same model and the same figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import joblib
import numpy as np
import sklearn

from nlp.classify import (
    BUNDLE_FORMAT,
    CURRENT_POINTER_NAME,
    MODEL_FILE_NAME,
    MODELS_DIR,
    ThemeClassifier,
)
from nlp.corpus import (
    evaluation_texts,
    load_corpus,
    load_extra_evaluation_sets,
    load_independent_set,
    split_corpus,
)
from nlp.cue_lexicon import LEXICON_DIR, load_cue_lexicon
from nlp.evaluate import evaluate
from nlp.keyword_baseline import KeywordBaseline
from nlp.language import SUPPORTED_LANGUAGES, detect_language
from nlp.model_card import write_model_card
from nlp.model_files import unused_version
from nlp.pipeline import BUILDER_VERSION, build_theme_pipeline
from nlp.text_analysis import DutchTextAnalyzer, packaged_lemma_table
from nlp.themes import CORE_THEMES, THEMES_PATH, load_themes, theme_examples

SEED = 0
TRAINING_PROCESSES = 2  # cross-validation fits run in parallel; the result does not change
HYPERPARAMETERS = {
    "C": 4.0,
    "cue_scale": 0.15,
    "char_weight": 1.0,
    "lemma_weight": 1.0,
    "own_cues_only": True,
    "blocks": "single",
    "cue_C": 1.0,
    "cv_repeats": 3,
    "threshold_tolerance": 0.0,
    "validation": "kfold",  # "writers": leave-one-writer-out validation (measured, not better)
}


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def _label_matrix(examples: Sequence[dict], theme_keys: Sequence[str]) -> np.ndarray:
    return np.array(
        [[key in example["labels"] for key in theme_keys] for example in examples], dtype=int
    )


def _data_fingerprint(
    examples: Sequence[dict], hyperparameters: dict, themes_path: Path = THEMES_PATH
) -> str:
    """A short hash of everything a model is made from: builder, settings, themes, lexicons
    and training examples (it names the model version)."""
    digest = hashlib.sha256(BUILDER_VERSION.encode())
    digest.update(json.dumps(hyperparameters, sort_keys=True).encode())
    digest.update(Path(themes_path).read_bytes())
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        digest.update(path.read_bytes())
    for example in examples:
        digest.update(json.dumps([example["text"], sorted(example["labels"])]).encode())
    return digest.hexdigest()[:8]


def _prune_lemma_table(table: dict[str, str], pipeline, lexicon) -> dict[str, str]:
    """Keep only lemma entries that can change a feature: the rest cost memory and load time."""
    vocabulary = pipeline.named_steps["features"].named_transformers["lemma_ngrams"].vocabulary_
    useful = {word for gram in vocabulary for word in gram.split(" ")}
    useful |= lexicon.words()
    return {word: lemma for word, lemma in table.items() if word != lemma and lemma in useful}


def _other_theme_cue_columns(features, theme_keys: Sequence[str]) -> dict[int, list[int]]:
    """Per theme, the cue-feature columns of the other themes.

    A theme only sees its own lexicon features, so it cannot learn corpus accidents such as
    "health cues make loneliness less likely", which would hurt stories with several themes.
    """
    names = list(features.get_feature_names_out())
    return {
        index: [
            column
            for column, name in enumerate(names)
            if name.startswith("cues__") and not name.startswith(f"cues__{key}:")
        ]
        for index, key in enumerate(theme_keys)
    }


def _feature_blocks(features, layout: str) -> dict[str, list[int]]:
    """Feature columns per block: "ngrams+cues" or "lemma+char+cues"."""
    names = list(features.get_feature_names_out())
    prefixes = {"lemma": "lemma_ngrams__", "char": "char_ngrams__", "cues": "cues__"}
    if layout == "ngrams+cues":
        prefixes = {"ngrams": ("lemma_ngrams__", "char_ngrams__"), "cues": "cues__"}
    return {
        block: [column for column, name in enumerate(names) if name.startswith(prefix)]
        for block, prefix in prefixes.items()
    }


def fit_theme_pipeline(
    train_examples: Sequence[dict],
    theme_keys: Sequence[str],
    hyperparameters: dict | None = None,
    cue_words: dict[str, Sequence[str]] | None = None,
):
    """Fit the pipeline on examples; returns (pipeline, dutch_words) with a pruned lemma table."""
    table = packaged_lemma_table("nl")
    analyzer = DutchTextAnalyzer(table)
    lexicon = load_cue_lexicon(theme_keys=theme_keys, known_words=table.keys(), cue_words=cue_words)
    params = dict(HYPERPARAMETERS, **(hyperparameters or {}))
    own_cues_only = params.pop("own_cues_only")
    blocks = params.pop("blocks")
    block_C = {"cues": params.pop("cue_C")}
    repeats = params.pop("cv_repeats")
    tolerance = params.pop("threshold_tolerance", 0.0)
    by_writer = params.pop("validation", "kfold") == "writers"
    pipeline = build_theme_pipeline(analyzer, lexicon, random_state=SEED, **params)
    texts = [example["text"] for example in train_examples]
    analysed = pipeline.named_steps["analyse"].fit_transform(texts)
    features = pipeline.named_steps["features"].fit_transform(analysed)
    if own_cues_only:
        ignored = _other_theme_cue_columns(pipeline.named_steps["features"], theme_keys)
        pipeline.named_steps["classify"].set_params(ignored_columns=ignored)
    pipeline.named_steps["classify"].set_params(
        repeats=repeats, n_jobs=TRAINING_PROCESSES, threshold_tolerance=tolerance
    )
    if blocks != "single":
        pipeline.named_steps["classify"].set_params(
            feature_blocks=_feature_blocks(pipeline.named_steps["features"], blocks),
            block_C=block_C,
        )
    groups = [e.get("source") or "staff" for e in train_examples] if by_writer else None
    if groups is not None and len(set(groups)) < 3:
        groups = None  # too few writers to leave one out: shuffled k-fold instead
    pipeline.named_steps["classify"].fit(
        features, _label_matrix(train_examples, theme_keys), groups=groups
    )
    analyzer.lemma_table = _prune_lemma_table(table, pipeline, lexicon)
    corpus_words = {token.lower_ for text in texts for token in analyzer.tokenizer(text)}
    dutch_words = sorted(word for word in corpus_words if word in table and word.isalpha())
    return pipeline, dutch_words


def train_theme_model(
    extra_examples: Iterable[dict] = (),
    corpus_paths: Sequence[Path | str] | None = None,
    models_dir: Path | str | None = None,
    version: str | None = None,
    make_current: bool = True,
    hyperparameters: dict | None = None,
    today: dt.date | None = None,
    themes_path: Path | str | None = None,
) -> Path:
    """Train, evaluate and save a theme model; returns the new model directory.

    `extra_examples` are human-checked {"text", "labels"} dicts (e.g. from the database); they
    join the training split. Texts that also occur in the test split or the independent set are
    left out of training so that the reported figures stay honest.
    """
    started = time.perf_counter()
    themes_path = Path(themes_path) if themes_path is not None else THEMES_PATH
    themes = load_themes(themes_path)
    theme_keys = [theme.key for theme in themes]
    missing_core = [key for key in CORE_THEMES if key not in theme_keys]
    if missing_core:
        raise ValueError(f"{themes_path}: the core themes must stay: {', '.join(missing_core)}")
    corpus = load_corpus(corpus_paths, known_themes=theme_keys)
    # A municipality's own themes come with staff-checked examples; they are split like the
    # corpus, so the model card measures the new theme on examples it did not learn from.
    corpus += [example for theme in themes for example in theme_examples(theme, theme_keys)]
    train, test = split_corpus(corpus)
    independent = load_independent_set(theme_keys)
    extra_sets = load_extra_evaluation_sets(theme_keys)
    held_out = {_normalised(example["text"]) for example in test}
    held_out |= {_normalised(text) for text in evaluation_texts(theme_keys)}
    extra = [
        {
            "id": f"extra-{i}",
            "text": e["text"],
            "labels": sorted(set(e["labels"]) & set(theme_keys)),
        }
        for i, e in enumerate(extra_examples)
    ]
    training = [
        example
        for example in train + extra
        if _normalised(example["text"]) not in held_out and _readable(example)
    ]
    if not training:
        raise ValueError("no training examples: the corpus files are missing or empty")

    cue_words = {theme.key: theme.cue_words for theme in themes if theme.cue_words}
    pipeline, dutch_words = fit_theme_pipeline(training, theme_keys, hyperparameters, cue_words)
    today = today or dt.date.today()
    settings = dict(HYPERPARAMETERS, **(hyperparameters or {}))
    models_dir = Path(models_dir) if models_dir is not None else MODELS_DIR
    version = unused_version(
        models_dir,
        version or f"themes-{today:%Y%m%d}-{_data_fingerprint(training, settings, themes_path)}",
        chosen=version is not None,
    )
    bundle = {
        "format": BUNDLE_FORMAT,
        "version": version,
        "theme_keys": theme_keys,
        "pipeline": pipeline,
        "dutch_words": dutch_words,
    }
    classifier = ThemeClassifier(bundle)
    baseline = KeywordBaseline(themes)
    evaluation = {}
    for name, examples in (("test_split", test), ("independent", independent), *extra_sets.items()):
        if examples:
            evaluation[name] = {
                "model": evaluate(classifier, examples),
                "keyword_baseline": evaluate(baseline, examples),
            }

    model_dir = models_dir / version
    model_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, model_dir / MODEL_FILE_NAME, compress=3)
    card = {
        "version": version,
        "date": today.isoformat(),
        "builder": BUILDER_VERSION,
        "themes": theme_keys,
        "hyperparameters": settings,
        "seed": SEED,
        "thresholds": classifier.thresholds,
        "data": {
            "corpus_examples": len(corpus),
            "train_split": len(train),
            "extra_examples": len(extra),
            "training_examples_used": len(training),
            "test_split": len(test),
            "independent": len(independent),
            "training_label_counts": _label_counts(training, theme_keys),
            "test_label_counts": _label_counts(test, theme_keys),
            "sources": dict(sorted(Counter(e.get("source", "") for e in corpus).items())),
            "other_language_texts": {
                name: sum(
                    r.language not in SUPPORTED_LANGUAGES
                    for r in classifier.predict([e["text"] for e in examples])
                )
                for name, examples in (("test_split", test), ("independent", independent))
            },
        },
        "evaluation": evaluation,
        "training_seconds": round(time.perf_counter() - started, 1),
        "model_bytes": (model_dir / MODEL_FILE_NAME).stat().st_size,
        "software": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    card["data"]["theme_examples"] = {
        theme.key: len(theme_examples(theme, theme_keys)) for theme in themes if theme.examples
    }
    write_model_card(card, themes, model_dir)
    if make_current:
        (models_dir / CURRENT_POINTER_NAME).write_text(version + "\n", encoding="utf8")
    return model_dir


def _readable(example: dict) -> bool:
    """Whether the model reads the example's language: Dutch, English or a mix with them."""
    language = example.get("lang") or example.get("language") or detect_language(example["text"])
    return language in SUPPORTED_LANGUAGES or language == "mixed"


def _label_counts(examples: Sequence[dict], theme_keys: Sequence[str]) -> dict[str, int]:
    counts = {key: sum(key in e["labels"] for e in examples) for key in theme_keys}
    counts["none"] = sum(not e["labels"] for e in examples)
    return counts
