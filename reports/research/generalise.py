"""k-anonymity for the research export: generalise area, age band and period, suppress the rest.

The quasi-identifiers are (area, age band, period). A *class* is the set of exported stories
that share all three published values; every class must hold at least k stories.

Algorithm (global recoding along a fixed chain, then suppression):

1. Every level in `LEVELS` is evaluated on the whole input, from most to least detailed:
   wijk×band×month, wijk×band×quarter, stadsdeel×band×month, stadsdeel×band×quarter,
   stadsdeel×broad band×quarter, stadsdeel×(no age)×quarter, city×(no age)×quarter,
   city×(no age)×year. At a level, each story's published values are computed (a missing
   value becomes "onbekend", which counts as a value like any other), stories are grouped into
   classes, and the stories in classes smaller than k are counted as "would be suppressed".
2. The chosen level is the first (most detailed) one whose suppression is at most
   floor(max_suppression × n) stories (5 % by default). If no level qualifies, the level with
   the fewest suppressed stories is chosen (the earliest one on a tie).
3. At the chosen level, stories in classes smaller than k are left out entirely (suppressed).
   What remains has every class >= k, or is empty.
4. Language and channel are not quasi-identifiers here, but a value that fewer than k of the
   exported stories have (a rare language) is published as "overig". This does not change the
   classes, so the guarantee of step 3 holds.
5. Records are sorted by (period, area, age band, hash of the text), not by database id, and get
   export-local ids S0001, S0002, ...; `initiative` is never exported (small initiatives would
   identify their members).

Recoding is global: one level for the whole export, so no story can be linked across levels.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..data import Period
from .data import ExportRecord, ExportStory, text_digest
from .local_recoding import local_recode

UNKNOWN = "onbekend"
OTHER = "overig"
ALL_AGES = "alle leeftijden"
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSION = 0.05
QUASI_IDENTIFIERS: tuple[str, ...] = ("area", "age_band", "period")

# The webapp's bands (webapp.models.AGE_BANDS) to broader ones. Minors are merged into "tot 45":
# on their own they would almost never reach k. A band not listed here becomes "overig".
AGE_BROAD: Mapping[str, str] = {
    "tot 18": "tot 45",
    "18-29": "tot 45",
    "30-44": "tot 45",
    "45-64": "45-64",
    "65-79": "65+",
    "80+": "65+",
}

AreaLevel = Literal["wijk", "stadsdeel", "city"]
AgeLevel = Literal["band", "broad", "none"]
PeriodLevel = Literal["month", "quarter", "year"]


@dataclass(frozen=True)
class GeneralisationLevel:
    """One global recoding: how detailed area, age band and period are published."""

    area: AreaLevel
    age: AgeLevel
    period: PeriodLevel

    @property
    def label(self) -> str:
        """A short English label such as 'stadsdeel × band × quarter'."""
        return f"{self.area} × {self.age} × {self.period}"


FINEST = GeneralisationLevel("wijk", "band", "month")
LEVELS: tuple[GeneralisationLevel, ...] = (
    FINEST,
    GeneralisationLevel("wijk", "band", "quarter"),
    GeneralisationLevel("stadsdeel", "band", "month"),
    GeneralisationLevel("stadsdeel", "band", "quarter"),
    GeneralisationLevel("stadsdeel", "broad", "quarter"),
    GeneralisationLevel("stadsdeel", "none", "quarter"),
    GeneralisationLevel("city", "none", "quarter"),
    GeneralisationLevel("city", "none", "year"),
)


@dataclass(frozen=True)
class LevelOutcome:
    """What one level would do to the input: classes, stories suppressed, smallest kept class."""

    level: GeneralisationLevel
    n_classes: int
    n_small_classes: int
    n_suppressed: int
    smallest_kept_class: int | None


@dataclass(frozen=True)
class GeneralisationStep:
    """One thing done to the data, for the datasheet: which field, from what to what, how many.

    action is 'coarsen' (a field published less detailed), 'suppress' (stories left out) or
    'recode_rare' (rare values of a non-identifying field published as "overig").
    """

    action: Literal["coarsen", "suppress", "recode_rare"]
    field: str
    n_records: int
    from_level: str = ""
    to_level: str = ""
    n_values: int = 0


@dataclass(frozen=True)
class GeneralisationReport:
    """What `generalise` did and why: the chosen level, every level it weighed, the steps taken."""

    k: int
    max_suppression: float
    n_input: int
    n_output: int
    n_suppressed: int
    level: GeneralisationLevel
    outcomes: tuple[LevelOutcome, ...]
    steps: tuple[GeneralisationStep, ...]
    smallest_class: int | None
    quasi_identifiers: tuple[str, ...] = QUASI_IDENTIFIERS
    # "global": one level for every story; "local": each group as detailed as k allows.
    method: str = "global"
    # Exported stories published with their wijk and their month.
    kept_wijk_and_month: int = 0

    @property
    def kept_wijk_and_month_share(self) -> float:
        """Share of the exported stories that kept both wijk and month (0 when empty)."""
        return self.kept_wijk_and_month / self.n_output if self.n_output else 0.0

    @property
    def suppressed_share(self) -> float:
        """Share of the input stories left out (0 for an empty input)."""
        return self.n_suppressed / self.n_input if self.n_input else 0.0


@dataclass(frozen=True)
class GeneralisedResult:
    """The records to export and the report on how they were made k-anonymous."""

    records: tuple[ExportRecord, ...]
    report: GeneralisationReport
    # The `ExportStory.id` behind each record, in the records' order. Never exported: it lets
    # a caller that kept the texts outside memory join them back (reports.research.spool).
    source_ids: tuple[int, ...] = ()


def published_area(story: ExportStory, level: AreaLevel) -> str:
    """The story's area as published at `level` ("onbekend" when missing)."""
    value = {"wijk": story.wijk, "stadsdeel": story.stadsdeel, "city": story.city}[level]
    return value if value else UNKNOWN


