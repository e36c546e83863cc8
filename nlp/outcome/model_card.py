"""Writing an outcome model's card: model_card.json (for tools) and model_card.md (for people)."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.outcome.labels import OUTCOME_DESCRIPTIONS, OUTCOMES

SET_TITLES = {
    "test_split": "Fixed test split of the outcome corpus",
    "independent": "Independent evaluation set (another writer; never used for training)",
}


def _metrics_lines(result: dict) -> list[str]:
    model, baseline = result["model"], result["keyword_baseline"]
    lines = [
        "| outcome | precision | recall | F1 | support | keyword baseline F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for outcome in OUTCOMES:
        row = model["per_outcome"][outcome]
        lines.append(
            f"| {outcome} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | "
            f"{row['support']} | {baseline['per_outcome'][outcome]['f1']:.3f} |"
        )
    lines.append(
        f"| **macro F1** | | | **{model['macro_f1']:.3f}** | {model['n_examples']} texts | "
        f"{baseline['macro_f1']:.3f} |"
    )
    lines += ["", "Confusion (rows: truth, columns: predicted):", ""]
    lines.append("| | " + " | ".join(OUTCOMES) + " |")
    lines.append("| --- |" + " ---: |" * len(OUTCOMES))
    for truth in OUTCOMES:
        cells = " | ".join(str(model["confusion"][truth][p]) for p in OUTCOMES)
        lines.append(f"| {truth} | {cells} |")
    return lines


def outcome_model_card_markdown(card: dict) -> str:
    """The human-readable model card."""
    data = card["data"]
    lines = [
        f"# Outcome model {card['version']}",
        "",
        f"Trained {card['date']} with builder `{card['builder']}` (seed {card['seed']}) in "
        f"{card['training_seconds']} s; model file {card['model_bytes'] / 1e6:.1f} MB.",
        "",
        "Reads what changed for the people in a resident story. One multinomial logistic "
        "regression over lemma n-grams, character n-grams and change-cue features "
        "(nlp/data/outcome/cues.yaml read in context: 'niet meer' + a bad state, 'weer' + an "
        "ability, 'minder' + a complaint, ...); probabilities calibrated by temperature scaling "
        f"(T = {card['temperature']}) on out-of-fold scores of the training data.",
        "",
        "## Outcomes",
        "",
    ]
    lines += [f"- `{o}`: {OUTCOME_DESCRIPTIONS[o]}" for o in OUTCOMES]
    lines += [
        "",
        "## Data",
        "",
        f"- corpus examples: {data['corpus_examples']} (train split {data['train_split']}; "
        "test split fixed by a salted hash of the id)",
        f"- staff-checked stories: {data['staff_examples']}",
        f"- training examples used: {data['training_examples_used']} "
        f"{json.dumps(data['training_counts'])}",
        f"- evaluation sets: {json.dumps(data['evaluation_sets'])}",
        "",
        "## Evaluation",
    ]
    for name, result in card["evaluation"].items():
        lines += ["", f"### {SET_TITLES.get(name, name)}", ""]
        lines += _metrics_lines(result)
    lines += [
        "",
        "The keyword baseline says `beter` when a word like 'beter' or 'eindelijk' occurs, "
        "`slechter` for words like 'slechter' or 'achteruit', `gemengd` for both, else `geen`.",
        "",
        "## Limitations",
        "",
        "- The corpus was written for this project by one writer; real stories differ. Staff "
        "corrections on the review screen override the model and join the next training run.",
        "- `gemengd` is the hardest outcome: a story that names a gain and a loss for different "
        "people, or a change that came and went, is easily read as `beter` or `slechter`.",
        "- Only a story's Dutch and English sentences are read (nlp.language.readable_part); a "
        "story with none gets no outcome, and one with sentences in other languages is marked "
        "for a human reader for that part.",
        "",
        "## Hyperparameters",
        "",
        "```json",
        json.dumps(card["hyperparameters"], indent=2),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_outcome_model_card(card: dict, model_dir: Path) -> None:
    """Write model_card.json and model_card.md into the model directory."""
    (model_dir / "model_card.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf8"
    )
    (model_dir / "model_card.md").write_text(outcome_model_card_markdown(card), encoding="utf8")
