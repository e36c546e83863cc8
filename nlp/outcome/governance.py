"""The outcome model's fixed evaluation sets and its promotion steps (see nlp/governance.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from nlp import governance
from nlp.corpus import EXTRA_EVALUATION_SETS
from nlp.governance import PromotionRefused, promotion_log
from nlp.outcome.corpus import (
    load_independent_outcome_set,
    load_outcome_corpus,
    read_outcome_examples,
    split_outcome_corpus,
)

# The other independent sets with outcome labels (their names as in nlp.corpus).
OTHER_OUTCOME_SETS = ("real_style", "fresh_l")

__all__ = ["PromotionRefused", "fixed_evaluation_sets", "promote", "promotion_log", "rollback"]


def fixed_evaluation_sets(independent_path: Path | str | None = None) -> dict[str, list[dict]]:
    """The sets every comparison uses: the corpus test split and, when present, the
    independent set (outcome_eval) and the other independent sets with outcome labels."""
    sets = {"test_split": split_outcome_corpus(load_outcome_corpus())[1]}
    independent = load_independent_outcome_set(independent_path)
    if independent:
        sets["independent"] = independent
    if independent_path is None:
        for name in OTHER_OUTCOME_SETS:
            path = EXTRA_EVALUATION_SETS[name]
            if path.exists():
                sets[name] = read_outcome_examples(path)
    return sets


def promote(
    version: str,
    models_dir: Path | str | None = None,
    force: bool = False,
    sets: dict[str, Sequence[dict]] | None = None,
    actor: str = "",
    now: dt.datetime | None = None,
) -> dict:
    """Promote an outcome model (refused when worse unless `force`)."""
    kind = governance.outcome_model_kind(models_dir)
    return governance.promote(kind, version, force=force, sets=sets, actor=actor, now=now)


def rollback(models_dir: Path | str | None = None, actor: str = "") -> str:
    """Put back the outcome model that was in force before the last promotion."""
    return governance.rollback(governance.outcome_model_kind(models_dir), actor=actor)
