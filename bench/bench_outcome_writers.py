"""Leave-one-writer-out validation of the outcome model (how outcome model choices are tuned).

For each writer of the outcome corpus (the theme-corpus writers D, E, G-P through their
train_*.jsonl files, and the outcome corpus nlp/data/outcome/corpus_*.jsonl, one writer) a
model is fitted on the other writers' training-split texts and measured on this writer's
training-split texts. A last model is fitted on the whole training split and measured on the
fixed test split. The independent sets are never read. Prints macro-F1 per held-out writer,
their mean, and the test-split macro-F1.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_outcome_writers.py ['{"C": 1.0}' ...]

Each optional JSON argument overrides nlp.outcome.train.HYPERPARAMETERS for one run. Texts are analysed once and
shared by all fits; temperature calibration is skipped (it does not change the argmax).
About 2-3 minutes on two busy cores.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.outcome.clauses import ClauseFeatures  # noqa: E402
from nlp.outcome.corpus import load_outcome_corpus, split_outcome_corpus  # noqa: E402
from nlp.outcome.cues import OutcomeCueFeatures, load_outcome_lexicon  # noqa: E402
from nlp.outcome.estimator import OutcomeClassifier  # noqa: E402
from nlp.outcome.evaluate import outcome_metrics  # noqa: E402
from nlp.outcome.train import HYPERPARAMETERS, READ_LANGUAGES, SEED  # noqa: E402
from nlp.text_analysis import DutchTextAnalyzer, packaged_lemma_table  # noqa: E402


class CachedAnalyzer:
    """The analyzer, analysing each distinct text once for all fits of this script."""

    def __init__(self, analyzer: DutchTextAnalyzer):
        self.analyzer = analyzer
        self.cache: dict = {}

    def analyse(self, text: str):
        if text not in self.cache:
            self.cache[text] = self.analyzer.analyse(text)
        return self.cache[text]

    def analyse_many(self, texts):
        missing = [text for text in dict.fromkeys(texts) if text not in self.cache]
        self.cache.update(zip(missing, self.analyzer.analyse_many(missing), strict=True))
        return [self.cache[text] for text in texts]


def memoise_features() -> None:
    """Compute each text's cue and clause features once per run (the analysed texts are cached,
    so their ids are stable); the vectorizers and the regression are still fitted per fold."""
    for features in (OutcomeCueFeatures, ClauseFeatures):
        compute, memo = features.features_of, {}

        def features_of(self, analysed, compute=compute, memo=memo):
            if id(analysed) not in memo:
                memo[id(analysed)] = compute(self, analysed)
            return memo[id(analysed)]

        features.features_of = features_of


def load_examples() -> tuple[list[dict], list[dict]]:
    """(train, test) of the outcome corpus with each example's writer, readable languages only."""
    from nlp.outcome.corpus import OUTCOME_DATA_DIR, THEME_CORPUS_DIR, read_outcome_examples

    corpus = []
    for path in sorted(OUTCOME_DATA_DIR.glob("corpus_*.jsonl")):
        corpus += [dict(e, writer="outcome-corpus") for e in read_outcome_examples(path)]
    for path in sorted(THEME_CORPUS_DIR.glob("train_*.jsonl")):
        writer = path.stem.removeprefix("train_").upper()
        corpus += [
            dict(e, writer=writer) for e in read_outcome_examples(path, outcome_labelled_only=True)
        ]
    assert len(corpus) == len(load_outcome_corpus())
    train, test = split_outcome_corpus(corpus)
    readable = lambda examples: [e for e in examples if e.get("lang", "nl") in READ_LANGUAGES]  # noqa: E731
    return readable(train), readable(test)


def fit_and_score(analyzer, lexicon, settings, fit_on, measure_on) -> dict:
    estimator = OutcomeClassifier(
        analyzer, lexicon, random_state=SEED, calibration_folds=1, **settings
    )
    estimator.fit([e["text"] for e in fit_on], [e["outcome"] for e in fit_on])
    predicted = list(estimator.predict([e["text"] for e in measure_on]))
    return outcome_metrics([e["outcome"] for e in measure_on], predicted)


def main() -> None:
    table = packaged_lemma_table("nl")
    analyzer = CachedAnalyzer(DutchTextAnalyzer(table))
    lexicon = load_outcome_lexicon(known_words=table.keys())
    train, test = load_examples()
    analyzer.analyse_many([e["text"] for e in train + test])
    memoise_features()
    for overrides in sys.argv[1:] or ["{}"]:
        report(analyzer, lexicon, dict(HYPERPARAMETERS, **json.loads(overrides)), train, test)


def report(analyzer, lexicon, settings: dict, train: list[dict], test: list[dict]) -> None:
    started = time.perf_counter()
    rows = {}
    for writer in sorted({e["writer"] for e in train}):
        fit_on = [e for e in train if e["writer"] != writer]
        held_out = [e for e in train if e["writer"] == writer]
        rows[writer] = (fit_and_score(analyzer, lexicon, settings, fit_on, held_out), len(held_out))
    test_metrics = fit_and_score(analyzer, lexicon, settings, train, test)
    print(f"settings {json.dumps(settings)}")
    print(f"{'held-out writer':<16}{'texts':>7}{'macro-F1':>10}  beter slechter gemengd geen")
    for writer, (metrics, n) in rows.items():
        per = " ".join(f"{metrics['per_outcome'][o]['f1']:.2f}" for o in metrics["per_outcome"])
        print(f"{writer:<16}{n:>7}{metrics['macro_f1']:>10.4f}  {per}")
    mean = np.mean([metrics["macro_f1"] for metrics, _ in rows.values()])
    print(f"{'LOWO mean':<16}{'':>7}{mean:>10.4f}")
    print(f"{'test split':<16}{len(test):>7}{test_metrics['macro_f1']:>10.4f}")
    print(f"{time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
