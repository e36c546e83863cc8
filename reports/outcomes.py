"""What changed for residents, per theme: "Van de verhalen over eenzaamheid meldt 61% een
verbetering", with its basis (n stories) and a 95% Wilson interval; small cells suppressed.

The webapp's report service fills `ReportInput.outcome_counts` with the outcome that counts per
story (a staff reading overrides the model) for each theme the story is about, and for all
stories (theme None). This module turns those counts into figures and sentences.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .suppression import Basis, Metric, SuppressionRules, metric, too_few_stories

if TYPE_CHECKING:
    from .tables import Formatter

OUTCOME_WORDS = ("beter", "slechter", "gemengd", "geen")
Z_95 = 1.959964


@dataclass(frozen=True)
class OutcomeCount:
    """How many stories about a theme (None: all stories) report one outcome."""

    theme: str | None
    outcome: str
    n: int

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOME_WORDS:
            raise ValueError(f"unknown outcome {self.outcome!r} in {self!r}")
        if self.n < 0:
            raise ValueError(f"count cannot be negative in {self!r}")


@dataclass(frozen=True)
class OutcomeFigure:
    """Outcomes of the stories about one theme: shares better and worse, with an interval."""

    theme: str | None
    stories: int
    better: Metric
    worse: Metric
    mixed: Metric
    better_low: float | None
    better_high: float | None
    sentence: str


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (good also for small n and shares near 0 or 1)."""
    if n <= 0:
        raise ValueError("n must be positive")
    share = successes / n
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def outcome_figures(
    counts: Sequence[OutcomeCount],
    theme_names: dict[str, str],
    rules: SuppressionRules,
    fmt: Formatter,
) -> list[OutcomeFigure]:
    """One figure for all stories, then one per theme (in `theme_names` order)."""
    by_theme: dict[str | None, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(OUTCOME_WORDS, 0)
    )
    for row in counts:
        by_theme[row.theme][row.outcome] += row.n
    themes = [None] + [key for key in theme_names if key in by_theme]
    return [
        _figure(theme, by_theme[theme], theme_names, rules, fmt)
        for theme in themes
        if theme in by_theme
    ]


def _figure(theme, cells, theme_names, rules, fmt: Formatter) -> OutcomeFigure:
    _ = fmt._
    n = sum(cells.values())
    basis = Basis(stories=n)
    hide = too_few_stories(n, rules)
    shares = {o: (cells[o] / n if n else None) for o in OUTCOME_WORDS}
    better, worse, mixed = (
        metric(shares[o], "share", basis, rules, hide=hide)
        for o in ("beter", "slechter", "gemengd")
    )
    name = _("all stories") if theme is None else theme_names.get(theme, theme)
    if theme is not None:
        name = name.lower()  # "de verhalen over eenzaamheid", "the stories about loneliness"
    if hide:
        sentence = _("Too few stories about %(theme)s to say what changed (fewer than %(k)s).") % {
            "theme": name,
            "k": rules.min_stories,
        }
        return OutcomeFigure(theme, n, better, worse, mixed, None, None, sentence)
    low, high = wilson_interval(cells["beter"], n)
    values = {
        "theme": name,
        "better": fmt.numbers.percent(shares["beter"], 0),
        "worse": fmt.numbers.percent(shares["slechter"], 0),
        "mixed": fmt.numbers.percent(shares["gemengd"], 0),
        "n": fmt.numbers.count(n),
        "low": fmt.numbers.percent(low, 0),
        "high": fmt.numbers.percent(high, 0),
    }
    if theme is None:
        template = _(
            "Of all stories, %(better)s report an improvement, %(worse)s a deterioration and "
            "%(mixed)s both (basis: %(n)s stories; 95%% interval for improvement "
            "%(low)s to %(high)s)."
        )
    else:
        template = _(
            "Of the stories about %(theme)s, %(better)s report an improvement, %(worse)s a "
            "deterioration and %(mixed)s both (basis: %(n)s stories; 95%% interval for "
            "improvement %(low)s to %(high)s)."
        )
    return OutcomeFigure(theme, n, better, worse, mixed, low, high, template % values)


def outcome_paragraphs(figures: Sequence[OutcomeFigure], fmt: Formatter) -> list[str]:
    """The report section's text: one sentence per figure and how to read them."""
    _ = fmt._
    if not figures:
        return []
    note = _(
        "What changed is read from each story by the software and checked by staff, whose "
        "reading counts. A story without a described change counts as 'no change'. The "
        "interval shows the range in which the true share probably lies."
    )
    return [figure.sentence for figure in figures] + [note]


def outcomes_json(figures: Sequence[OutcomeFigure]) -> list[dict[str, Any]]:
    """The figures as JSON-ready data (suppressed shares are null)."""
    return [
        {
            "theme": figure.theme,
            "stories": figure.stories if figure.better.shown else None,
            "share_better": figure.better.value,
            "share_worse": figure.worse.value,
            "share_mixed": figure.mixed.value,
            "better_interval_95": (
                [round(figure.better_low, 4), round(figure.better_high, 4)]
                if figure.better_low is not None
                else None
            ),
            "suppressed": not figure.better.shown,
            "sentence": figure.sentence,
        }
        for figure in figures
    ]
