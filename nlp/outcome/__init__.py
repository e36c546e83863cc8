"""Outcome reading: what changed for the people in a story (beter, slechter, gemengd, geen).

Public API:
    OUTCOMES, require_outcome                  the four labels
    OutcomeModel, OutcomeResult                 a loaded model and its per-story result
    OutcomeModelNotFoundError, point_current_to
    train_outcome_model                         fit, evaluate, save with a model card
    outcome_metrics, evaluate_outcomes          measuring
    theme_sentences                             sentences per theme, for per-theme outcomes
    read_outcomes                               outcome per story and theme from theme results
"""

from nlp.outcome.evaluate import evaluate_outcomes, outcome_metrics
from nlp.outcome.labels import OUTCOMES, require_outcome
from nlp.outcome.model import (
    OutcomeModel,
    OutcomeModelNotFoundError,
    OutcomeResult,
    point_current_to,
)
from nlp.outcome.per_theme import read_outcomes, theme_sentences
from nlp.outcome.train import train_outcome_model

__all__ = [
    "OUTCOMES",
    "OutcomeModel",
    "OutcomeModelNotFoundError",
    "OutcomeResult",
    "evaluate_outcomes",
    "outcome_metrics",
    "point_current_to",
    "read_outcomes",
    "require_outcome",
    "theme_sentences",
    "train_outcome_model",
]
