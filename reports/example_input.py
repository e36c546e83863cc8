"""A realistic, made-up ReportInput for demos, benchmarks and layout checks (not real data).

Numbers are drawn from a seeded random generator with plausible sizes for a large Dutch city:
hundreds of initiatives reporting monthly and a steady flow of residents' stories.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from .data import (
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
STADSDELEN = ("Centrum", "Nieuw-West", "Noord", "Oost", "West", "Zuid", "Zuidoost", "Weesp")
WIJKEN = ("Bijlmer-Centrum", "Slotermeer", "Banne Buiksloot", "Indische Buurt", "De Pijp", "Osdorp")
QUOTE_TEXTS = {
    "eenzaamheid": (
        "Sinds mijn man is overleden kwam ik de deur niet meer uit. Nu drink ik elke dinsdag "
        "koffie in de buurthuiskamer en ken ik weer mensen in de straat.",
        "Ik woon hier al twintig jaar maar kende niemand. Bij de aanschuifmaaltijd zit ik nu "
        "naast mijn buurvrouw.",
        "Het wandelgroepje is mijn vaste punt in de week. Zonder hen zou ik niemand spreken.",
        "In de buurthuiskamer drink ik op dinsdag koffie sinds mijn man is overleden, nu ken "
        "ik weer mensen.",
    ),
    "armoede": (
        "Door de schulden durfde ik niet meer open te doen. Via het inloopspreekuur kreeg ik "
        "hulp met de brieven en nu is er een regeling.",
        "Aan het eind van de maand moest ik kiezen tussen eten en de energierekening. De "
        "buurtkast en de Stadspas helpen echt.",
        "Mijn kinderen konden mee op schoolreis omdat het buurtfonds bijsprong.",
    ),
    "gezondheid": (
        "Na mijn hartinfarct durfde ik niet meer te bewegen. In het wandelgroepje loop ik nu "
        "drie keer per week, en ik voel me sterker.",
        "De huisarts stuurde me naar welzijn op recept. In de moestuin vind ik rust en mijn "
        "slaap is beter.",
        "Ik zorg voor mijn moeder met dementie. Bij de lotgenotengroep kan ik mijn verhaal kwijt.",
    ),
}


def example_report_input(
    *,
    months: int = 18,
    stadsdelen: int = 8,
    initiatives: int = 500,
    seed: int = 2026,
    end_year: int = 2026,
    end_month: int = 6,
) -> ReportInput:
    """A city-wide ReportInput over `months` months ending in end_year-end_month."""
    rng = random.Random(seed)
    month_list = _months_back(end_year, end_month, months)
    period = Period.parse(f"{month_list[0]}-01..{_last_day(month_list[-1]).isoformat()}")
    area = Area("city", "0363", "Amsterdam", population=931_000)
    themes = list(THEME_NAMES)
    by_month, totals, activity = [], [], []
    for index, month in enumerate(month_list):
        total = rng.randint(380, 520) + 6 * index
        totals.append(MonthTotal(month, total))
        for theme, share in zip(themes, (0.34, 0.27, 0.30), strict=True):
            by_month.append(
                ThemeMonthCount(month, theme, int(total * share * rng.uniform(0.8, 1.2)))
            )
        reporting = int(initiatives * rng.uniform(0.7, 0.9))
        activity.append(_activity_month(month, reporting, rng))
    subareas = [
        SubareaThemeCount(name, theme, rng.choice((2, 3, 40, 120, 260, 410)))
        for name in STADSDELEN[:stadsdelen]
        for theme in themes
    ]
    return ReportInput(
        query=ReportQuery(period=period, area=area),
        theme_names=THEME_NAMES,
        story_counts_by_month_theme=by_month,
        story_totals_by_month=totals,
        story_counts_by_subarea_theme=subareas,
        previous_period=None,
        previous_counts_by_theme=[
            ThemeCount(theme, rng.randint(110, 145) * months) for theme in themes
        ],
        previous_story_total=430 * months,
        activity_by_month=activity,
        initiatives_active=initiatives,
        initiatives_reporting=int(initiatives * 0.92),
        subsidy_total_eur=100_000_000 * months / 12,
        top_initiatives=[
            InitiativeActivity(f"Buurthuiskamer {i:03d}", rng.randint(4, 90), rng.randint(20, 2000))
            for i in range(initiatives)
        ],
        quote_candidates=_quotes(themes, month_list, rng),
    )


def _activity_month(month: str, reporting: int, rng: random.Random) -> ActivityMonth:
    return ActivityMonth(
        month=month,
        activities=reporting * rng.randint(8, 14),
        visits=reporting * rng.randint(90, 160),
        unique_participants=reporting * rng.randint(30, 55),
        new_participants=reporting * rng.randint(2, 6),
        volunteers=reporting * rng.randint(5, 9),
        volunteer_hours=reporting * rng.uniform(40, 70),
        meals=reporting * rng.randint(10, 40),
        initiatives_reporting=reporting,
    )


def _quotes(themes: list[str], months: list[str], rng: random.Random) -> list[QuoteCandidate]:
    candidates = []
    for theme in themes:
        for index, text in enumerate(QUOTE_TEXTS[theme]):
            candidates.append(
                QuoteCandidate(
                    story_id=f"{theme}-{index}",
                    theme=theme,
                    text=text,
                    score=round(rng.uniform(0.6, 0.98), 2),
                    month=rng.choice(months),
                    wijk=rng.choice(WIJKEN),
                )
            )
    return candidates


def _months_back(year: int, month: int, count: int) -> list[str]:
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def _last_day(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])
