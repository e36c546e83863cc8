"""Test data for the research export: stories, records and export metadata built by hand."""

from __future__ import annotations

import datetime as dt

from reports.research import ExportMeta, ExportRecord, ExportStory, ExportTheme, ThemeTag

THEMES = (
    ExportTheme("eenzaamheid", "Eenzaamheid", "Loneliness", "Je alleen voelen."),
    ExportTheme("armoede", "Armoede", "Poverty", "Niet genoeg geld hebben."),
    ExportTheme("gezondheid", "Gezondheid", "Health", ""),
)
CREATED_AT = dt.datetime(2026, 4, 2, 9, 30, tzinfo=dt.UTC)

TRICKY_TEXTS = (
    "Gewoon een verhaal.",
    "Emoji 👩🏽‍🦱 en 🎉, en een vlag 🇳🇱.",
    "مرحبا، أنا أسكن هنا منذ عشر سنوات.",
    "שלום, mixed RTL עברית and LTR text.",
    "Regel één\r\nregel twee\r\n",
    "Alleen CR\rhier, en LF\nhier.",
    "Ze zei \"hoi\" en 'dag'.",
    "Puntkomma; komma, tab\tklaar",
    "=SUM(1+1) begint met een formuleteken",
    "",
)


def make_story(
    story_id: int,
    text: str | None = None,
    month: dt.date = dt.date(2026, 1, 1),
    wijk: str | None = "Lombok",
    stadsdeel: str | None = "West",
    city: str | None = "Utrecht",
    age_band: str | None = "30-44",
    language: str | None = "nl",
    channel: str = "form",
    themes: tuple = (("armoede", 0.91, "model"),),
    initiative: str | None = "Buurthuis De Boog",
) -> ExportStory:
    """A story with sensible defaults; the text defaults to one naming its id."""
    return ExportStory(
        id=story_id,
        text=text if text is not None else f"verhaal nummer {story_id}",
        month=month,
        wijk=wijk,
        stadsdeel=stadsdeel,
        city=city,
        age_band=age_band,
        language=language,
        channel=channel,
        themes=themes,
        initiative=initiative,
    )


def make_record(number: int, text: str, themes: tuple = ()) -> ExportRecord:
    """A published record, built directly (for the writers' tests)."""
    return ExportRecord(
        export_id=f"S{number:04d}",
        text=text,
        period="2026-Q1",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        area="West",
        area_level="stadsdeel",
        age_band="30-44",
        language="nl",
        channel="form",
        themes=tuple(ThemeTag(*tag) for tag in themes),
    )


def tricky_records() -> list[ExportRecord]:
    """One record per tricky text, with varying themes and theme sources."""
    theme_sets = (
        (("armoede", 0.8, "model"),),
        (("eenzaamheid", None, "human"), ("armoede", 0.6, "model")),
        (),
        (("gezondheid", 0.7, "model"), ("gezondheid", None, "human")),
    )
    return [
        make_record(number, text, theme_sets[(number - 1) % len(theme_sets)])
        for number, text in enumerate(TRICKY_TEXTS, start=1)
    ]


def make_meta(**changes) -> ExportMeta:
    """Export metadata as the webapp would pass it."""
    values = {
        "created_at": CREATED_AT,
        "exported_by": "onderzoeker",
        "model_version": "weefsel.themes.v3-2026-03",
        "anonymiser": "weefsel-deid 1.2 (regels + namenlijsten)",
        "anonymiser_recall": 0.934,
        "anonymiser_precision": 0.871,
        "anonymiser_evaluation": "geannoteerde Nederlandse testset, 300 teksten",
        "themes": THEMES,
        "filters": {"periode": "2026-01..2026-03", "stadsdeel": "alle"},
    }
    values.update(changes)
    return ExportMeta(**values)
