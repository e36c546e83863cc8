"""Theme and outcome accuracy per language: are English stories read as well as Dutch ones?

Run: .venv/bin/python bench/bench_outcome_languages.py [FILE.jsonl ...]
(default: nlp/data/independent/independent_eval.jsonl and outcome_eval.jsonl)

Groups each set's items by their "lang" (or "language") field and prints, per group, the theme
model's macro-F1 on the "labels"/"themes" and, where the set labels outcomes, the outcome
model's macro-F1 (4 outcomes) and per-theme outcome macro-F1, read as the app reads them
(nlp.outcome.read_outcomes on the theme model's results, with the labelled themes). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.classify import ThemeClassifier  # noqa: E402
from nlp.evaluate import theme_metrics  # noqa: E402
from nlp.outcome import OutcomeModel  # noqa: E402
from nlp.outcome.evaluate import outcome_metrics, theme_outcome_metrics  # noqa: E402
from nlp.outcome.per_theme import read_outcomes  # noqa: E402

INDEPENDENT = Path(__file__).resolve().parent.parent / "nlp" / "data" / "independent"
DEFAULT_FILES = [INDEPENDENT / "independent_eval.jsonl", INDEPENDENT / "outcome_eval.jsonl"]


def _with_gold_themes(results, examples, theme_keys):
    """The theme results with the set's own themes as labels (per-theme outcomes are measured
    for the labelled themes, as bench_outcome.py does)."""
    for result, example in zip(results, examples, strict=True):
        themes = example.get("themes", example.get("labels")) or []
        result.labels = [t for t in themes if t in theme_keys]
    return results


def measure(examples, themes: ThemeClassifier, outcomes: OutcomeModel) -> dict:
    texts = [e["text"] for e in examples]
    results = themes.predict(texts)
    truth = [e.get("labels", e.get("themes")) or [] for e in examples]
    figures = {
        "texts": len(examples),
        "theme_macro_f1": theme_metrics(truth, [r.labels for r in results], themes.theme_keys)[
            "macro_f1"
        ],
        "marked_for_a_human": sum(bool(r.left_out) for r in results),
    }
    if all("outcome" in e for e in examples):
        read = read_outcomes(
            outcomes, themes, _with_gold_themes(results, examples, themes.theme_keys)
        )
        predicted = [r.outcome if r else "geen" for r in read]
        figures["outcome_macro_f1"] = outcome_metrics([e["outcome"] for e in examples], predicted)[
            "macro_f1"
        ]
        per_theme = [r.theme_outcomes if r else {} for r in read]
        figures["per_theme_outcome_macro_f1"] = theme_outcome_metrics(examples, per_theme)[
            "macro_f1"
        ]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(path) for path in DEFAULT_FILES])
    themes, outcomes = ThemeClassifier.load(), OutcomeModel.load()
    report = {"theme_model": themes.version, "outcome_model": outcomes.version}
    for name in parser.parse_args().files:
        examples = [json.loads(line) for line in Path(name).read_text("utf8").splitlines() if line]
        groups = defaultdict(list)
        for example in examples:
            groups[example.get("lang") or example.get("language") or "?"].append(example)
        report[Path(name).name] = {
            "all": measure(examples, themes, outcomes),
            **{lang: measure(group, themes, outcomes) for lang, group in sorted(groups.items())},
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
