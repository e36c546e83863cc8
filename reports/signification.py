"""What residents say their own stories mean: shares of "better", the triad, and the gap with
the model's reading.

Input is one plain row per story that has answers (themes, subarea, answers; no text, and a
story id only for staff). Figures based on fewer stories than the suppression rules allow
carry no value. The agreement figures compare the model's themes (and, where an outcome model
has filled in ``model_outcome``, its better/worse reading) with what the resident answered.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from nlp.agreement import cohens_kappa
from surveys.signification import BETTER, DONT_KNOW, SAME, WORSE

from .suppression import Basis, Metric, SuppressionRules, metric, secondary_suppression

Z_95 = 1.959964
ANSWERED = (WORSE, SAME, BETTER)  # "weet ik niet" and n.v.t. are not part of the basis
# The outcome model's labels and the resident's before/after answer that means the same.
OUTCOME_MATCH = {"beter": BETTER, "slechter": WORSE, "geen": SAME}
NEAR = 0.5  # a point is "near" a corner when that corner has at least half the weight


@dataclass(frozen=True)
class Corner:
    """A triad corner: its value, its label per language, and the model theme it stands for."""

    value: str
    names: dict[str, str]
    theme: str | None = None

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("nl") or self.value


@dataclass(frozen=True)
class SignificationRow:
    """One story's own reading. ``weights`` follow the corners' order and sum to 1;
    ``before_after`` is None when skipped or n.v.t.; ``model_outcome`` None when unknown."""

    themes: tuple[str, ...] = ()
    model_themes: tuple[str, ...] = ()
    subarea: str | None = None
    before_after: str | None = None
    weights: tuple[float, float, float] | None = None
    model_outcome: str | None = None
    story_id: int | None = None

    def __post_init__(self) -> None:
        if self.weights is not None:
            if len(self.weights) != 3 or min(self.weights) < 0:
                raise ValueError(f"triad weights must be three non-negative numbers: {self}")
            if not math.isclose(sum(self.weights), 1.0, abs_tol=1e-6):
                raise ValueError(f"triad weights must sum to 1: {self.weights}")


@dataclass(frozen=True)
class SignificationInput:
    """All stories with answers under one definition version, for one report's period and area."""

    definition_id: str
    definition_version: str
    corners: tuple[Corner, ...] = ()
    rows: list[SignificationRow] = field(default_factory=list)


@dataclass(frozen=True)
class BetterShare:
    """Of the residents who answered worse/same/better, the share who said better."""

    key: str
    answered: int | None  # None when suppressed
    better: Metric
    interval: tuple[float, float] | None
    dont_know: int | None = None


