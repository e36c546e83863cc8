"""Theme classification throughput of given model directories, side by side (no CURRENT needed).

    PYTHONPATH=$PWD .venv/bin/python bench/bench_theme_model_speed.py nlp/models/<a> nlp/models/<b>

For each model: CPU time of `ThemeClassifier.predict` on 2,000 80-word stories cut from the
corpus, best of two runs, on one BLAS thread (other load on a shared machine does not count).
"""

from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.classify import ThemeClassifier  # noqa: E402
from nlp.corpus import load_corpus  # noqa: E402

STORIES = 2000
WORDS_PER_STORY = 80


def main() -> None:
    words = " ".join(example["text"] for example in load_corpus()).split()
    stories = [
        " ".join(words[i * WORDS_PER_STORY : (i + 1) * WORDS_PER_STORY]) for i in range(STORIES)
    ]
    for path in sys.argv[1:]:
        model = ThemeClassifier.load(path)
        model.predict(stories[:50])  # warm the caches
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            model.predict(stories)
            best = min(best, time.process_time() - started)
        print(f"{path}: {len(stories) / best:.0f} stories/s CPU (best of 2)")


if __name__ == "__main__":
    main()
