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

from importlib import import_module

# Each public name and the module it lives in. They are imported on first use (PEP 562), so
# reading a stored model does not import training and evaluation (scikit-learn, spaCy).
_HOMES = {
    "OUTCOMES": "labels",
    "require_outcome": "labels",
    "OutcomeModel": "model",
    "OutcomeModelNotFoundError": "model",
    "OutcomeResult": "model",
    "point_current_to": "model",
    "evaluate_outcomes": "evaluate",
    "outcome_metrics": "evaluate",
    "read_outcomes": "per_theme",
    "theme_sentences": "per_theme",
    "train_outcome_model": "train",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'nlp.outcome' has no attribute {name!r}")
    value = getattr(import_module(f"nlp.outcome.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


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
