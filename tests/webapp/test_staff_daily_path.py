"""Staff find stories with search and filters, moderate many at once and undo it, and see on
the start page what needs doing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.webapp.factories import make_areas, make_initiative, make_story
from tests.webapp.test_staff import PASSWORD, login
from webapp.extensions import db
from webapp.models import Story, ThemeAssignment
from webapp.services import activity
from webapp.services.moderation import StoryFilter, list_stories, story_conditions
from webapp.services.staff_accounts import create_staff_user


@pytest.fixture
def coordinator_client(client, app):
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    login(client, "co@example.org")
    return client


@pytest.fixture
def stories(app):
    areas = make_areas()
    noord = areas["testdam/noord/vogelbuurt"]
    zuid = areas["testdam/zuid/rivierenwijk"]
    made = {
        "lonely": make_story(
            text="Ik voelde me eenzaam tot de buurthuiskamer, 100% waar.",
            area_id=noord.id,
            submitted_month=dt.date(2026, 1, 1),
            language="nl",
        ),
        "money": make_story(
            text="De voedselbank hielp ons de winter door.",
            area_id=zuid.id,
            submitted_month=dt.date(2026, 3, 1),
            language="nl",
            status="approved",
        ),
        "english": make_story(
            text="The language cafe made me feel at home.",
            area_id=noord.id,
            submitted_month=dt.date(2026, 3, 1),
            language="en",
        ),
    }
    db.session.add_all(
        [
            ThemeAssignment(story_id=made["lonely"].id, theme="eenzaamheid", source="model"),
            # The model said armoede, a staff member said no: the check wins.
            ThemeAssignment(story_id=made["english"].id, theme="armoede", source="model",
                            superseded=True),
            ThemeAssignment(story_id=made["english"].id, theme="armoede", source="human",
                            assigned=False),
        ]
    )  # fmt: skip
    db.session.commit()
    return made


def found(story_filter: StoryFilter) -> set[int]:
    return {story.id for story in list_stories(db.session, story_filter).stories}


def test_each_filter_narrows_the_list(stories):
    ids = {key: story.id for key, story in stories.items()}

    assert found(StoryFilter(text="VOEDSELBANK")) == {ids["money"]}
    assert found(StoryFilter(text="100%")) == {ids["lonely"]}  # % is searched, not a wildcard
    assert found(StoryFilter(area_code="testdam/noord")) == {ids["lonely"], ids["english"]}
    assert found(StoryFilter(theme="eenzaamheid")) == {ids["lonely"]}
    assert found(StoryFilter(theme="armoede")) == set()  # overruled by a staff check
    assert found(StoryFilter(status="approved")) == {ids["money"]}
    assert found(StoryFilter(language="en")) == {ids["english"]}
    march = dt.date(2026, 3, 1)
    assert found(StoryFilter(month_from=march, month_to=march)) == {ids["money"], ids["english"]}
    assert found(StoryFilter(area_code="testdam/noord", month_from=march)) == {ids["english"]}


def test_the_filter_is_a_set_of_conditions_a_scope_can_be_added_to(stories):
    conditions = story_conditions(db.session, StoryFilter(language="nl"))
    scoped = list_stories(
        db.session, StoryFilter(language="nl"), extra_conditions=[Story.status == "pending"]
    )

    assert len(conditions) == 1
    assert [story.id for story in scoped.stories] == [stories["lonely"].id]


def test_the_story_page_filters_from_the_query_string_and_keeps_it_when_paging(
    coordinator_client, stories
):
    page = coordinator_client.get(
        "/beheer/verhalen?q=buurthuiskamer&gebied=testdam/noord&van=2026-01"
    )
    text = page.get_data(as_text=True)

    assert "Ik voelde me eenzaam" in text and "voedselbank" not in text
    assert 'value="buurthuiskamer"' in text and 'value="2026-01"' in text
    assert "1 verhalen, pagina 1 van 1" in text or "1 verhaal" in text


def test_bulk_approve_then_undo(coordinator_client, stories):
    ids = [stories["lonely"].id, stories["english"].id, stories["money"].id]

    coordinator_client.post("/beheer/verhalen/status", data={"verhaal": ids, "status": "approved"})
    db.session.expire_all()
    assert set(db.session.scalars(select(Story.status))) == {"approved"}
    page = coordinator_client.get("/beheer/verhalen").get_data(as_text=True)
    assert "2 verhalen zijn bijgewerkt" in page and "ongedaan" in page

    coordinator_client.post("/beheer/verhalen/ongedaan", data={})
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Story.id, Story.status)).all())
    assert statuses == {ids[0]: "pending", ids[1]: "pending", ids[2]: "approved"}
    assert "weer zoals eerst" in coordinator_client.get("/beheer/verhalen").get_data(as_text=True)


def test_the_start_page_lists_what_needs_doing_with_counts_and_links(coordinator_client, stories):
    initiative = make_initiative("Wandelgroep Oost")
    make_initiative("Taalcafé West")
    last_month = activity.last_complete_month(dt.date.today())
    definition = activity.load_activity_definition()
    activity.save_monthly_report(db.session, initiative, last_month, {"bezoeken": 3}, definition)

    text = coordinator_client.get("/beheer/").get_data(as_text=True)

    assert "Wat er te doen is" in text
    assert "2 verhalen wachten op beoordeling" in text
    assert "/beheer/verhalen?status=pending" in text
    assert "2 verhalen waarvan nog niemand de thema" in text  # one has a staff check
    assert "1 initiatief zonder cijfers over" in text
    assert "0 achtergrondtaken mislukt" in text  # the job queue registers its counter


def test_failed_jobs_are_counted_when_a_job_runner_registers_a_counter(coordinator_client):
    app = coordinator_client.application
    app.extensions["weefsel_failed_jobs_counter"] = lambda session, viewer: 4

    text = coordinator_client.get("/beheer/").get_data(as_text=True)

    assert "4 achtergrondtaken mislukt" in text


def test_search_finds_only_words_staff_can_see(app, coordinator_client):
    """Search runs on the de-identified text: a name or phone number removed from view cannot be
    found by searching for it (that would reveal which story names whom, unaudited)."""
    areas = make_areas()
    story = make_story(
        text="Mijn buurman Gerrit Hoogendoorn belde 06-12345678 en nam me mee naar de soos.",
        area_id=areas["testdam/noord/vogelbuurt"].id,
        language="nl",
    )

    assert found(StoryFilter(text="soos")) == {story.id}
    assert found(StoryFilter(text="Hoogendoorn")) == set()
    assert found(StoryFilter(text="12345678")) == set()
    assert list_stories(db.session, StoryFilter(text="Hoogendoorn")).total == 0

    page = coordinator_client.get("/beheer/verhalen?q=Hoogendoorn").get_data(as_text=True)
    assert "de soos" not in page
    page = coordinator_client.get("/beheer/verhalen?q=soos").get_data(as_text=True)
    assert "de soos" in page and "Hoogendoorn" not in page
