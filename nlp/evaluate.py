"""Measuring theme predictions: per-theme precision/recall/F1, micro and macro F1."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from nlp.corpus import (
    label_field_of,
    load_corpus,
    load_extra_evaluation_sets,
    load_independent_set,
    read_examples,
    split_corpus,
)


class LabelPredictor(Protocol):
    """Anything that labels texts: the ThemeClassifier or the keyword baseline."""

    theme_keys: list[str]

    def predict_labels(self, texts: Sequence[str]) -> list[list[str]]: ...


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def theme_metrics(
    truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], theme_keys: Sequence[str]
) -> dict:
    """Precision, recall, F1 and support per theme, plus micro and macro F1.

    Macro F1 is the mean of the per-theme F1 scores; micro F1 pools all theme decisions.
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    counts = {key: Counter() for key in theme_keys}
    for true_labels, predicted_labels in zip(truth, predicted, strict=True):
        true_set, predicted_set = set(true_labels), set(predicted_labels)
        for key in theme_keys:
            outcome = (key in true_set, key in predicted_set)
            counts[key][
                {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(outcome, "tn")
            ] += 1
    per_theme = {}
    for key, count in counts.items():
        precision = _ratio(count["tp"], count["tp"] + count["fp"])
        recall = _ratio(count["tp"], count["tp"] + count["fn"])
        per_theme[key] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4),
            "support": count["tp"] + count["fn"],
        }
    total = sum(counts.values(), Counter())
    micro_precision = _ratio(total["tp"], total["tp"] + total["fp"])
    micro_recall = _ratio(total["tp"], total["tp"] + total["fn"])
    exact = sum(set(t) == set(p) for t, p in zip(truth, predicted, strict=True))
    return {
        "n_examples": len(truth),
        "per_theme": per_theme,
        "micro_f1": round(_f1(micro_precision, micro_recall), 4),
        "macro_f1": round(sum(m["f1"] for m in per_theme.values()) / max(1, len(per_theme)), 4),
        "exact_match": round(_ratio(exact, len(truth)), 4),
    }


def evaluate(model: LabelPredictor, examples: Sequence[dict]) -> dict:
    """Metrics of `model` on labelled examples ({"text", "labels"} dicts)."""
    predicted = model.predict_labels([example["text"] for example in examples])
    return theme_metrics([example["labels"] for example in examples], predicted, model.theme_keys)


def default_evaluation_sets(theme_keys: Sequence[str], data: Path | str | None = None) -> dict:
    """{"name": examples}: the given file, or else the fixed sets: the corpus test split, the
    independent set and the other independent sets with theme labels (outcome_eval,
    real_style) that exist."""
    if data is not None:
        field = label_field_of(data)
        return {Path(data).name: read_examples(data, theme_keys, field, require_labels=True)}
    sets = {"test_split": split_corpus(load_corpus(known_themes=theme_keys))[1]}
    independent = load_independent_set(theme_keys)
    if independent:
        sets["independent"] = independent
    sets.update(load_extra_evaluation_sets(theme_keys))
    return sets


def evaluate_model(
    model: LabelPredictor, data: Path | str | None = None, output: Path | str | None = None
) -> dict:
    """Evaluate on `data` (JSONL) or on the test split and the independent set; optionally
    write the metrics as JSON to `output`. Returns {"set name": metrics}."""
    results = {
        name: evaluate(model, examples)
        for name, examples in default_evaluation_sets(model.theme_keys, data).items()
        if examples
    }
    if output is not None:
        write_metrics(results, output)
    return results


def write_metrics(metrics: dict, path: Path | str) -> None:
    """Write metrics as indented JSON."""
    Path(path).write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