@dataclass(frozen=True)
class TriadFigures:
    """Where residents put their stories: points (only when enough), nearest corner shares."""

    n: int | None
    suppressed: bool
    nearest: dict[str, Metric]
    mean: dict[str, float] | None
    points: list[tuple[float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class SignificationFigures:
    definition_id: str
    definition_version: str
    corners: tuple[Corner, ...]
    overall: BetterShare
    by_theme: list[BetterShare]
    by_subarea: list[BetterShare]
    triad: TriadFigures | None


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a share (95 % by default); None without observations."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def compute_signification(
    data: SignificationInput, rules: SuppressionRules, themes: Iterable[str] = ()
) -> SignificationFigures:
    """Shares of "better" overall, per theme and per subarea, and the triad figures."""
    theme_keys = list(dict.fromkeys([*themes, *sorted({t for r in data.rows for t in r.themes})]))
    overall = _better_share("", data.rows, rules)
    by_theme = [
        _better_share(key, [row for row in data.rows if key in row.themes], rules)
        for key in theme_keys
    ]
    return SignificationFigures(
        definition_id=data.definition_id,
        definition_version=data.definition_version,
        corners=data.corners,
        overall=overall,
        by_theme=by_theme,
        by_subarea=_by_subarea(data.rows, rules, overall),
        triad=_triad(data, rules) if len(data.corners) == 3 else None,
    )


def _better_share(
    key: str, rows: list[SignificationRow], rules: SuppressionRules, hide: bool = False
) -> BetterShare:
    answers = Counter(row.before_after for row in rows if row.before_after)
    n = sum(answers[value] for value in ANSWERED)
    hide = hide or n < rules.min_stories
    share = answers[BETTER] / n if n else None
    better = metric(share, "share", Basis(stories=n), rules, hide=hide)
    if hide:
        return BetterShare(key, None, better, None, None)
    return BetterShare(key, n, better, wilson_interval(answers[BETTER], n), answers[DONT_KNOW])


def _by_subarea(
    rows: list[SignificationRow], rules: SuppressionRules, overall: BetterShare
) -> list[BetterShare]:
    groups: dict[str, list[SignificationRow]] = {}
    for row in rows:
        if row.subarea:
            groups.setdefault(row.subarea, []).append(row)
    counts: dict[Hashable, float] = {
        name: sum(1 for r in members if r.before_after in ANSWERED)
        for name, members in groups.items()
    }
    small = {name for name, n in counts.items() if n < rules.min_stories}
    # the overall basis is published, so one hidden subarea could be worked out by subtraction
    hidden = secondary_suppression(counts, small, [list(counts)]) if overall.answered else small
    return [
        _better_share(name, groups[name], rules, hide=name in hidden) for name in sorted(groups)
    ]


def _triad(data: SignificationInput, rules: SuppressionRules) -> TriadFigures:
    points = [row.weights for row in data.rows if row.weights is not None]
    n = len(points)
    values = [corner.value for corner in data.corners]
    if n < rules.min_stories:
        hidden = {value: metric(None, "share", Basis(), rules, hide=True) for value in values}
        return TriadFigures(None, True, hidden, None)
    nearest_counts = Counter(values[max(range(3), key=point.__getitem__)] for point in points)
    nearest = {
        value: metric(nearest_counts[value] / n, "share", Basis(stories=n), rules)
        for value in values
    }
    mean = {value: sum(point[i] for point in points) / n for i, value in enumerate(values)}
    return TriadFigures(n, False, nearest, mean, points)


# --- the gap between the model's reading and the resident's (staff only) -------------------


@dataclass(frozen=True)
class ThemeAgreement:
    """Per corner theme: stories compared, how often model and resident agree, and kappa."""

    theme: str
    compared: int
    agreed: int
    kappa: float | None

    @property
    def share(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


@dataclass(frozen=True)
class Disagreement:
    """One story where the model and the resident read it differently."""

    story_id: int | None
    kind: str  # "theme" or "outcome"
    model: str  # the model's themes (comma separated) or outcome
    resident: str  # the corner the resident put the point near, or their before/after answer
    weights: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class AgreementFigures:
    themes: list[ThemeAgreement]
    theme_compared: int
    theme_agreed: int
    outcome_available: bool
    outcome_compared: int
    outcome_agreed: int
    outcome_kappa: float | None
    contradictions: int  # model "beter" where the resident said "slechter", or the reverse
    disagreements: list[Disagreement]


def model_resident_agreement(data: SignificationInput) -> AgreementFigures:
    """Compare the model's themes with the corner each resident put the point near, and the
    model's outcome (when the row has one) with the resident's before/after answer."""
    corner_themes = [corner.theme for corner in data.corners]
    with_point = [row for row in data.rows if row.weights is not None and row.model_themes]
    disagreements: list[Disagreement] = []
    agreed = 0
    for row in with_point:
        top = max(range(3), key=row.weights.__getitem__)
        if corner_themes[top] in row.model_themes:
            agreed += 1
        elif row.weights[top] >= NEAR:
            resident = data.corners[top].value
            model = ", ".join(sorted(row.model_themes))
            disagreements.append(Disagreement(row.story_id, "theme", model, resident, row.weights))
    per_theme = [
        _theme_agreement(data, index, theme) for index, theme in enumerate(corner_themes) if theme
    ]
    outcome = [
        row
        for row in data.rows
        if row.model_outcome in OUTCOME_MATCH and row.before_after in ANSWERED
    ]
    pairs = [(OUTCOME_MATCH[row.model_outcome], row.before_after) for row in outcome]
    contradictions = 0
    for row, (model, resident) in zip(outcome, pairs, strict=True):
        if model != resident:
            disagreements.append(
                Disagreement(row.story_id, "outcome", row.model_outcome, row.before_after)
            )
            contradictions += {model, resident} == {BETTER, WORSE}
    return AgreementFigures(
        themes=per_theme,
        theme_compared=len(with_point),
        theme_agreed=agreed,
        outcome_available=any(row.model_outcome for row in data.rows),
        outcome_compared=len(pairs),
        outcome_agreed=sum(model == resident for model, resident in pairs),
        outcome_kappa=cohens_kappa([m for m, _ in pairs], [r for _, r in pairs]),
        contradictions=contradictions,
        disagreements=disagreements,
    )


def _theme_agreement(data: SignificationInput, index: int, theme: str) -> ThemeAgreement:
    rows = [row for row in data.rows if row.weights is not None and row.model_themes]
    model = [theme in row.model_themes for row in rows]
    resident = [row.weights[index] >= NEAR for row in rows]
    agreed = sum(a == b for a, b in zip(model, resident, strict=True))
    return ThemeAgreement(theme, len(rows), agreed, cohens_kappa(model, resident))
