"""Local recoding for the research export: each group of stories as detailed as k allows.

A Mondrian-style top-down partition (LeFevre, DeWitt & Ramakrishnan 2006) over the three
quasi-identifiers, each a hierarchy:

    area:   city → stadsdeel → wijk       (a missing value keeps the last known level)
    period: year → quarter → month
    age:    all ages → broad band → band  (a missing band is "onbekend")

Stories start in groups by city and year (a group smaller than k is left out). A group is split on the first
attribute, in the order area, period, age, that can be made one level finer: the stories are
divided by their finer value, every part with at least k stories becomes its own group, and
the parts with fewer than k are pooled into a "rest" group that keeps the coarser value. A rest
smaller than k is left out while the suppression budget (the export's `max_suppression`)
lasts; otherwise the smallest part that could split off joins it. A split that leaves fewer
than two groups is not made. Groups are split again until no attribute can be refined.

Every group publishes one (area, age band, period) combination and holds at least k stories.
Groups never overlap in what they publish: a rest group's coarse value only covers stories of
its own parts that were too few, and the parts that split off publish finer values. So every
published combination occurs at least k times, and wijk and month are kept wherever at least
k stories share them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .data import ExportStory

UNKNOWN = "onbekend"
ALL_AGES = "alle leeftijden"
OTHER = "overig"

AREA_LEVELS = ("city", "stadsdeel", "wijk")
PERIOD_LEVELS = ("year", "quarter", "month")
AGE_LEVELS = ("none", "broad", "band")
ATTRIBUTES = ("area", "period", "age")


@dataclass(frozen=True, slots=True)
class Recoded:
    """One story's published quasi-identifiers and how detailed each is."""

    story: ExportStory
    area: str
    area_level: str
    age: str
    age_level: str
    period_level: str


def area_value(story: ExportStory, level: str) -> tuple[str, str]:
    """(value, level actually published): a story without a wijk stays at its stadsdeel."""
    chain = [("city", story.city), ("stadsdeel", story.stadsdeel), ("wijk", story.wijk)]
    best = (UNKNOWN, "city")
    for name, value in chain[: AREA_LEVELS.index(level) + 1]:
        if value:
            best = (value, name)
    return best


def age_value(story: ExportStory, level: str, broad: Mapping[str, str]) -> str:
    if level == "none":
        return ALL_AGES
    if not story.age_band:
        return UNKNOWN
    return broad.get(story.age_band, OTHER) if level == "broad" else story.age_band


def period_value(story: ExportStory, level: str) -> str:
    month = story.month
    if level == "month":
        return f"{month.year}-{month.month:02d}"
    if level == "quarter":
        return f"{month.year}-Q{(month.month - 1) // 3 + 1}"
    return str(month.year)


_LEVELS = {"area": AREA_LEVELS, "period": PERIOD_LEVELS, "age": AGE_LEVELS}


def _value(story: ExportStory, attribute: str, level: str, broad: Mapping[str, str]) -> str:
    if attribute == "area":
        return area_value(story, level)[0]
    if attribute == "period":
        return period_value(story, level)
    return age_value(story, level, broad)


def local_recode(
    stories: Sequence[ExportStory], k: int, broad: Mapping[str, str], max_suppressed: int = 0
) -> tuple[list[Recoded], list[ExportStory]]:
    """The recoded stories, and the stories left out: those whose city and year (the coarsest
    values there are) fewer than k stories share."""
    start = {"area": "city", "period": "year", "age": "none"}
    by_city_year: dict[tuple[str, str], list[ExportStory]] = defaultdict(list)
    for story in stories:
        by_city_year[(area_value(story, "city")[0], period_value(story, "year"))].append(story)
    dropped = [s for group in by_city_year.values() if len(group) < k for s in group]
    finished: list[tuple[list[ExportStory], dict[str, str]]] = []
    pending = [(group, start) for group in by_city_year.values() if len(group) >= k]
    budget = [max(0, max_suppressed - len(dropped))]
    while pending:
        group, levels = pending.pop()
        parts = _split(group, levels, k, broad, budget, dropped)
        if parts is None:
            finished.append((group, levels))
        else:
            pending.extend(parts)
    recoded = []
    for group, levels in finished:
        for story in group:
            area, area_level = area_value(story, levels["area"])
            recoded.append(
                Recoded(
                    story,
                    area,
                    area_level,
                    age_value(story, levels["age"], broad),
                    levels["age"],
                    levels["period"],
                )
            )
    return recoded, dropped


def _split(group, levels, k, broad, budget, dropped):
    """The first refinement (area, then period, then age) that yields two or more groups.

    A rest of fewer than k stories is left out while the suppression budget lasts, else the
    smallest part that could split off joins it.
    """
    for attribute in ATTRIBUTES:
        chain = _LEVELS[attribute]
        position = chain.index(levels[attribute])
        if position + 1 == len(chain):
            continue
        finer = chain[position + 1]
        by_value: dict[str, list[ExportStory]] = defaultdict(list)
        for story in group:
            by_value[_value(story, attribute, finer, broad)].append(story)
        kept = sorted(
            (members for members in by_value.values() if len(members) >= k),
            key=lambda members: (len(members), _value(members[0], attribute, finer, broad)),
        )
        rest = [story for members in by_value.values() if len(members) < k for story in members]
        if rest and len(rest) < k and kept and budget[0] >= len(rest):
            budget[0] -= len(rest)
            dropped.extend(rest)
            rest = []
        elif rest and len(rest) < k and kept:
            rest += kept.pop(0)  # the smallest part joins the rest so the rest reaches k
        groups = [(members, {**levels, attribute: finer}) for members in kept]
        if rest:
            groups.append((rest, levels))
        if len(groups) >= 2:
            return groups
        if not rest and len(kept) == 1:
            return [(kept[0], {**levels, attribute: finer})]  # one value: finer costs nothing
    return None
