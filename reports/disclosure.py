"""Small-cell suppression that holds across reports: one decision per cell, for every report.

Published story counts are cells of one grid per year: area (city → stadsdeel → wijk, each
with its "onbekend" part) × period (year → quarter → month) × column (all stories, or one
theme). A report for any published period, area and theme only reads cells of this grid,
and which cells are hidden is decided once for the whole grid, so two reports can never
disagree about a cell, and no difference of published cells gives a hidden one away:

1. primary: a cell with 1 to `min_size - 1` stories is hidden;
2. secondary: in every sum the grid publishes (a parent cell and its parts, along either
   hierarchy), when the parent is shown, the hidden parts are at least two and together
   hold at least `min_size` stories; when the parent is hidden, at least one of its
   non-empty parts is hidden too (else the parts would add up to it).

The rules repeat until nothing changes. Themes are separate columns: a story can have several
themes, so theme counts are not parts of one sum and cannot be subtracted from each other.
See docs/report-disclosure.md for the method and its limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ALL_STORIES = ""  # the column of all stories, whatever their themes
SELF = "."  # in PublishedCells: the report's own area

Key = tuple[str, str, str]  # (area, period label, column)


def period_tree(year: int) -> dict[str, list[str]]:
    """The year's period hierarchy: '2026' → quarters, '2026-Q1' → its three months."""
    tree = {str(year): [f"{year}-Q{q}" for q in range(1, 5)]}
    for quarter in range(1, 5):
        first = 3 * quarter - 2
        tree[f"{year}-Q{quarter}"] = [f"{year}-{m:02d}" for m in range(first, first + 3)]
    return tree


def grid_values(
    leaf_counts: Mapping[Key, int],
    area_tree: Mapping[str, list[str]],
    time_tree: Mapping[str, list[str]],
    columns: Iterable[str],
) -> dict[Key, int]:
    """Every cell of the grid, summed up both hierarchies from (leaf area, month, column)."""
    values: dict[Key, int] = {}

    def value(area: str, time: str, column: str) -> int:
        key = (area, time, column)
        if key not in values:
            if area in area_tree:
                values[key] = sum(value(child, time, column) for child in area_tree[area])
            elif time in time_tree:
                values[key] = sum(value(area, child, column) for child in time_tree[time])
            else:
                values[key] = leaf_counts.get(key, 0)
        return values[key]

    for column in columns:
        for area in _all_nodes(area_tree):
            for time in _all_nodes(time_tree):
                value(area, time, column)
    return values


def sum_groups(
    area_tree: Mapping[str, list[str]],
    time_tree: Mapping[str, list[str]],
    columns: Iterable[str],
) -> list[tuple[Key, list[Key]]]:
    """Every (parent cell, its parts) the grid publishes, along areas and along periods."""
    areas, times = _all_nodes(area_tree), _all_nodes(time_tree)
    groups = []
    for column in columns:
        for time in times:
            for parent, children in area_tree.items():
                groups.append(((parent, time, column), [(c, time, column) for c in children]))
        for area in areas:
            for parent, children in time_tree.items():
                groups.append(((area, parent, column), [(area, t, column) for t in children]))
    return groups


def protect(
    values: Mapping[Key, int], groups: list[tuple[Key, list[Key]]], min_size: int
) -> set[Key]:
    """The hidden cells: primary small cells plus the secondary cells that protect them."""
    hidden = {key for key, value in values.items() if 0 < value < min_size}
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            extra = _one_more_to_hide(parent, children, values, hidden, min_size)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return hidden


def _one_more_to_hide(parent, children, values, hidden, min_size):
    hidden_parts = [child for child in children if child in hidden]
    if parent in hidden:
        if hidden_parts or not values[parent]:
            return None
        unsafe = True  # all parts shown would add up to the hidden parent
    elif not hidden_parts:
        return None
    else:
        unsafe = len(hidden_parts) == 1 or sum(values[c] for c in hidden_parts) < min_size
    if not unsafe:
        return None
    candidates = [child for child in children if child not in hidden]
    if not candidates:
        return None
    # The smallest non-empty part loses least; an empty part only when nothing else is left.
    return min(candidates, key=lambda key: (values[key] == 0, values[key], key))


def _all_nodes(tree: Mapping[str, list[str]]) -> list[str]:
    nodes = dict.fromkeys(tree)
    for children in tree.values():
        nodes.update(dict.fromkeys(children))
    return list(nodes)


@dataclass(frozen=True)
class PublishedCells:
    """Which of a report's story cells are hidden, as decided on the whole grid.

    Keys are (area, period label, column): area is SELF for the report's own area, or a
    subarea's name as the report's breakdown shows it.
    """

    hidden: frozenset[Key]

    def is_hidden(self, area: str, period: str, column: str) -> bool:
        return (area, period, column) in self.hidden


def decide_hidden_cells(
    leaf_counts: Mapping[Key, int],
    area_tree: Mapping[str, list[str]],
    years: Iterable[int],
    columns: Iterable[str],
    min_size: int,
) -> set[Key]:
    """Hidden cells of the grid over the given years (each year its own hierarchy)."""
    columns = list(columns)
    hidden: set[Key] = set()
    by_year: dict[int, dict[Key, int]] = defaultdict(dict)
    for (area, month, column), n in leaf_counts.items():
        by_year[int(month[:4])][(area, month, column)] = n
    for year in years:
        time_tree = period_tree(year)
        values = grid_values(by_year.get(year, {}), area_tree, time_tree, columns)
        hidden |= protect(values, sum_groups(area_tree, time_tree, columns), min_size)
    return hidden
