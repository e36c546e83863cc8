"""Small hand-computed ReportInputs; the expected numbers are written out in the tests."""

from __future__ import annotations

from reports.data import (
    ActivityMonth,
    Area,
    InitiativeActivity,
    MonthTotal,
    Period,
    QuoteCandidate,
    ReportInput,
    ReportQuery,
    SubareaThemeCount,
    ThemeCount,
    ThemeMonthCount,
)

THEME_NAMES = {
    "eenzaamheid": {"nl": "Eenzaamheid", "en": "Loneliness"},
    "armoede": {"nl": "Armoede", "en": "Poverty"},
    "gezondheid": {"nl": "Gezondheid", "en": "Health"},
}

# Stories per month and theme in Noord, first quarter of 2026. Feb/armoede (3) is below 5.
THEME_COUNTS = {
    ("2026-01", "eenzaamheid"): 12,
    ("2026-02", "eenzaamheid"): 15,
    ("2026-03", "eenzaamheid"): 18,
    ("2026-01", "armoede"): 8,
    ("2026-02", "armoede"): 3,
    ("2026-03", "armoede"): 10,
    ("2026-01", "gezondheid"): 20,
    ("2026-02", "gezondheid"): 22,
    ("2026-03", "gezondheid"): 25,
}
MONTH_TOTALS = {"2026-01": 40, "2026-02": 50, "2026-03": 60}


def noord_q1(**overrides) -> ReportInput:
    """Stadsdeel Noord (100,000 inhabitants), 2026-Q1, with every kind of row filled in."""
    fields = dict(
        query=ReportQuery(
            period=Period.parse("2026-Q1"),
            area=Area("stadsdeel", "testdam/noord", "Noord", population=100_000),
        ),
        theme_names=THEME_NAMES,
        story_counts_by_month_theme=[
            ThemeMonthCount(month, theme, n) for (month, theme), n in THEME_COUNTS.items()
        ],
        story_totals_by_month=[MonthTotal(month, n) for month, n in MONTH_TOTALS.items()],
        story_counts_by_subarea_theme=[
            SubareaThemeCount("Banne", "eenzaamheid", 20),
            SubareaThemeCount("Banne", "armoede", 2),
            SubareaThemeCount("Banne", "gezondheid", 30),
            SubareaThemeCount("Nieuwendam", "eenzaamheid", 25),
            SubareaThemeCount("Nieuwendam", "armoede", 19),
            SubareaThemeCount("Nieuwendam", "gezondheid", 37),
        ],
        previous_period=Period.parse("2025-Q4"),
        previous_counts_by_theme=[
            ThemeCount("eenzaamheid", 40),
            ThemeCount("armoede", 4),
            ThemeCount("gezondheid", 50),
        ],
        previous_story_total=120,
        activity_by_month=[
            ActivityMonth("2026-01", 30, 300, 100, 20, 15, 120.5, 50, initiatives_reporting=6),
            ActivityMonth("2026-02", 20, 200, 80, 10, 12, 80.0, 30, initiatives_reporting=2),
            ActivityMonth("2026-03", 40, 400, 120, 30, 18, 160.0, 70, initiatives_reporting=7),
        ],
        initiatives_active=10,
        initiatives_reporting=8,
        subsidy_total_eur=45_000.0,
        top_initiatives=[
            InitiativeActivity("Taalcafé Noord", 12, 150),
            InitiativeActivity("Buurthuiskamer De Linde", 30, 400),
            InitiativeActivity("Wandelgroep Banne", 12, 90),
        ],
        quote_candidates=[
            QuoteCandidate(
                1,
                "eenzaamheid",
                "Sinds mijn man is overleden kwam ik de deur niet uit. Nu drink ik elke dinsdag "
                "koffie in de buurthuiskamer.",
                0.95,
                "2026-01",
                "Banne",
            ),
            QuoteCandidate(
                2,
                "eenzaamheid",
                "Sinds mijn man overleden is kwam ik de deur niet uit. Nu drink ik elke dinsdag "
                "koffie in de buurthuiskamer!",
                0.93,
                "2026-01",
                "Banne",
            ),
            QuoteCandidate(
                3,
                "eenzaamheid",
                "Bij de aanschuifmaaltijd zit ik naast mijn buurvrouw, die kende ik niet.",
                0.80,
                "2026-02",
                "Nieuwendam",
            ),
            QuoteCandidate(
                4,
                "gezondheid",
                "Na mijn hartinfarct loop ik met de wandelgroep. Bel me op 06-12345678.",
                0.9,
                "2026-03",
                "Banne",
            ),
            QuoteCandidate(5, "armoede", "De voedselbank hielp ons die winter.", 0.9, "2026-02"),
        ],
    )
    fields.update(overrides)
    return ReportInput(**fields)


def empty_input(period: str = "2026-03") -> ReportInput:
    """A query with no rows at all."""
    return ReportInput(
        query=ReportQuery(Period.parse(period), Area("wijk", "testdam/noord/banne", "Banne")),
        theme_names=THEME_NAMES,
    )
