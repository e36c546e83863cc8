"""The input contract of reports/: plain rows that the webapp's aggregate queries fill in.

Everything here is already aggregated: counts per month, theme and area, activity sums per
month. No row identifies a resident; quote texts arrive anonymised and publication-consented.
`reports/` trusts the shapes (checked here) but not the sizes: small cells are suppressed later.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .disclosure import PublishedCells

from .outcomes import OutcomeCount
from .signification import SignificationInput

PeriodKind = Literal["month", "quarter", "year", "custom"]
AreaLevel = Literal["city", "stadsdeel", "wijk"]

AREA_LEVELS: tuple[str, ...] = ("city", "stadsdeel", "wijk")
# The subarea row of stories that name no part of the area ("wijk onbekend", "stadsdeel onbekend").
UNKNOWN_SUBAREA = "?"
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


MAX_PERIOD_YEARS = 5
MAX_PERIOD_DAYS = MAX_PERIOD_YEARS * 366


class PeriodError(ValueError):
    """A period text that `Period.parse` cannot read; the message says what is accepted."""


class PeriodTooLong(PeriodError):
    """A date range longer than MAX_PERIOD_YEARS: reports over it would cost minutes of CPU."""


@dataclass(frozen=True)
class Period:
    """A reporting period: a calendar month, quarter, year or a custom date range (inclusive)."""

    kind: PeriodKind
    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read '2026-Q1', '2026-03', '2026' or '2026-01-01..2026-02-15' into a Period."""
        try:
            return cls._parse((text or "").strip())
        except PeriodError:
            raise
        except ValueError as exc:  # e.g. year 0000: no calendar date
            raise PeriodError(f"cannot read period {text!r}: {exc}") from None

    @classmethod
    def _parse(cls, value: str) -> Period:
        text = value
        if match := _MONTH_RE.match(value):
            year, month = int(match[1]), int(match[2])
            last = calendar.monthrange(year, month)[1]
            return cls("month", dt.date(year, month, 1), dt.date(year, month, last), value)
        if match := _QUARTER_RE.match(value):
            year, quarter = int(match[1]), int(match[2])
            first_month = 3 * quarter - 2
            last = calendar.monthrange(year, first_month + 2)[1]
            start, end = dt.date(year, first_month, 1), dt.date(year, first_month + 2, last)
            return cls("quarter", start, end, f"{year}-Q{quarter}")
        if match := _YEAR_RE.match(value):
            year = int(match[1])
            return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31), value)
        if match := _RANGE_RE.match(value):
            try:
                start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            except ValueError as exc:
                raise PeriodError(f"not a calendar date in {value!r}: {exc}") from None
            if end >= start and (end - start).days >= MAX_PERIOD_DAYS:
                raise PeriodTooLong(f"a period is at most {MAX_PERIOD_YEARS} years long: {value!r}")
            return cls("custom", start, end, f"{start.isoformat()}..{end.isoformat()}")
        raise PeriodError(
            f"cannot read period {text!r}: use a year (2026), a quarter (2026-Q1), "
            "a month (2026-03) or a date range (2026-01-01..2026-02-15)"
        )

    def months(self) -> list[str]:
        """The 'YYYY-MM' months the period touches, in order."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def years(self) -> float:
        """Length in years, exact for whole months (a quarter is 0.25), by days otherwise."""
        if self.kind in ("month", "quarter", "year"):
            return len(self.months()) / 12
        return self.days / 365.25


@dataclass(frozen=True)
class Area:
    """The area a report is about: the whole city, one stadsdeel or one wijk."""

    level: AreaLevel
    code: str
    name: str
    population: int | None = None

    def __post_init__(self) -> None:
        if self.level not in AREA_LEVELS:
            raise ValueError(f"area level must be one of {AREA_LEVELS}, not {self.level!r}")
        if self.population is not None and self.population < 0:
            raise ValueError(f"area population cannot be negative: {self.population}")


@dataclass(frozen=True)
class ReportQuery:
    """What was asked: period and area, optionally narrowed to one theme or one initiative."""

    period: Period
    area: Area
    theme: str | None = None
    initiative: str | None = None


@dataclass(frozen=True)
class ThemeMonthCount:
    """Number of stories with `theme` submitted in `month` ('YYYY-MM')."""

    month: str
    theme: str
    n: int


@dataclass(frozen=True)
class MonthTotal:
    """Number of stories (any theme or none) submitted in `month` ('YYYY-MM')."""

    month: str
    n: int


@dataclass(frozen=True)
class SubareaThemeCount:
    """Number of stories with `theme` in one subarea (stadsdeel of a city, wijk of a stadsdeel)."""

    subarea: str
    theme: str
    n: int


@dataclass(frozen=True)
class ThemeCount:
    """Number of stories with `theme` in the whole period (used for the previous period)."""

    theme: str
    n: int


@dataclass(frozen=True)
class ActivityMonth:
    """Sums of all initiatives' monthly activity reports for one month.

    `unique_participants` and `volunteers` are counted per month, so they cannot be added up
    over months; `initiatives_reporting` is how many initiatives sent a report that month.
    """

    month: str
    activities: int = 0
    visits: int = 0
    unique_participants: int = 0
    new_participants: int = 0
    volunteers: int = 0
    volunteer_hours: float = 0.0
    meals: int = 0
    initiatives_reporting: int = 0


@dataclass(frozen=True)
class SubareaActivity:
    """Activity of the initiatives in one part of the area, over the whole period."""

    subarea: str
    activities: int = 0
    visits: int = 0
    initiatives_reporting: int = 0


@dataclass(frozen=True)
class InitiativeActivity:
    """One initiative's totals in the period, for the list of most active initiatives."""

    name: str
    activities: int
    visits: int


