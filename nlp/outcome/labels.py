"""The four outcome labels and their meaning (see nlp/data/outcome/OUTCOME_RULES.md)."""

from __future__ import annotations

BETTER, WORSE, MIXED, NONE = "beter", "slechter", "gemengd", "geen"
OUTCOMES: tuple[str, ...] = (BETTER, WORSE, MIXED, NONE)
OUTCOME_DESCRIPTIONS = {
    BETTER: "the situation of the people in the story improved",
    WORSE: "the situation of the people in the story got worse",
    MIXED: "both: some things improved and some got worse for the same people",
    NONE: "no change described: a situation, a complaint, a wish, a plan or a report",
}


def require_outcome(value: object) -> str:
    """The value if it is one of OUTCOMES; ValueError naming the allowed words otherwise."""
    if value not in OUTCOMES:
        raise ValueError(f"unknown outcome {value!r}; expected one of {', '.join(OUTCOMES)}")
    return str(value)
