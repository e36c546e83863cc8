"""k-anonymity of the research export: property tests on generated data and hand-made cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.research import AGE_BROAD, LEVELS, generalise
from reports.research.generalise import ALL_AGES, OTHER, UNKNOWN

from .factories import make_story

AREAS = (
    ("Lombok", "West"),
    ("Oog in Al", "West"),
    ("Wittevrouwen", "Noordoost"),
    ("Tuindorp", "Noordoost"),
    ("Binnenstad", "Binnenstad"),
    (None, "West"),
    (None, None),
)
AGE_BANDS = ("tot 18", "18-29", "30-44", "45-64", "65-79", "80+", "25-34", None)
LANGUAGES = ("nl", "en", "ar", "tr", "ti", None)
CHANNELS = ("form", "paper", "phone")


def classes(records) -> Counter:
    return Counter((record.area, record.age_band, record.period) for record in records)


story_fields = st.tuples(
    st.sampled_from(AREAS),
    st.sampled_from(("Utrecht", "Utrecht", "Utrecht", None)),
    st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    st.sampled_from(AGE_BANDS),
    st.sampled_from(LANGUAGES),
    st.sampled_from(CHANNELS),
    st.lists(st.sampled_from(("armoede", "eenzaamheid", "gezondheid")), max_size=2),
)


@st.composite
def datasets(draw):
    rows = draw(st.lists(story_fields, max_size=120))
    stories = []
    for number, ((wijk, stadsdeel), city, day, age, language, channel, keys) in enumerate(rows):
        themes = tuple((key, 0.5, "model") for key in keys)
        stories.append(
            make_story(
                1000 + number, None, day, wijk, stadsdeel, city, age, language, channel, themes
            )
        )
    return stories


def allowed_area(story, level: str) -> str:
    return {"wijk": story.wijk, "stadsdeel": story.stadsdeel, "city": story.city}[level] or UNKNOWN


def allowed_age(story, level: str) -> str:
    if level == "none":
        return ALL_AGES
    if story.age_band is None:
        return UNKNOWN
    return story.age_band if level == "band" else AGE_BROAD.get(story.age_band, OTHER)


@settings(max_examples=150, deadline=None)
@given(
    stories=datasets(),
    k=st.integers(1, 8),
    max_suppression=st.sampled_from((0.0, 0.05, 0.2, 1.0)),
)
def test_every_published_class_has_at_least_k_stories_and_nothing_is_invented(
    stories, k, max_suppression
):
    result = generalise(stories, k=k, max_suppression=max_suppression)
    records, report = result.records, result.report

    sizes = classes(records)
    assert all(size >= k for size in sizes.values())
    assert report.smallest_class == (min(sizes.values()) if records else None)
    assert report.n_input == len(stories)
    assert report.n_output == len(records)
    assert report.n_suppressed == len(stories) - len(records)

    by_text = {story.text: story for story in stories}
    assert len({record.text for record in records}) == len(records)
    level = report.level
    for record in records:
        story = by_text[record.text]  # every record is one of the input stories
        assert record.area_level == level.area
        assert record.area == allowed_area(story, level.area)
        assert record.age_band == allowed_age(story, level.age)
        assert record.period_start <= story.month <= record.period_end
        assert record.language in {story.language or UNKNOWN, OTHER}
        assert record.channel in {story.channel, OTHER}
        assert record.themes == story.themes
    assert [record.export_id for record in records] == [
        f"S{n:04d}" for n in range(1, len(records) + 1)
    ]


@settings(max_examples=100, deadline=None)
@given(stories=datasets(), k=st.integers(2, 6))
def test_chosen_level_is_the_most_detailed_within_the_suppression_budget(stories, k):
    report = generalise(stories, k=k).report
    allowed = math.floor(0.05 * len(stories))
    suppressed = [outcome.n_suppressed for outcome in report.outcomes]
    chosen = [outcome.level for outcome in report.outcomes].index(report.level)

    assert suppressed[chosen] == report.n_suppressed
    within = [index for index, n in enumerate(suppressed) if n <= allowed]
    if within:
        assert chosen == within[0]
    else:
        assert suppressed[chosen] == min(suppressed)
        assert chosen == suppressed.index(min(suppressed))


@settings(max_examples=50, deadline=None)
@given(stories=datasets(), seed=st.integers(0, 1000))
def test_output_does_not_depend_on_input_order(stories, seed):
    shuffled = list(stories)
    random.Random(seed).shuffle(shuffled)
    assert generalise(shuffled).records == generalise(stories).records


def test_rare_wijk_is_coarsened_to_its_stadsdeel():
    stories = [make_story(i, wijk="Lombok") for i in range(10)]
    stories += [make_story(100 + i, wijk="Oog in Al") for i in range(2)]

    result = generalise(stories, k=5)

    assert result.report.level == LEVELS[2]  # stadsdeel × band × month
    assert {record.area for record in result.records} == {"West"}
    assert {record.period for record in result.records} == {"2026-01"}
    assert result.report.n_suppressed == 0
    coarsened = [step for step in result.report.steps if step.action == "coarsen"]
    assert [(s.field, s.from_level, s.to_level, s.n_records) for s in coarsened] == [
        ("area", "wijk", "stadsdeel", 12)
    ]


def test_singleton_is_suppressed_when_within_the_budget():
    stories = [make_story(i) for i in range(40)]
    stories.append(make_story(99, "het enige verhaal uit Zuid", wijk="Hoograven", stadsdeel="Zuid"))

    result = generalise(stories, k=5)

    assert result.report.level == LEVELS[0]
    assert result.report.n_suppressed == 1
    assert len(result.records) == 40
    assert "het enige verhaal uit Zuid" not in {record.text for record in result.records}
    assert [(s.action, s.n_records) for s in result.report.steps] == [("suppress", 1)]


def test_months_are_coarsened_to_a_quarter():
    stories = [make_story(i, month=dt.date(2026, 1 + i % 3, 15)) for i in range(9)]
    result = generalise(stories, k=5)
    assert result.report.level == LEVELS[1]
    assert {record.period for record in result.records} == {"2026-Q1"}


def test_age_bands_are_broadened_when_area_and_quarter_are_not_enough():
    stories = [make_story(i, age_band="18-29") for i in range(3)]
    stories += [make_story(10 + i, age_band="30-44") for i in range(3)]
    result = generalise(stories, k=5)
    assert result.report.level.age == "broad"
    assert {record.age_band for record in result.records} == {"tot 45"}


def test_missing_values_form_their_own_class():
    stories = [make_story(i, wijk=None, stadsdeel=None, age_band=None) for i in range(5)]
    stories += [make_story(10 + i) for i in range(5)]
    result = generalise(stories, k=5)
    assert result.report.level == LEVELS[0]
    assert classes(result.records) == {
        (UNKNOWN, UNKNOWN, "2026-01"): 5,
        ("Lombok", "30-44", "2026-01"): 5,
    }


def test_fewer_than_k_stories_give_an_empty_export():
    result = generalise([make_story(i) for i in range(4)], k=5)
    assert result.records == ()
    assert result.report.n_suppressed == 4
    assert result.report.smallest_class is None


def test_empty_input_gives_an_empty_report():
    report = generalise([]).report
    assert (report.n_input, report.n_output, report.n_suppressed) == (0, 0, 0)
    assert report.steps == ()


def test_rare_languages_are_published_as_overig_without_naming_them():
    stories = [make_story(i, language="nl") for i in range(6)]
    stories.append(make_story(50, language="ti"))
    stories.append(make_story(51, language=None))
    result = generalise(stories, k=5, max_suppression=0.5)
    languages = Counter(record.language for record in result.records)
    assert languages == {"nl": 6, OTHER: 1, UNKNOWN: 1}
    step = next(step for step in result.report.steps if step.action == "recode_rare")
    assert (step.field, step.n_records, step.n_values) == ("language", 1, 1)


def test_database_ids_and_initiatives_do_not_reach_the_records():
    stories = [make_story(4711 + i, text=f"tekst {i}") for i in range(5)]
    records = generalise(stories).records
    for record in records:
        published = " ".join(
            str(getattr(record, field.name)) for field in dataclasses.fields(record)
        )
        assert "4711" not in published
        assert "De Boog" not in published


@pytest.mark.parametrize("k", [0, -1])
def test_k_below_one_is_refused(k):
    with pytest.raises(ValueError, match="k must be"):
        generalise([make_story(1)], k=k)


def test_a_suppression_budget_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="max_suppression"):
        generalise([make_story(1)], max_suppression=1.5)