@dataclass(frozen=True)
class QuoteCandidate:
    """A publication-consented story text, already anonymised, that may be quoted for `theme`.

    Personal data in `text` is replaced by tags such as ``[PERSOON-1]`` or ``[TELEFOON]``;
    `outcome`: what changed for the theme in the story (``nlp.outcome`` labels), None when the
    story has no outcome reading."""

    story_id: int | str
    theme: str
    text: str
    score: float
    month: str
    wijk: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class ReportInput:
    """All aggregates one report needs; the webapp's report service fills this in.

    `initiatives_active` is how many initiatives were expected to report in the period;
    `initiatives_reporting` is how many distinct initiatives did (when the query can count them;
    otherwise the highest monthly count is used, which never overstates it).
    `subsidy_total_eur` is the subsidy for this area and period, granted to
    `initiatives_funded` initiatives; `population` overrides `query.area.population` when given.
    """

    query: ReportQuery
    theme_names: dict[str, dict[str, str]] = field(default_factory=dict)
    story_counts_by_month_theme: list[ThemeMonthCount] = field(default_factory=list)
    story_totals_by_month: list[MonthTotal] = field(default_factory=list)
    story_counts_by_subarea_theme: list[SubareaThemeCount] = field(default_factory=list)
    previous_period: Period | None = None
    previous_counts_by_theme: list[ThemeCount] = field(default_factory=list)
    previous_story_total: int | None = None
    activity_by_month: list[ActivityMonth] = field(default_factory=list)
    initiatives_active: int | None = None
    initiatives_reporting: int | None = None
    subsidy_total_eur: float | None = None
    initiatives_funded: int | None = None
    population: int | None = None
    top_initiatives: list[InitiativeActivity] = field(default_factory=list)
    quote_candidates: list[QuoteCandidate] = field(default_factory=list)
    # The previous period's activity per month, and how many initiatives reported in it.
    previous_activity_by_month: list[ActivityMonth] = field(default_factory=list)
    previous_initiatives_reporting: int | None = None
    # Per part of the area: all stories, and activity summed over the period.
    story_totals_by_subarea: dict[str, int] = field(default_factory=dict)
    activity_by_subarea: list[SubareaActivity] = field(default_factory=list)
    # Every part of the area (stadsdelen of a city, wijken of a stadsdeel), with or without stories.
    subareas: list[str] = field(default_factory=list)
    # Stories without any area count for this (single) city: the report says so.
    includes_stories_without_area: bool = False
    # Stories whose themes at least one staff member checked; the rest carry model themes only.
    stories_checked_by_staff: int | None = None
    # The theme model's measured quality: {theme: {"precision": p, "recall": r, "support": n}}.
    model_quality: dict[str, dict[str, float]] = field(default_factory=dict)
    model_version: str | None = None
    # Published reports: the hidden story cells as decided on the whole grid (reports.disclosure);
    # None for staff's custom views, which suppress small cells within the report only.
    published_cells: PublishedCells | None = None
    # Months whose figures are not final: the running month, and months with missing logs.
    incomplete_months: list[str] = field(default_factory=list)
    # Residents' own answers about their stories (reports/signification.py), when collected.
    signification: SignificationInput | None = None
    outcome_counts: list[OutcomeCount] = field(default_factory=list)  # see reports/outcomes.py
    # The first month ('YYYY-MM') with any data (a story or an activity report): months before
    # it were not collected, so they are missing, not zero (see comparisons.period_coverage).
    data_since: str | None = None

    def __post_init__(self) -> None:
        months = set(self.query.period.months())
        for row in (
            *self.story_counts_by_month_theme,
            *self.story_totals_by_month,
            *self.activity_by_month,
        ):
            if not _MONTH_RE.match(row.month):
                raise ValueError(f"month must look like 'YYYY-MM', not {row.month!r} in {row!r}")
            if row.month not in months:
                raise ValueError(f"{row!r} lies outside the period {self.query.period.label}")
        counts = (
            *self.story_counts_by_month_theme,
            *self.story_totals_by_month,
            *self.story_counts_by_subarea_theme,
            *self.previous_counts_by_theme,
        )
        for row in counts:
            if row.n < 0:
                raise ValueError(f"count cannot be negative in {row!r}")
        if self.data_since is not None and not _MONTH_RE.match(self.data_since):
            raise ValueError(f"data_since must look like 'YYYY-MM', not {self.data_since!r}")

    @property
    def has_unknown_subarea(self) -> bool:
        """Whether some story names no part of the area: the breakdown then has that row."""
        if self.query.area.level == "wijk":
            return False
        counted = self.story_totals_by_subarea.get(UNKNOWN_SUBAREA, 0)
        return counted > 0 or any(
            row.subarea == UNKNOWN_SUBAREA and row.n > 0
            for row in self.story_counts_by_subarea_theme
        )

    @property
    def effective_population(self) -> int | None:
        """Inhabitants of the area, from this input or else from the area itself."""
        return self.population if self.population is not None else self.query.area.population

    def theme_keys(self) -> list[str]:
        """Theme keys in a stable order: as named in `theme_names`, then any others seen."""
        keys = list(self.theme_names)
        seen = {row.theme for row in self.story_counts_by_month_theme}
        seen |= {row.theme for row in self.story_counts_by_subarea_theme}
        seen |= {row.theme for row in self.previous_counts_by_theme}
        return keys + sorted(seen - set(keys))

    def theme_name(self, key: str, locale: str) -> str:
        """The theme's display name in `locale` ('nl' or 'en'), falling back to Dutch, then key."""
        names = self.theme_names.get(key, {})
        return names.get(locale[:2]) or names.get("nl") or key