def published_age(story: ExportStory, level: AgeLevel, broad: Mapping[str, str]) -> str:
    """The story's age band as published at `level` ("onbekend" when missing)."""
    if level == "none":
        return ALL_AGES
    if not story.age_band:
        return UNKNOWN
    if level == "broad":
        return broad.get(story.age_band, OTHER)
    return story.age_band


def quasi_identifier(
    story: ExportStory, level: GeneralisationLevel, broad: Mapping[str, str]
) -> tuple[str, str, str]:
    """The (area, age band, period) a story is published with at `level`: its class key."""
    return (
        published_area(story, level.area),
        published_age(story, level.age, broad),
        period_of(story.month, level.period).label,
    )


def evaluate_level(
    stories: Sequence[ExportStory], level: GeneralisationLevel, k: int, broad: Mapping[str, str]
) -> LevelOutcome:
    """Group the stories at `level` and count what k-anonymity would suppress."""
    sizes = Counter(quasi_identifier(story, level, broad) for story in stories)
    small = [size for size in sizes.values() if size < k]
    kept = [size for size in sizes.values() if size >= k]
    return LevelOutcome(level, len(sizes), len(small), sum(small), min(kept, default=None))


def choose_level(outcomes: Sequence[LevelOutcome], allowed: int) -> LevelOutcome:
    """The first outcome suppressing at most `allowed` stories, else the one suppressing least."""
    for outcome in outcomes:
        if outcome.n_suppressed <= allowed:
            return outcome
    return min(outcomes, key=lambda outcome: outcome.n_suppressed)


