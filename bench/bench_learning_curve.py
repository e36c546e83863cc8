"""Learning curve: how much staff checks improve the theme model.

Run: .venv/bin/python bench/bench_learning_curve.py [--steps 0,50,100,200]

Staff checks are simulated with held-out labelled texts: the model is trained on corpus
writers A and B (their training split), then 0, 50, 100 and 200 texts of writer C are added as
"staff-checked stories" (in a fixed shuffled order, so each step contains the previous one),
exactly as `weefsel train` adds staff labels. Every model is measured on the same texts it
never sees: writer C's texts not used as checks and the independent set. Prints one line per
step and writes bench/results/learning_curve.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.classify import ThemeClassifier  # noqa: E402
from nlp.corpus import CORPUS_DIR, load_independent_set, read_examples  # noqa: E402
from nlp.evaluate import evaluate  # noqa: E402
from nlp.themes import theme_keys  # noqa: E402
from nlp.train import train_theme_model  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "learning_curve.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="0,50,100,200")
    steps = [int(step) for step in parser.parse_args().steps.split(",")]
    keys = theme_keys()
    pool = [
        e
        for e in read_examples(CORPUS_DIR / "train_c.jsonl", keys)
        if e.get("lang") in ("nl", "en")
    ]
    random.Random(14).shuffle(pool)
    checks, held_out = pool[: max(steps)], pool[max(steps) :]
    sets = {"writer_c_unseen": held_out, "independent": load_independent_set(keys)}
    rows = []
    with tempfile.TemporaryDirectory() as models_dir:
        for step in steps:
            started = time.perf_counter()
            model_dir = train_theme_model(
                extra_examples=checks[:step],
                corpus_paths=[CORPUS_DIR / "train_a.jsonl", CORPUS_DIR / "train_b.jsonl"],
                models_dir=models_dir,
                version=f"curve-{step}",
                make_current=False,
            )
            model = ThemeClassifier.load(model_dir)
            row = {"staff_checked": step, "seconds": round(time.perf_counter() - started, 1)}
            for name, examples in sets.items():
                row[name] = evaluate(model, examples)["macro_f1"]
            rows.append(row)
            print(json.dumps(row), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
