"""Per-theme outcome by 5-fold cross-validation inside the outcome corpus (never the
independent set): how the settings of nlp/outcome/per_theme.py were chosen.

Run: .venv/bin/python bench/bench_outcome_per_theme_cv.py   (5 outcome models, a few minutes)

Each fold's outcome model is trained on the other folds (folds fixed by a hash of the id); the
held-out examples with per-theme labels get per-theme outcomes as the app reads them (the
labelled themes, their passages from the shipped theme model, `OutcomeModel.theme_outcomes`).
Prints JSON: macro-F1 over the 4 outcomes for the per-theme reading and for the plain rule
"every theme gets the story's outcome", plus the story-level macro-F1 of the folds.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.classify import ThemeClassifier  # noqa: E402
from nlp.outcome import OutcomeModel, theme_sentences  # noqa: E402
from nlp.outcome.corpus import load_outcome_corpus  # noqa: E402
from nlp.outcome.evaluate import outcome_metrics, theme_outcome_metrics  # noqa: E402
from nlp.outcome.model import BUNDLE_FORMAT  # noqa: E402
from nlp.outcome.train import fit_outcome_estimator  # noqa: E402

FOLDS = 5


def fold_of(example: dict) -> int:
    digest = hashlib.sha256(("cv:" + str(example["id"])).encode()).hexdigest()
    return int(digest, 16) % FOLDS


def main() -> None:
    corpus = load_outcome_corpus()
    themes = ThemeClassifier.load()
    held_out, per_theme, story_only, truth, predicted = [], [], [], [], []
    for fold in range(FOLDS):
        train = [e for e in corpus if fold_of(e) != fold]
        test = [e for e in corpus if fold_of(e) == fold]
        estimator = fit_outcome_estimator(train)
        model = OutcomeModel(
            {"format": BUNDLE_FORMAT, "version": f"fold-{fold}", "estimator": estimator}
        )
        texts = [e["text"] for e in test]
        labelled = [[t for t in e["theme_outcomes"] if t in themes.theme_keys] for e in test]
        results = model.predict(texts, theme_sentences(themes, texts, labelled))
        truth += [e["outcome"] for e in test]
        predicted += [r.outcome for r in results]
        held_out += test
        per_theme += [r.theme_outcomes for r in results]
        story_only += [
            {t: r.outcome for t in labels} for r, labels in zip(results, labelled, strict=True)
        ]
    reading = theme_outcome_metrics(held_out, per_theme)
    plain = theme_outcome_metrics(held_out, story_only)
    print(
        json.dumps(
            {
                "corpus_examples": len(corpus),
                "theme_story_pairs": reading["n_examples"],
                "story_macro_f1": outcome_metrics(truth, predicted)["macro_f1"],
                "per_theme": {k: reading[k] for k in ("macro_f1", "accuracy", "per_outcome")},
                "story_outcome_for_every_theme": {k: plain[k] for k in ("macro_f1", "accuracy")},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
