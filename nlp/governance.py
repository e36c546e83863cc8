"""Governed models: a trained model is a candidate until it is compared with the model in force
on fixed evaluation sets and promoted; promotions and rollbacks are logged.

Works for any kind of model kept as versioned directories under a models directory with a
CURRENT pointer (the theme model in nlp/models, the outcome model in nlp/models/outcome):

    <models_dir>/CURRENT           the version in force, rewritten atomically
    <models_dir>/promotions.jsonl  one line per promotion or rollback, newest last

Running workers notice a new CURRENT and reload; promotion only rewrites the pointer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CURRENT_POINTER_NAME = "CURRENT"
LOG_NAME = "promotions.jsonl"
TOLERANCE = 0.005  # a candidate this much below the model in force still counts as "not worse"


class PromotionRefused(ValueError):
    """The candidate is worse than the model in force, or there is nothing to roll back to."""


@dataclass(frozen=True)
class ModelKind:
    """How to load, score and fixed-evaluate one kind of model."""

    name: str
    models_dir: Path
    load: Callable[[Path], Any]  # a model directory -> a model with .version
    score: Callable[[Any, Sequence[dict]], float]  # macro-F1 of a model on examples
    evaluation_sets: Callable[[], dict[str, list[dict]]]


def point_current_to(
    models_dir: Path | str, version: str, model_file: str = "model.joblib"
) -> None:
    """Make `version` the model in force: CURRENT is written to a temporary file and renamed,
    so a reader never sees a half-written pointer."""
    models_dir = Path(models_dir)
    if not (models_dir / version / model_file).exists():
        raise FileNotFoundError(f"no model {version} in {models_dir}")
    handle, temporary = tempfile.mkstemp(dir=models_dir, prefix=".CURRENT-")
    with os.fdopen(handle, "w", encoding="utf8") as pointer:
        pointer.write(version + "\n")
    os.chmod(temporary, 0o644)
    os.replace(temporary, models_dir / CURRENT_POINTER_NAME)


def version_in_force(models_dir: Path | str) -> str | None:
    pointer = Path(models_dir) / CURRENT_POINTER_NAME
    return pointer.read_text(encoding="utf8").strip() if pointer.exists() else None


def model_in_force(kind: ModelKind) -> Any | None:
    """The model CURRENT names, or None before the first promotion."""
    version = version_in_force(kind.models_dir)
    return kind.load(kind.models_dir / version) if version else None


def compare_models(
    kind: ModelKind, current: Any | None, candidate: Any, sets: dict[str, Sequence[dict]]
) -> dict:
    """Macro-F1 of both models per set, and whether the candidate is not worse on every set."""
    rows = {}
    for name, examples in sets.items():
        old = kind.score(current, examples) if current is not None else None
        rows[name] = {
            "current": old,
            "candidate": kind.score(candidate, examples),
            "n": len(examples),
        }
    not_worse = all(
        row["current"] is None or row["candidate"] >= row["current"] - TOLERANCE
        for row in rows.values()
    )
    return {
        "current": current.version if current is not None else None,
        "candidate": candidate.version,
        "sets": rows,
        "not_worse": not_worse,
    }


def promotion_log(models_dir: Path | str) -> list[dict]:
    path = Path(models_dir) / LOG_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf8").splitlines() if line]


def _log(models_dir: Path, entry: dict) -> None:
    with (models_dir / LOG_NAME).open("a", encoding="utf8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def promote(
    kind: ModelKind,
    version: str,
    force: bool = False,
    sets: dict[str, Sequence[dict]] | None = None,
    actor: str = "",
    now: dt.datetime | None = None,
) -> dict:
    """Make `version` the model in force when it is not worse than the current one on the fixed
    sets, or with `force` (recorded in its model card and the log); returns the comparison."""
    candidate = kind.load(kind.models_dir / version)
    current = model_in_force(kind)
    sets = sets if sets is not None else kind.evaluation_sets()
    comparison = compare_models(kind, current, candidate, sets)
    if not comparison["not_worse"] and not force:
        raise PromotionRefused(
            f"{version} is worse than {comparison['current']} on a fixed evaluation set; "
            "use --force to promote it anyway (it is recorded)"
        )
    point_current_to(kind.models_dir, version)
    entry = {
        "action": "promote",
        "version": version,
        "previous": comparison["current"],
        "forced": bool(force and not comparison["not_worse"]),
        "comparison": comparison["sets"],
        "actor": actor,
        "at": _now(now),
    }
    _log(kind.models_dir, entry)
    card_path = kind.models_dir / version / "model_card.json"
    if card_path.exists():
        card = json.loads(card_path.read_text(encoding="utf8"))
        card.setdefault("promotions", []).append(entry)
        card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    return comparison


def rollback(kind: ModelKind, actor: str = "", now: dt.datetime | None = None) -> str:
    """Put back the model that was in force before the last promotion; returns its version."""
    current = version_in_force(kind.models_dir)
    previous = next(
        (
            entry["previous"]
            for entry in reversed(promotion_log(kind.models_dir))
            if entry["action"] == "promote" and entry["version"] == current and entry["previous"]
        ),
        None,
    )
    if previous is None:
        raise PromotionRefused(f"no earlier {kind.name} model to roll back to from {current}")
    point_current_to(kind.models_dir, previous)
    entry = {"action": "rollback", "version": previous, "previous": current, "actor": actor}
    _log(kind.models_dir, entry | {"at": _now(now)})
    return previous


def theme_model_kind(models_dir: Path | str | None = None) -> ModelKind:
    """The theme model: macro-F1 over the themes on the fixed sets of nlp.evaluate (corpus
    test split, independent set, outcome_eval and real_style theme labels where present).

    Both models are scored on the same sets, built from the data as it is now: when new
    writers join the corpus, the test split grows for the old model too (their test texts were
    never in its training data either), so the comparison stays fair."""
    from nlp.classify import MODELS_DIR, ThemeClassifier
    from nlp.evaluate import default_evaluation_sets, evaluate
    from nlp.themes import theme_keys

    def evaluation_sets() -> dict[str, list[dict]]:
        return {
            name: examples
            for name, examples in default_evaluation_sets(theme_keys()).items()
            if examples
        }

    return ModelKind(
        name="themes",
        models_dir=Path(models_dir) if models_dir is not None else MODELS_DIR,
        load=ThemeClassifier.load,
        score=lambda model, examples: evaluate(model, examples)["macro_f1"],
        evaluation_sets=evaluation_sets,
    )


def outcome_model_kind(models_dir: Path | str | None = None) -> ModelKind:
    """The outcome model: macro-F1 over the four outcomes on its test split and independent set."""
    from nlp.outcome.evaluate import evaluate_outcomes
    from nlp.outcome.governance import fixed_evaluation_sets
    from nlp.outcome.model import OUTCOME_MODELS_DIR, OutcomeModel

    return ModelKind(
        name="outcome",
        models_dir=Path(models_dir) if models_dir is not None else OUTCOME_MODELS_DIR,
        load=OutcomeModel.load,
        score=lambda model, examples: evaluate_outcomes(model, examples)["macro_f1"],
        evaluation_sets=fixed_evaluation_sets,
    )
