"""Leave-one-writer-out validation of the theme model settings (how model choices are tuned).

For each corpus source (every writer's file, train_a ... train_n, and the outcome corpus) a
model is trained on the other sources' training-split texts and measured on this source's
training-split texts; the fixed test split and the independent sets are never touched. Prints
macro-F1 and the expected calibration error (10 bins) per held-out writer and their mean, then
the pooled figures over every held-out text (each predicted by the model that did not see its
writer): macro-F1, false positives and false negatives per theme.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_theme_writers.py ['{"threshold_tolerance": 0.01}']

The optional JSON overrides nlp.train.HYPERPARAMETERS (cv_repeats defaults to 1 here, for
speed). Heavy: one fit per source (13 in December 2026), about 15-25 minutes on two busy cores.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.classify import BUNDLE_FORMAT, ThemeClassifier  # noqa: E402
from nlp.corpus import load_corpus, split_corpus  # noqa: E402
from nlp.evaluate import theme_metrics  # noqa: E402
from nlp.themes import theme_keys  # noqa: E402
from nlp.train import _readable, fit_theme_pipeline  # noqa: E402


def expected_calibration_error(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """Mean |predicted - observed| over 10 equal-width probability bins, weighted by size."""
    bins = np.clip((probabilities * 10).astype(int), 0, 9)
    total = 0.0
    for b in range(10):
        inside = bins == b
        if inside.any():
            total += abs(probabilities[inside].mean() - truth[inside].mean()) * inside.sum()
    return total / probabilities.size


def main() -> None:
    keys = theme_keys()
    settings = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    settings.setdefault("cv_repeats", 1)
    train, _ = split_corpus(load_corpus(known_themes=keys))
    train = [example for example in train if _readable(example)]
    started = time.perf_counter()
    rows = {}
    pooled_truth, pooled_predicted = [], []
    for writer in sorted({example["source"] for example in train}):
        fit_on = [example for example in train if example["source"] != writer]
        held_out = [example for example in train if example["source"] == writer]
        pipeline, dutch_words = fit_theme_pipeline(fit_on, keys, settings)
        bundle = {"format": BUNDLE_FORMAT, "version": f"without-{writer}", "theme_keys": keys}
        model = ThemeClassifier(bundle | {"pipeline": pipeline, "dutch_words": dutch_words})
        probabilities, _ = model.probabilities([example["text"] for example in held_out])
        truth = np.array([[key in example["labels"] for key in keys] for example in held_out])
        predicted = model.predict_labels([example["text"] for example in held_out])
        pooled_truth += [example["labels"] for example in held_out]
        pooled_predicted += predicted
        rows[writer] = (
            theme_metrics([example["labels"] for example in held_out], predicted, keys)["macro_f1"],
            expected_calibration_error(probabilities, truth),
            len(held_out),
        )
    print(f"settings {json.dumps(settings)}")
    print(f"{'held-out writer':<16}{'texts':>7}{'macro-F1':>10}{'ECE':>8}")
    for writer, (f1, ece, n) in rows.items():
        print(f"{writer:<16}{n:>7}{f1:>10.4f}{ece:>8.3f}")
    mean_f1 = np.mean([row[0] for row in rows.values()])
    mean_ece = np.mean([row[1] for row in rows.values()])
    print(f"{'mean':<16}{'':>7}{mean_f1:>10.4f}{mean_ece:>8.3f}")
    pooled = theme_metrics(pooled_truth, pooled_predicted, keys)
    print(f"{'pooled':<16}{len(pooled_truth):>7}{pooled['macro_f1']:>10.4f}")
    pairs = list(zip(pooled_truth, pooled_predicted, strict=True))
    for key in keys:
        false_positives = sum(key in p and key not in t for t, p in pairs)
        false_negatives = sum(key in t and key not in p for t, p in pairs)
        f1 = pooled["per_theme"][key]["f1"]
        print(f"  {key:<14}F1 {f1:.4f}  FP {false_positives:>4}  FN {false_negatives:>4}")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
