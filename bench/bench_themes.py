"""Theme classifier benchmark: speed, latency, load time, memory and accuracy of the CURRENT model.

Run: .venv/bin/python bench/bench_themes.py   (prints one line per figure, with its target)
Speed is measured on one core (BLAS threads pinned to 1) with 80-word stories built from the
corpus, as CPU time of this process (other load on a shared machine does not distort it) and as
wall-clock time; accuracy on the fixed test split and the independent set, keyword baseline
beside it.
"""

from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import io  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH_STORIES = 4000
WORDS_PER_STORY = 80
LATENCY_CALLS = 300


def rss_mb() -> float:
    """Resident set size of this process in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def eighty_word_stories(texts: list[str], count: int) -> list[str]:
    """`count` stories of exactly 80 words, cut from the corpus texts in turn."""
    words = " ".join(texts).split()
    return [
        " ".join(words[(i * WORDS_PER_STORY + j) % len(words)] for j in range(WORDS_PER_STORY))
        for i in range(count)
    ]


def classification_rates(classifier, stories: list[str]) -> tuple[float, float]:
    """(wall-clock, CPU-time) stories per second for `predict` in batches of 1,000."""
    wall, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(stories), 1000):
        classifier.predict(stories[first : first + 1000])
    return len(stories) / (time.perf_counter() - wall), len(stories) / (time.process_time() - cpu)


def cold_start_seconds() -> float:
    """Import + load in a fresh interpreter, as the CLI or a web worker would."""
    code = (
        "import time; t = time.perf_counter(); from nlp.classify import ThemeClassifier; "
        "ThemeClassifier.load(); print(time.perf_counter() - t)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip())


def report(name: str, value: str, target: str = "") -> None:
    print(f"{name:<44} {value:>14}   {target}")


def main() -> None:
    rss_start = rss_mb()
    started = time.perf_counter()
    import sklearn.pipeline  # noqa: F401  (the libraries the model needs, timed apart)
    import spacy.tokenizer  # noqa: F401

    from nlp.classify import ThemeClassifier, classify_jsonl
    from nlp.corpus import load_corpus, load_independent_set, split_corpus
    from nlp.evaluate import evaluate
    from nlp.keyword_baseline import KeywordBaseline

    import_seconds = time.perf_counter() - started
    rss_imported = rss_mb()
    started = time.perf_counter()
    classifier = ThemeClassifier.load()
    load_seconds = time.perf_counter() - started
    rss_loaded = rss_mb()

    corpus = load_corpus(known_themes=classifier.theme_keys)
    stories = eighty_word_stories([e["text"] for e in corpus], BATCH_STORIES)
    rss_before_caches = rss_mb()
    cold_rate, cold_cpu_rate = classification_rates(
        classifier, stories
    )  # word caches empty at the start
    rss_warm = rss_mb()
    batch_rate, batch_cpu_rate = classification_rates(classifier, stories)  # caches filled

    lines = "".join(json.dumps({"id": i, "text": s}) + "\n" for i, s in enumerate(stories))
    wall, cpu = time.perf_counter(), time.process_time()
    classify_jsonl(
        io.StringIO(lines), io.StringIO(), classifier, batch_size=1000, show_progress=False
    )
    stream_rate = len(stories) / (time.perf_counter() - wall)
    stream_cpu_rate = len(stories) / (time.process_time() - cpu)

    latencies = []
    for story in stories[:LATENCY_CALLS]:
        started = time.perf_counter()
        classifier.predict([story])
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]

    print(f"Theme model {classifier.version} (one core, {WORDS_PER_STORY}-word stories)")
    report(
        "batch classification (CPU time)", f"{batch_cpu_rate:,.0f} stories/s", "target >= 2,000/s"
    )
    report("batch classification (wall clock)", f"{batch_rate:,.0f} stories/s", "")
    report("first pass, caches empty (CPU time)", f"{cold_cpu_rate:,.0f} stories/s", "")
    report("first pass, caches empty (wall clock)", f"{cold_rate:,.0f} stories/s", "")
    report("JSONL stream classification (CPU time)", f"{stream_cpu_rate:,.0f} stories/s", "")
    report("JSONL stream classification (wall clock)", f"{stream_rate:,.0f} stories/s", "")
    report("single story latency p50", f"{p50 * 1000:.1f} ms", "")
    report("single story latency p95", f"{p95 * 1000:.1f} ms", "target <= 10 ms")
    report("model load (libraries already imported)", f"{load_seconds:.2f} s", "target <= 1 s")
    report("library imports (sklearn, scipy, spaCy)", f"{import_seconds:.2f} s", "")
    report("cold start (fresh process: imports + load)", f"{cold_start_seconds():.2f} s", "")
    report(
        "RSS added by loading the model",
        f"{rss_loaded - rss_start - (rss_imported - rss_start):.0f} MB",
        "target <= 150 MB",
    )
    report("RSS added by the word caches (warm)", f"{rss_warm - rss_before_caches:.0f} MB", "")
    report("RSS added by the libraries", f"{rss_imported - rss_start:.0f} MB", "")
    report("process RSS total", f"{rss_mb():.0f} MB", "")

    _, test = split_corpus(corpus)
    baseline = KeywordBaseline()
    sets = {"test split": test, "independent set": load_independent_set(classifier.theme_keys)}
    for name, examples in sets.items():
        if not examples:
            report(f"macro-F1 {name}", "(missing)")
            continue
        model_f1 = evaluate(classifier, examples)["macro_f1"]
        baseline_f1 = evaluate(baseline, examples)["macro_f1"]
        report(f"macro-F1 {name} ({len(examples)} texts)", f"{model_f1:.3f}", "target >= 0.85")
        report(f"  keyword baseline, {name}", f"{baseline_f1:.3f}", "")


if __name__ == "__main__":
    main()
