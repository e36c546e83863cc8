"""Measuring outcome predictions: per-outcome precision/recall/F1, macro-F1, confusion matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from nlp.outcome.labels import BETTER, MIXED, NONE, OUTCOMES, WORSE


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def outcome_metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    """Precision, recall, F1 and support per outcome, macro-F1 over the four, accuracy, and
    the confusion matrix (truth -> predicted -> count)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    pairs = Counter(zip(truth, predicted, strict=True))
    per_outcome = {}
    for outcome in OUTCOMES:
        tp = pairs[(outcome, outcome)]
        predicted_n = sum(n for (_, p), n in pairs.items() if p == outcome)
        support = sum(n for (t, _), n in pairs.items() if t == outcome)
        precision, recall = _ratio(tp, predicted_n), _ratio(tp, support)
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_outcome[outcome] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    return {
        "n_examples": len(truth),
        "macro_f1": round(sum(row["f1"] for row in per_outcome.values()) / len(OUTCOMES), 4),
        "accuracy": round(_ratio(sum(pairs[(o, o)] for o in OUTCOMES), len(truth)), 4),
        "per_outcome": per_outcome,
        "confusion": {t: {p: pairs[(t, p)] for p in OUTCOMES} for t in OUTCOMES},
    }


def theme_outcome_metrics(examples: Sequence[dict], predicted: Sequence[dict[str, str]]) -> dict:
    """Macro-F1 over the per-theme outcomes the examples label (theme present in both)."""
    truth, guesses = [], []
    for example, by_theme in zip(examples, predicted, strict=True):
        for theme, outcome in (example.get("theme_outcomes") or {}).items():
            if theme in by_theme:
                truth.append(outcome)
                guesses.append(by_theme[theme])
    return outcome_metrics(truth, guesses)


class KeywordOutcomeBaseline:
    """The obvious rule, for comparison: "beter"/"slechter"-type words decide."""

    version = "keyword-baseline"
    BETTER_WORDS = frozenset("beter verbeterd eindelijk opgelucht better improved finally".split())
    WORSE_WORDS = frozenset("slechter erger achteruit verslechterd worse deteriorated".split())

    def predict_outcomes(self, texts: Sequence[str]) -> list[str]:
        outcomes = []
        for text in texts:
            words = set(text.lower().replace(",", " ").replace(".", " ").split())
            better, worse = bool(words & self.BETTER_WORDS), bool(words & self.WORSE_WORDS)
            outcomes.append(
                MIXED if better and worse else BETTER if better else WORSE if worse else NONE
            )
        return outcomes


def evaluate_outcomes(model, examples: Sequence[dict]) -> dict:
    """Metrics of a model (anything with predict_outcomes) on labelled examples."""
    predicted = model.predict_outcomes([example["text"] for example in examples])
    return outcome_metrics([example["outcome"] for example in examples], predicted)
