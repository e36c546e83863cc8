"""Small-cell suppression: numbers based on too few stories or initiatives are never shown.

A suppressed `Metric` keeps no value at all (not even in its basis), so no exporter can leak it.
Secondary suppression hides a second cell wherever a published total would otherwise let a
reader work out a hidden cell by subtraction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

MIN_STORIES = 5
MIN_INITIATIVES = 3

Unit = Literal["count", "share", "points", "eur", "per_1000", "hours", "decimal"]


@dataclass(frozen=True)
class SuppressionRules:
    """Thresholds below which a cell is hidden (the municipality's privacy policy)."""

    min_stories: int = MIN_STORIES
    min_initiatives: int = MIN_INITIATIVES


@dataclass(frozen=True)
class Basis:
    """What a figure rests on: stories counted, initiatives that reported, of how many expected;
    for a subsidy figure, the initiatives whose granted subsidy it adds up."""

    stories: int | None = None
    initiatives_reporting: int | None = None
    initiatives_active: int | None = None
    initiatives_funded: int | None = None

    @property
    def reporting_share(self) -> float | None:
        """Share of expected initiatives that reported (None when not known)."""
        if not self.initiatives_active or self.initiatives_reporting is None:
            return None
        return min(1.0, self.initiatives_reporting / self.initiatives_active)

    def redacted(self, rules: SuppressionRules) -> Basis:
        """This basis without story counts that are themselves too small to show."""
        if self.stories is not None and self.stories < rules.min_stories:
            return replace(self, stories=None)
        return self


@dataclass(frozen=True)
class Metric:
    """One number in the report with its unit and basis; `value` is None when suppressed."""

    value: float | None
    unit: Unit
    basis: Basis
    suppressed: bool = False
    # For shares: the 95% Wilson score interval (low, high); None for other units.
    interval: tuple[float, float] | None = None

    @property
    def shown(self) -> bool:
        """True when the report may print this number."""
        return not self.suppressed and self.value is not None


def metric(
    value: float | None,
    unit: Unit,
    basis: Basis,
    rules: SuppressionRules,
    *,
    hide: bool = False,
) -> Metric:
    """A Metric, or its suppressed form (value dropped, basis redacted) when `hide` is true."""
    if hide:
        return Metric(None, unit, basis.redacted(rules), suppressed=True)
    return Metric(value, unit, basis)


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval for a share k/n (Wilson 1927); None when n is 0.

    Unlike k/n ± z·SE it stays inside 0..1 and is honest for small n and shares near 0 or 1.
    """
    if n <= 0:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def hidden(metric_: Metric, rules: SuppressionRules) -> Metric:
    """The suppressed form of an existing metric."""
    return Metric(None, metric_.unit, metric_.basis.redacted(rules), suppressed=True)


def too_few_stories(n: int | None, rules: SuppressionRules) -> bool:
    """True when a count of stories is too small to publish (unknown counts included)."""
    return n is None or n < rules.min_stories


def too_few_initiatives(n: int | None, rules: SuppressionRules) -> bool:
    """True when a figure rests on fewer initiatives than the policy allows."""
    return n is None or n < rules.min_initiatives


def secondary_suppression(
    values: dict[Hashable, float],
    hidden_keys: set[Hashable],
    groups: Iterable[Iterable[Hashable]],
) -> set[Hashable]:
    """Extend `hidden_keys` so that no group with a published total has exactly one hidden cell.

    Each group is a set of cells whose total is published elsewhere (a row or column total).
    If exactly one cell of such a group is hidden, the smallest other cell is hidden
    too; this repeats until every group is safe. Returns the new set of hidden keys.
    """
    result = set(hidden_keys)
    group_list = [list(group) for group in groups]
    changed = True
    while changed:
        changed = False
        for group in group_list:
            hidden_in_group = [key for key in group if key in result]
            if len(hidden_in_group) != 1:
                continue
            candidates = [key for key in group if key not in result]
            if not candidates:
                continue
            result.add(min(candidates, key=lambda key: (values.get(key, 0), str(key))))
            changed = True
    return result
