"""The input and output contract of the research export: plain data in, plain records out.

The caller (the webapp's export service) selects the stories with research consent that are not
withdrawn, anonymises their texts and fills `ExportStory`/`ExportMeta`. `generalise` turns the
stories into `ExportRecord`s, the only thing the writers see: no database id, no wijk or month
unless the k-anonymity rule allowed it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

ThemeSource = Literal["model", "human"]
THEME_SOURCES: tuple[str, ...] = ("model", "human")


class ThemeTag(NamedTuple):
    """One theme on one story: its key, the model's score (None for a human label) and who set it."""

    key: str
    score: float | None
    source: ThemeSource


# slots: a large export holds one of these per story (see reports.research.spool).
@dataclass(frozen=True, slots=True)
class ExportStory:
    """One story as the caller hands it over: text already anonymised, metadata not yet generalised.

    `month` may be any day of the month; only year and month are used. Plain
    `(key, score, source)` tuples are accepted for `themes` and turned into `ThemeTag`s.
    `initiative` is accepted but never exported (see `generalise`).
    """

    id: int
    text: str
    month: dt.date
    wijk: str | None = None
    stadsdeel: str | None = None
    city: str | None = None
    age_band: str | None = None
    language: str | None = None
    channel: str = "form"
    themes: Sequence[ThemeTag] = ()
    initiative: str | None = None
    # The resident's own answers as flat cells ("sig_definition_id", "sig_voor_na", ...).
    signification: Mapping[str, Any] = field(default_factory=dict)
    outcome: str = ""  # beter/slechter/gemengd/geen as it counts (staff over model); "" unread
    theme_outcomes: dict[str, str] = field(default_factory=dict)
    # sha256 of the text, for a caller that keeps texts outside memory and passes text="".
    text_digest: str = ""

    def __post_init__(self) -> None:
        tags = self.themes
        if not (isinstance(tags, tuple) and all(isinstance(tag, ThemeTag) for tag in tags)):
            tags = tuple(ThemeTag(*tag) for tag in tags)  # a given tuple of tags stays shared
        for tag in tags:
            if tag.source not in THEME_SOURCES:
                raise ValueError(f"story {self.id}: theme source {tag.source!r} is not model/human")
            if tag.score is not None and not math.isfinite(tag.score):
                raise ValueError(f"story {self.id}: theme {tag.key!r} has score {tag.score}")
        object.__setattr__(self, "themes", tags)
        object.__setattr__(self, "month", dt.date(self.month.year, self.month.month, 1))


def text_digest(story: ExportStory) -> str:
    """The story's text digest: the one given, else sha256 of its text (hex)."""
    return story.text_digest or hashlib.sha256(story.text.encode("utf-8")).hexdigest()


class ThemeDescription(Protocol):
    """What the export needs to know about a theme (`nlp.themes.Theme` fits as it is)."""

    key: str
    name_nl: str
    name_en: str
    definition: str


@dataclass(frozen=True)
class ExportTheme:
    """A theme's names and definition, for the codebook and the datasheet."""

    key: str
    name_nl: str
    name_en: str
    definition: str = ""


@dataclass(frozen=True)
class ExportMeta:
    """Facts about one export that the datasheet and the .qdpx state; all passed in, none looked up.

    `exported_by` is a role ("onderzoeker", "beheerder"), never a person's name. Recall and
    precision are the anonymiser's measured scores (0..1) on the evaluation set named in
    `anonymiser_evaluation`. `anonymiser` and `anonymiser_evaluation` are one text, or one
    text per README language ({"nl": ..., "en": ...}) so that each section reads in its own
    language. `seed` makes GUIDs reproducible; by default it is `created_at`.
    """

    created_at: dt.datetime
    exported_by: str
    model_version: str
    anonymiser: str | Mapping[str, str]
    anonymiser_recall: float | None = None
    anonymiser_precision: float | None = None
    anonymiser_evaluation: str | Mapping[str, str] = ""
    themes: Sequence[ThemeDescription] = ()
    filters: Mapping[str, str] = field(default_factory=dict)
    project_name: str = "Weefsel onderzoeksexport"
    software: str = "Weefsel"
    usage_terms: str = ""
    seed: str | None = None

    @property
    def export_seed(self) -> str:
        """The string every GUID of this export is derived from."""
        return self.seed if self.seed is not None else self.created_at.isoformat()

    def theme_names(self) -> dict[str, ExportTheme]:
        """Theme key -> names and definition, in the order given."""
        return {
            theme.key: ExportTheme(theme.key, theme.name_nl, theme.name_en, theme.definition)
            for theme in self.themes
        }


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One story as it leaves Weefsel: export-local id, generalised metadata, no database id.

    `period_start`/`period_end` bound the published period (inclusive); `area_level` says
    whether `area` is a wijk, a stadsdeel, a city or absent.
    """

    export_id: str
    text: str
    period: str
    period_start: dt.date
    period_end: dt.date
    area: str
    area_level: str
    age_band: str
    language: str
    channel: str
    themes: tuple[ThemeTag, ...]
    signification: Mapping[str, Any] = field(default_factory=dict)
    outcome: str = ""
    theme_outcomes: dict[str, str] = field(default_factory=dict)

    @property
    def theme_keys(self) -> tuple[str, ...]:
        """The distinct theme keys on this story, sorted."""
        return tuple(sorted({tag.key for tag in self.themes}))

    def theme_source(self, key: str) -> ThemeSource:
        """'human' when a person set or confirmed this theme, else 'model'."""
        sources = {tag.source for tag in self.themes if tag.key == key}
        return "human" if "human" in sources else "model"


def ordered_theme_keys(
    records: Iterable[ExportRecord], themes: Sequence[ThemeDescription] = ()
) -> list[str]:
    """The export's theme keys: the given themes in their order, then any others found, sorted."""
    keys = [theme.key for theme in themes]
    found = sorted({key for record in records for key in record.theme_keys} - set(keys))
    return keys + found


def signification_columns(records: Iterable[ExportRecord]) -> list[str]:
    """The self-signification cells found in the records, in first-seen order."""
    return list(dict.fromkeys(key for record in records for key in record.signification))
