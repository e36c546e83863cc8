"""Outcome model speed: texts per second for outcome prediction and for explanations.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_outcome_throughput.py [MODEL_DIR ...]

Each model (default: the CURRENT one) reads the first 1,000 texts of the outcome corpus's fixed
test split in batches of 100 (as the classify command and the background jobs do), best of
three rounds, and explains the first 100 of them one by one (as the review screen does).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.outcome import OutcomeModel  # noqa: E402
from nlp.outcome.corpus import load_outcome_corpus, split_outcome_corpus  # noqa: E402

TEXTS = 1000
BATCH = 100
EXPLAINED = 100


def best_seconds(run, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    _, test = split_outcome_corpus(load_outcome_corpus())
    texts = [example["text"] for example in test][:TEXTS]
    for path in sys.argv[1:] or [None]:
        model = OutcomeModel.load(path)
        model.predict(texts[:BATCH])  # warm the caches once
        predict = best_seconds(
            lambda m=model: [m.predict(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        )
        explain = best_seconds(lambda m=model: [m.explain(t) for t in texts[:EXPLAINED]], 1)
        print(
            f"{model.version}: predict {len(texts) / predict:.0f} texts/s, "
            f"explain {EXPLAINED / explain:.0f} texts/s",
            flush=True,
        )


if __name__ == "__main__":
    main()
