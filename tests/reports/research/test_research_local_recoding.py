"""Local recoding: every published combination holds k stories; detail kept where k allows."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from reports.research.generalise import generalise

from .factories import make_story

WIJKEN = {"Lombok": "West", "Oog in Al": "West", "Wittevrouwen": "Oost", "Tuindorp": "Noord"}
BANDS = ("tot 18", "18-29", "30-44", "45-64", "65-79", "80+", None)


def random_stories(seed: int, n: int) -> list:
    rng = random.Random(seed)
    stories = []
    for story_id in range(n):
        wijk = rng.choice([*WIJKEN, None])
        stadsdeel = WIJKEN.get(wijk) or rng.choice(["West", "Oost", None])
        stories.append(
            make_story(
                story_id,
                month=dt.date(rng.choice([2025, 2026]), rng.randint(1, 12), 1),
                wijk=wijk,
                stadsdeel=stadsdeel,
                age_band=rng.choice(BANDS),
            )
        )
    return stories


def test_every_published_combination_holds_at_least_k_stories():
    for seed in range(12):
        for k in (2, 5, 11):
            result = generalise(random_stories(seed, 150), k=k, local=True)
            assert result.report.n_suppressed <= 150 * 0.05 or result.report.n_output == 0
            classes = Counter((r.area, r.age_band, r.period) for r in result.records)
            assert all(size >= k for size in classes.values()), (seed, k, classes)
            assert result.report.n_output + result.report.n_suppressed == 150


def test_wijk_and_month_kept_where_k_stories_share_them():
    crowded = [make_story(i, wijk="Lombok", month=dt.date(2026, 3, 1)) for i in range(7)]
    crowded += [make_story(10 + i, wijk="Oog in Al", month=dt.date(2026, 3, 1)) for i in range(6)]
    lonely = [make_story(20 + i, wijk="Tuindorp", stadsdeel="Noord") for i in range(2)]
    lonely += [make_story(30 + i, month=dt.date(2026, 5 + i, 1)) for i in range(3)]
    result = generalise(crowded + lonely, k=5, max_suppression=0.3, local=True)
    by_text = {record.text: record for record in result.records}
    for story in crowded:
        record = by_text[story.text]
        assert (record.area_level, record.period) == ("wijk", "2026-03")
        assert record.area == story.wijk
    assert result.report.kept_wijk_and_month == 13
    assert result.report.n_suppressed == 5  # the stragglers, within the 30 % allowed
