"""Governed outcome models: a trained model is a candidate until it is compared with the model
in force on fixed evaluation sets and promoted; every promotion and rollback is logged.

    nlp/models/outcome/CURRENT           the model in force (rewritten atomically)
    nlp/models/outcome/promotions.jsonl  one line per promotion or rollback, newest last
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from nlp.outcome.corpus import (
    load_independent_outcome_set,
    load_outcome_corpus,
    split_outcome_corpus,
)
from nlp.outcome.evaluate import evaluate_outcomes
from nlp.outcome.model import (
    CURRENT_POINTER_NAME,
    OUTCOME_MODELS_DIR,
    OutcomeModel,
    current_outcome_model_dir,
    point_current_to,
)

LOG_NAME = "promotions.jsonl"
TOLERANCE = 0.005  # a candidate this much below the model in force still counts as "not worse"


class PromotionRefused(ValueError):
    """The candidate is worse than the model in force on a fixed evaluation set."""


def fixed_evaluation_sets(independent_path: Path | str | None = None) -> dict[str, list[dict]]:
    """The sets every comparison uses: the corpus test split and, when present, the
    independent set."""
    sets = {"test_split": split_outcome_corpus(load_outcome_corpus())[1]}
    independent = load_independent_outcome_set(independent_path)
    if independent:
        sets["independent"] = independent
    return sets


def compare_models(
    current: OutcomeModel | None, candidate: OutcomeModel, sets: dict[str, Sequence[dict]]
) -> dict:
    """Macro-F1 of both models per set, and whether the candidate is not worse on every set."""
    rows = {}
    for name, examples in sets.items():
        new = evaluate_outcomes(candidate, examples)["macro_f1"]
        old = evaluate_outcomes(current, examples)["macro_f1"] if current else None
        rows[name] = {"current": old, "candidate": new, "n": len(examples)}
    not_worse = all(
        row["current"] is None or row["candidate"] >= row["current"] - TOLERANCE
        for row in rows.values()
    )
    return {
        "current": current.version if current else None,
        "candidate": candidate.version,
        "sets": rows,
        "not_worse": not_worse,
    }


def _log(models_dir: Path, entry: dict) -> None:
    with (models_dir / LOG_NAME).open("a", encoding="utf8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def promotion_log(models_dir: Path | str | None = None) -> list[dict]:
    path = Path(models_dir or OUTCOME_MODELS_DIR) / LOG_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf8").splitlines() if line]


def model_in_force(models_dir: Path) -> OutcomeModel | None:
    """The model CURRENT names, or None before the first promotion."""
    if not (models_dir / CURRENT_POINTER_NAME).exists():
        return None
    return OutcomeModel.load(current_outcome_model_dir(models_dir))


def promote(
    version: str,
    models_dir: Path | str | None = None,
    force: bool = False,
    sets: dict[str, Sequence[dict]] | None = None,
    actor: str = "",
    now: dt.datetime | None = None,
) -> dict:
    """Make `version` the model in force when it is not worse than the current one on the fixed
    sets (or with `force`, which is recorded); returns the comparison. Raises PromotionRefused."""
    models_dir = Path(models_dir or OUTCOME_MODELS_DIR)
    candidate = OutcomeModel.load(models_dir / version)
    current = model_in_force(models_dir)
    comparison = compare_models(
        current, candidate, sets if sets is not None else fixed_evaluation_sets()
    )
    if not comparison["not_worse"] and not force:
        raise PromotionRefused(
            f"{version} is worse than {comparison['current']} on a fixed evaluation set; "
            "use --force to promote it anyway (it is recorded)"
        )
    point_current_to(models_dir, version)
    entry = {
        "action": "promote",
        "version": version,
        "previous": comparison["current"],
        "forced": bool(force and not comparison["not_worse"]),
        "comparison": comparison["sets"],
        "actor": actor,
        "at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
    }
    _log(models_dir, entry)
    card_path = models_dir / version / "model_card.json"
    card = json.loads(card_path.read_text(encoding="utf8"))
    card.setdefault("promotions", []).append(entry)
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    return comparison


def rollback(
    models_dir: Path | str | None = None, actor: str = "", now: dt.datetime | None = None
) -> str:
    """Put back the model that was in force before the last promotion; returns its version."""
    models_dir = Path(models_dir or OUTCOME_MODELS_DIR)
    current = current_outcome_model_dir(models_dir).name
    previous = next(
        (
            entry["previous"]
            for entry in reversed(promotion_log(models_dir))
            if entry["action"] == "promote" and entry["version"] == current and entry["previous"]
        ),
        None,
    )
    if previous is None:
        raise PromotionRefused(f"no earlier model to roll back to from {current}")
    point_current_to(models_dir, previous)
    _log(
        models_dir,
        {
            "action": "rollback",
            "version": previous,
            "previous": current,
            "actor": actor,
            "at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        },
    )
    return previous