def generalise(
    stories: Iterable[ExportStory],
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    *,
    levels: Sequence[GeneralisationLevel] = LEVELS,
    age_broad: Mapping[str, str] = AGE_BROAD,
    local: bool = False,
) -> GeneralisedResult:
    """Make the stories k-anonymous on (area, age band, period); see the module docstring.

    Guarantee: every (area, age band, period) combination in the result has >= k records, or
    the result is empty. Nothing is invented: every published value is the story's own value,
    a coarser one containing it, "onbekend" (missing) or "overig"/"alle leeftijden".
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    if not 0 <= max_suppression <= 1:
        raise ValueError(f"max_suppression must be between 0 and 1, not {max_suppression}")
    if not levels:
        raise ValueError("at least one generalisation level is needed")
    stories = list(stories)
    outcomes = tuple(evaluate_level(stories, level, k, age_broad) for level in levels)
    if local:
        return _generalise_locally(stories, k, max_suppression, outcomes, age_broad)
    chosen = choose_level(outcomes, math.floor(max_suppression * len(stories)))
    level = chosen.level
    keys = [quasi_identifier(story, level, age_broad) for story in stories]
    sizes = Counter(keys)
    kept = [story for story, key in zip(stories, keys, strict=True) if sizes[key] >= k]

    steps = _coarsening_steps(kept, level, age_broad)
    n_suppressed = len(stories) - len(kept)
    if n_suppressed:
        steps.append(GeneralisationStep("suppress", "story", n_suppressed))
    languages, language_step = _recode_rare(
        [story.language or UNKNOWN for story in kept], k, "language"
    )
    channels, channel_step = _recode_rare(
        [story.channel or UNKNOWN for story in kept], k, "channel"
    )
    steps += [step for step in (language_step, channel_step) if step is not None]

    records, source_ids = _records(kept, level, age_broad, languages, channels)
    report = GeneralisationReport(
        k=k,
        max_suppression=max_suppression,
        n_input=len(stories),
        n_output=len(records),
        n_suppressed=n_suppressed,
        level=level,
        outcomes=outcomes,
        steps=tuple(steps),
        smallest_class=chosen.smallest_kept_class if records else None,
    )
    return GeneralisedResult(records, report, source_ids)


def _coarsening_steps(
    kept: Sequence[ExportStory], level: GeneralisationLevel, broad: Mapping[str, str]
) -> list[GeneralisationStep]:
    """One 'coarsen' step per quasi-identifier the chosen level publishes less detailed."""
    steps = []
    if level.area != FINEST.area:
        changed = sum(
            published_area(story, level.area) != published_area(story, FINEST.area)
            for story in kept
        )
        steps.append(GeneralisationStep("coarsen", "area", changed, FINEST.area, level.area))
    if level.age != FINEST.age:
        changed = sum(
            published_age(story, level.age, broad) != published_age(story, FINEST.age, broad)
            for story in kept
        )
        steps.append(GeneralisationStep("coarsen", "age_band", changed, FINEST.age, level.age))
    if level.period != FINEST.period:
        steps.append(
            GeneralisationStep("coarsen", "period", len(kept), FINEST.period, level.period)
        )
    return steps


def _recode_rare(
    values: list[str], k: int, field: str
) -> tuple[list[str], GeneralisationStep | None]:
    """Publish values that fewer than k stories have as "overig"; say how many were replaced."""
    counts = Counter(values)
    rare = {value for value, count in counts.items() if count < k and value not in (OTHER, UNKNOWN)}
    if not rare:
        return values, None
    recoded = [OTHER if value in rare else value for value in values]
    n_records = sum(counts[value] for value in rare)
    step = GeneralisationStep("recode_rare", field, n_records, to_level=OTHER, n_values=len(rare))
    return recoded, step


def _records(
    kept: Sequence[ExportStory],
    level: GeneralisationLevel,
    broad: Mapping[str, str],
    languages: Sequence[str],
    channels: Sequence[str],
) -> tuple[tuple[ExportRecord, ...], tuple[int, ...]]:
    """The published records in a content-based order with export-local ids, and the id of the
    story behind each."""
    rows = []
    for story, language, channel in zip(kept, languages, channels, strict=True):
        period = period_of(story.month, level.period)
        area, age = published_area(story, level.area), published_age(story, level.age, broad)
        rows.append(
            (
                (period.start, area, age, text_digest(story)),
                story,
                period,
                area,
                age,
                language,
                channel,
            )
        )
    rows.sort(key=lambda row: row[0])
    width = max(4, len(str(len(rows))))
    records = tuple(
        ExportRecord(
            export_id=f"S{number:0{width}d}",
            text=story.text,
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            area=area,
            area_level=level.area,
            age_band=age,
            language=language,
            channel=channel,
            themes=story.themes,
            signification=story.signification,
            outcome=story.outcome,
            theme_outcomes=story.theme_outcomes,  # shared, never changed
        )
        for number, (_, story, period, area, age, language, channel) in enumerate(rows, start=1)
    )
    return records, tuple(row[1].id for row in rows)


def _generalise_locally(
    stories: list[ExportStory],
    k: int,
    max_suppression: float,
    outcomes: tuple[LevelOutcome, ...],
    broad: Mapping[str, str],
) -> GeneralisedResult:
    """`generalise` by local recoding (see reports.research.local_recoding)."""
    recoded, dropped = local_recode(
        stories, k, broad, max_suppressed=math.floor(max_suppression * len(stories))
    )
    languages, language_step = _recode_rare(
        [item.story.language or UNKNOWN for item in recoded], k, "language"
    )
    channels, channel_step = _recode_rare(
        [item.story.channel or UNKNOWN for item in recoded], k, "channel"
    )
    rows = []
    for item, language, channel in zip(recoded, languages, channels, strict=True):
        period = period_of(item.story.month, item.period_level)
        key = (period.start, item.area, item.age, text_digest(item.story))
        rows.append((key, item, period, language, channel))
    rows.sort(key=lambda row: row[0])
    width = max(4, len(str(len(rows))))
    records = tuple(
        ExportRecord(
            export_id=f"S{number:0{width}d}",
            text=item.story.text,
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            area=item.area,
            area_level=item.area_level,
            age_band=item.age,
            language=language,
            channel=channel,
            themes=item.story.themes,
            signification=item.story.signification,
            outcome=item.story.outcome,
            theme_outcomes=item.story.theme_outcomes,  # shared, never changed
        )
        for number, (_key, item, period, language, channel) in enumerate(rows, start=1)
    )
    steps = _local_steps(recoded)
    if dropped:
        steps.append(GeneralisationStep("suppress", "story", len(dropped)))
    steps += [step for step in (language_step, channel_step) if step is not None]
    classes = Counter((r.area, r.age_band, r.period) for r in records)
    coarsest = GeneralisationLevel(
        min((i.area_level for i in recoded), key=_AREA_ORDER.index, default="city"),
        min((i.age_level for i in recoded), key=_AGE_ORDER.index, default="none"),
        min((i.period_level for i in recoded), key=_PERIOD_ORDER.index, default="year"),
    )
    report = GeneralisationReport(
        k=k,
        max_suppression=max_suppression,
        n_input=len(stories),
        n_output=len(records),
        n_suppressed=len(dropped),
        level=coarsest,
        outcomes=outcomes,
        steps=tuple(steps),
        smallest_class=min(classes.values(), default=None),
        method="local",
        kept_wijk_and_month=sum(
            i.area_level == "wijk" and i.period_level == "month" for i in recoded
        ),
    )
    return GeneralisedResult(records, report, tuple(row[1].story.id for row in rows))


_AREA_ORDER = ("city", "stadsdeel", "wijk")
_AGE_ORDER = ("none", "broad", "band")
_PERIOD_ORDER = ("year", "quarter", "month")


def _local_steps(recoded) -> list[GeneralisationStep]:
    """Per quasi-identifier: how many stories were published less detailed, and how far."""
    steps = []
    for field, finest, attribute, order in (
        ("area", "wijk", "area_level", _AREA_ORDER),
        ("age_band", "band", "age_level", _AGE_ORDER),
        ("period", "month", "period_level", _PERIOD_ORDER),
    ):
        levels = Counter(getattr(item, attribute) for item in recoded)
        for level in order:
            if level != finest and levels.get(level):
                steps.append(GeneralisationStep("coarsen", field, levels[level], finest, level))
    return steps


@functools.lru_cache(maxsize=4096)
def period_of(month: dt.date, level: PeriodLevel) -> Period:
    """The month, quarter or year that contains `month` (one shared object per period, so a
    large export does not hold a copy of its dates and label per story)."""
    if level == "month":
        return Period.parse(f"{month.year}-{month.month:02d}")
    if level == "quarter":
        return Period.parse(f"{month.year}-Q{(month.month - 1) // 3 + 1}")
    return Period.parse(str(month.year))
