"""Outcome model accuracy: macro-F1 over the four outcomes, per-theme outcomes, and (for the
same texts) the theme model's macro-F1 on the set's theme labels.

Run: .venv/bin/python bench/bench_outcome.py [--data nlp/data/independent/outcome_eval.jsonl]

The data file has {"text", "outcome", "themes": [theme keys], "theme_outcomes": {theme:
outcome}} per line. Per-theme outcomes are read for the themes the set labels, from the
sentences the theme model finds about each theme (as the app does). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.classify import ThemeClassifier  # noqa: E402
from nlp.evaluate import evaluate  # noqa: E402
from nlp.outcome import OutcomeModel, theme_sentences  # noqa: E402
from nlp.outcome.corpus import INDEPENDENT_OUTCOME_PATH, read_outcome_examples  # noqa: E402
from nlp.outcome.evaluate import (  # noqa: E402
    KeywordOutcomeBaseline,
    evaluate_outcomes,
    theme_outcome_metrics,
)
from nlp.themes import theme_keys  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(INDEPENDENT_OUTCOME_PATH))
    examples = read_outcome_examples(parser.parse_args().data)
    model, themes = OutcomeModel.load(), ThemeClassifier.load()
    texts = [e["text"] for e in examples]
    gold_themes = [[t for t in e.get("themes") or [] if t in theme_keys()] for e in examples]
    per_theme = model.predict(texts, theme_sentences(themes, texts, gold_themes))
    theme_examples = [
        {"text": e["text"], "labels": t} for e, t in zip(examples, gold_themes, strict=True)
    ]
    result = {
        "outcome_model": model.version,
        "texts": len(examples),
        "outcome": evaluate_outcomes(model, examples),
        "keyword_baseline_macro_f1": evaluate_outcomes(KeywordOutcomeBaseline(), examples)[
            "macro_f1"
        ],
        "theme_outcomes": theme_outcome_metrics(examples, [r.theme_outcomes for r in per_theme]),
        "theme_model": themes.version,
        "themes": evaluate(themes, theme_examples),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
