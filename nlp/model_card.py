"""Writing a theme model's card: model_card.json (for tools) and model_card.md (for people)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from nlp.themes import Theme

SET_TITLES = {
    "test_split": "Fixed test split of the corpus",
    "independent": "Independent evaluation set",
    "outcome_eval": "Independent outcome set, its theme labels (outcome_eval.jsonl)",
    "real_style": "Independent real-style hard set (real_style_eval.jsonl)",
    "fresh_l": "Independent set of writer L, written blind to corpora and code (fresh_eval_l.jsonl)",
}


def _metrics_table(metrics: dict, baseline: dict) -> list[str]:
    lines = [
        "| theme | precision | recall | F1 | support | keyword baseline F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, row in metrics["per_theme"].items():
        lines.append(
            f"| {key} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | "
            f"{row['support']} | {baseline['per_theme'][key]['f1']:.3f} |"
        )
    lines.append(
        f"| **macro F1** | | | **{metrics['macro_f1']:.3f}** | {metrics['n_examples']} texts | "
        f"{baseline['macro_f1']:.3f} |"
    )
    lines.append(f"| micro F1 | | | {metrics['micro_f1']:.3f} | | {baseline['micro_f1']:.3f} |")
    return lines


def model_card_markdown(card: dict, themes: Sequence[Theme]) -> str:
    """The human-readable model card."""
    data = card["data"]
    lines = [
        f"# Theme model {card['version']}",
        "",
        f"Trained {card['date']} with builder `{card['builder']}` (seed {card['seed']}) in "
        f"{card['training_seconds']} s; model file {card['model_bytes'] / 1e6:.1f} MB.",
        "",
        "Multi-label classifier of resident stories (Dutch, short English) into the themes below. "
        "Per theme a logistic regression over lemma n-grams, character n-grams and curated cue "
        "lexicon features, calibrated on out-of-fold scores of the training data (5-fold, "
        f"{card['hyperparameters'].get('cv_repeats', 1)} shuffles); the decision threshold per "
        "theme maximises smoothed F1 on those out-of-fold predictions, never on test or "
        "independent data; where the F1 curve is flat (within "
        f"{card['hyperparameters'].get('threshold_tolerance', 0.0)}) the threshold nearest 50% "
        "is taken, so a shown percentage at or above the threshold means the theme is more "
        "likely than not wherever that costs no accuracy. Stories in other languages get no "
        "labels and are marked with their language code.",
        "",
        "What the percentages mean: a story shown with 70% for a theme is, among stories like "
        "the training corpus, about 7 in 10 times labelled with that theme by the writers "
        "(calibration on out-of-fold scores). On texts from a writer the model has not seen "
        "the expected calibration error stays small (see docs/benchmarks.md), but real texts "
        "differ more than any writer does.",
        "",
        "## Themes and thresholds",
        "",
        "| key | name | threshold |",
        "| --- | --- | ---: |",
    ]
    lines += [
        f"| {t.key} | {t.name_nl} / {t.name_en} | {card['thresholds'][t.key]:.2f} |" for t in themes
    ]
    lines += [
        "",
        "## Data",
        "",
        f"- corpus examples: {data['corpus_examples']} (train split {data['train_split']}, "
        f"test split {data['test_split']}; split fixed by a hash of the id, see "
        "nlp/data/corpus/README.md)",
        f"- extra human-checked examples: {data['extra_examples']}",
        f"- training examples used: {data['training_examples_used']}",
        f"- independent evaluation set: {data['independent']} (never used for training or thresholds)",
        f"- examples per source: {json.dumps(data.get('sources', {}))}",
        f"- training label counts: {json.dumps(data['training_label_counts'])}",
        "- texts in other languages than Dutch and English (no labels by design, so they count "
        f"as misses where labelled): {json.dumps(data.get('other_language_texts', {}))}",
        f"- test label counts: {json.dumps(data['test_label_counts'])}",
        "",
        "## Evaluation",
    ]
    for name, result in card["evaluation"].items():
        lines += ["", f"### {SET_TITLES.get(name, name)}", ""]
        lines += _metrics_table(result["model"], result["keyword_baseline"])
    if not card["evaluation"]:
        lines += ["", "No evaluation data was available."]
    lines += [
        "",
        "The keyword baseline assigns a theme when one of its theme words (themes.yaml "
        "`keywords`) occurs in the text.",
        "",
        "## Limitations",
        "",
        _corpus_limitation(data.get("sources", {})),
        '- Flat denials ("ik ben helemaal niet eenzaam", "geen last van schulden") and people '
        "content living alone are read by denial and content-alone cue features, but rhetorical "
        'denials ("maar eenzaam? ze zit in drie koren") and denials far from the theme word '
        "still often get the theme.",
        "- Stories in languages other than Dutch and English are marked with their language code "
        "and get no labels; a translation or a human reader is needed for them.",
        "",
        "## Hyperparameters",
        "",
        "```json",
        json.dumps(card["hyperparameters"], indent=2),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_model_card(card: dict, themes: Sequence[Theme], model_dir: Path) -> None:
    """Write model_card.json and model_card.md into the model directory."""
    (model_dir / "model_card.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf8"
    )
    (model_dir / "model_card.md").write_text(model_card_markdown(card, themes), encoding="utf8")


def _corpus_limitation(sources: dict) -> str:
    """What the corpus is, counted from the sources the model was trained on."""
    writers = sorted(name for name in sources if name.startswith("train_"))
    outcome = " plus the theme labels of the outcome corpus" if "outcome" in sources else ""
    return (
        f"- The corpus was written for this project by {len(writers)} writers "
        f"({', '.join(name.removeprefix('train_') for name in writers)}) following the label "
        f"rules{outcome}; real resident texts differ in spelling, length and topic mix. Review "
        "low-margin predictions (the staff review screen sorts by uncertainty)."
    )
