"""Flat denials left out (nlp/denials.py) or not: macro-F1 of the theme model in force on the
fixed evaluation sets of `weefsel model compare`, and on the corpus training split.

Run: PYTHONPATH=$PWD .venv/bin/python bench/bench_theme_denials.py [--show SET]
Prints one row per set: texts, macro-F1 without and with the denials, and how many texts'
labels changed (fixed / broken against the gold labels). `--show SET` prints the changed
texts of that set (use it on "train_split" only, so the evaluation sets stay unread).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from nlp.classify import ThemeClassifier
    from nlp.corpus import load_corpus, split_corpus
    from nlp.denials import DenialRules
    from nlp.evaluate import default_evaluation_sets, evaluate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default="", help="print the changed texts of this set")
    arguments = parser.parse_args()

    with_denials = ThemeClassifier.load()
    without = ThemeClassifier(with_denials.bundle, with_denials.path, DenialRules({}, {}))
    keys = with_denials.theme_keys
    sets = default_evaluation_sets(keys)
    sets["train_split"] = split_corpus(load_corpus(known_themes=keys))[0]
    print(f"Theme model {with_denials.version}: macro-F1 without -> with flat denials left out")
    print(
        f"{'set':<16} {'texts':>6} {'without':>8} {'with':>8} {'changed':>8} {'fixed':>6} {'broken':>7}"
    )
    for name, examples in sets.items():
        texts = [example["text"] for example in examples]
        before = without.predict_labels(texts)
        after = with_denials.predict_labels(texts)
        fixed = broken = changed = 0
        for example, old, new in zip(examples, before, after, strict=True):
            if set(old) == set(new):
                continue
            changed += 1
            gold = set(example["labels"])
            fixed += len(set(new) ^ gold) < len(set(old) ^ gold)
            broken += len(set(new) ^ gold) > len(set(old) ^ gold)
            if name == arguments.show:
                print(f"  gold={sorted(gold)} before={old} after={new}: {example['text'][:300]}")
        f1_before = evaluate(without, examples)["macro_f1"]
        f1_after = evaluate(with_denials, examples)["macro_f1"]
        print(
            f"{name:<16} {len(examples):>6} {f1_before:>8.4f} {f1_after:>8.4f} "
            f"{changed:>8} {fixed:>6} {broken:>7}"
        )


if __name__ == "__main__":
    main()
