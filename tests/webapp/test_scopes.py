"""Roles hold for an area: two gemeenten in one database never see each other's data, and a
stadsdeel coordinator sees only that stadsdeel."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas, make_initiative, make_second_gemeente, make_story
from webapp.auth import can_read_original_text
from webapp.extensions import db
from webapp.models import ReportShareLink, Story
from webapp.services.areas import load_areas
from webapp.services.gemeenten import gemeente_by_code
from webapp.services.research_export import ExportFilter, select_stories
from webapp.services.scopes import scope_for


@pytest.fixture
def region(app):
    """Testdam (Noord, Zuid) and Proefstad, each with an initiative and stories; some stories
    have no wijk and belong to their gemeente only."""
    areas = {**make_areas(), **make_second_gemeente()}
    noord_wijk = areas["testdam/noord/vogelbuurt"]
    zuid_wijk = areas["testdam/zuid/rivierenwijk"]
    haven = areas["proefstad/west/havenkwartier"]
    stories = {
        "noord": make_story(
            text="Noord: de huiskamer is mijn tweede thuis geworden.", area=noord_wijk
        ),
        "zuid": make_story(
            text="Zuid: bij het taalcafé leerde ik mijn buren kennen.", area=zuid_wijk
        ),
        "testdam-no-wijk": make_story(
            text="Testdam zonder wijk: ik ging voor het eerst naar de maaltijd.",
            gemeente_id=areas["testdam"].id,
        ),
        "proefstad": make_story(text="Proefstad: de moestuin bracht ons samen.", area=haven),
        "proefstad-no-wijk": make_story(
            text="Proefstad zonder wijk: eindelijk weer iemand om mee te praten.",
            gemeente_id=areas["proefstad"].id,
        ),
    }
    initiatives = {
        "noord": make_initiative("Huiskamer Noord", area=noord_wijk),
        "zuid": make_initiative("Taalcafe Zuid", area=zuid_wijk),
        "proefstad": make_initiative("Moestuin Haven", area=haven),
    }
    return areas, stories, initiatives


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_stadsdeel_coordinator_sees_and_moderates_only_that_stadsdeel(client, region):
    areas, stories, initiatives = region
    make_account("noord@example.org", "coordinator", areas["testdam/noord"])
    log_in_as(client, "noord@example.org")
    listing = page(client, "/beheer/verhalen")
    assert stories["noord"].text in listing
    for other in ("zuid", "testdam-no-wijk", "proefstad", "proefstad-no-wijk"):
        assert stories[other].text not in listing
    assert (
        client.post(
            f"/beheer/verhalen/{stories['zuid'].id}/status", data={"status": "approved"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/beheer/verhalen/{stories['noord'].id}/status", data={"status": "approved"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Story, stories["zuid"].id).status == "pending"
    assert db.session.get(Story, stories["noord"].id).status == "approved"
    overview = page(client, "/beheer/initiatieven")
    assert "Huiskamer Noord" in overview and "Taalcafe Zuid" not in overview
    assert client.get(f"/beheer/initiatieven/{initiatives['zuid'].id}").status_code == 404
    assert client.get(f"/beheer/initiatieven/{initiatives['noord'].id}").status_code == 200


def test_gemeente_coordinator_sees_stories_without_a_wijk_of_that_gemeente_only(client, region):
    areas, stories, _initiatives = region
    make_account("testdam@example.org", "coordinator", areas["testdam"])
    log_in_as(client, "testdam@example.org")
    listing = page(client, "/beheer/verhalen")
    for own in ("noord", "zuid", "testdam-no-wijk"):
        assert stories[own].text in listing
    for other in ("proefstad", "proefstad-no-wijk"):
        assert stories[other].text not in listing
    assert "Moestuin Haven" not in page(client, "/beheer/initiatieven")


def test_councillor_of_one_gemeente_cannot_open_a_report_of_another(client, region):
    make_account("raad@example.org", "councillor", region[0]["testdam"])
    log_in_as(client, "raad@example.org")
    own = client.get("/raad/?periode=2026-Q1&gebied=testdam")
    assert own.status_code == 200
    assert 'value="proefstad"' not in own.get_data(as_text=True)
    other = client.get("/raad/?periode=2026-Q1&gebied=proefstad")
    assert other.status_code == 422
    assert "Kies een van de mogelijkheden" in other.get_data(as_text=True)
    for kind in ("pdf", "json"):
        assert (
            client.get(f"/raad/rapport.{kind}?periode=2026-Q1&gebied=proefstad").status_code == 400
        )
        assert client.get(f"/raad/rapport.{kind}?periode=2026-Q1&gebied=testdam").status_code == 200
    assert (
        client.get("/raad/?periode=2026-Q1&gebied=testdam&initiatief=moestuin-haven").status_code
        == 422
    )


def test_researcher_exports_only_their_scope(client, region):
    areas, stories, _initiatives = region
    for story in stories.values():
        story.status, story.consent_research = "approved", True
    db.session.commit()
    researcher = make_account("r@example.org", "researcher", areas["proefstad"])
    scope = scope_for(db.session, researcher, ("researcher",))
    exported = {s.id for s in select_stories(db.session, ExportFilter(), scope)}
    assert exported == {stories["proefstad"].id, stories["proefstad-no-wijk"].id}
    assert select_stories(db.session, ExportFilter(area_code="testdam"), scope) == []
    log_in_as(client, "r@example.org")
    form = page(client, "/onderzoek/export")
    assert 'value="proefstad"' in form and 'value="testdam"' not in form
    assert 'id="export-log"' not in form  # who exported what is for admins of everything
    refused = client.post(
        "/onderzoek/export", data={"gebied": "testdam", "formaten": ["jsonl"], "k": "5"}
    )
    assert refused.status_code == 422


def test_share_links_are_listed_and_revoked_only_within_scope(client, app, region):
    areas = region[0]
    make_account("testdam@example.org", "coordinator", areas["testdam"])
    make_account("proefstad@example.org", "coordinator", areas["proefstad"])
    log_in_as(client, "testdam@example.org")
    assert client.post("/raad/delen?periode=2026-Q1&gebied=testdam").status_code == 303
    assert client.post("/raad/delen?periode=2026-Q1&gebied=proefstad").status_code == 400
    link = db.session.scalar(select(ReportShareLink))
    other = app.test_client()
    log_in_as(other, "proefstad@example.org")
    assert "2026-Q1" not in page(other, "/raad/deellinks")
    assert other.post(f"/raad/deellinks/{link.id}/intrekken").status_code == 404
    assert "2026-Q1" in page(client, "/raad/deellinks")


def test_reviewer_of_one_gemeente_checks_only_its_stories(client, region):
    areas, stories, _initiatives = region
    for story in stories.values():
        story.classified_version = "test-1"
    db.session.commit()
    make_account("check@example.org", "reviewer", areas["proefstad"])
    log_in_as(client, "check@example.org")
    queue = page(client, "/beheer/themas/")
    assert f"/beheer/themas/verhaal/{stories['proefstad'].id}" in queue
    assert f"/beheer/themas/verhaal/{stories['noord'].id}" not in queue
    assert client.get(f"/beheer/themas/verhaal/{stories['noord'].id}").status_code == 404
    assert client.get("/beheer/verhalen").status_code == 403


def test_residents_pick_their_gemeente_and_see_only_its_wijken(client, region):
    areas = region[0]
    picker = page(client, "/verhaal")
    assert "/verhaal?gemeente=proefstad" in picker and "/verhaal?gemeente=testdam" in picker
    form = page(client, "/verhaal?gemeente=proefstad")
    assert "Havenkwartier" in form and "Vogelbuurt" not in form
    assert "Moestuin Haven" in form and "Huiskamer Noord" not in form
    assert client.get("/verhaal?gemeente=nergensdorp").status_code == 404
    response = client.post(
        "/verhaal?gemeente=proefstad",
        data={"story": "Bij de moestuin heb ik nieuwe vrienden gemaakt, heel fijn."},
    )
    assert response.status_code == 303
    story = db.session.scalar(select(Story).order_by(Story.id.desc()))
    assert (story.area_id, story.gemeente_id) == (None, areas["proefstad"].id)
    wrong_wijk = client.post(
        "/verhaal?gemeente=proefstad",
        data={
            "story": "Een verhaal met een wijk uit een andere gemeente erbij.",
            "wijk": str(areas["testdam/noord/vogelbuurt"].id),
        },
    )
    assert wrong_wijk.status_code == 422


def test_a_posted_wijk_or_initiative_decides_the_storys_gemeente(client, app, region):
    areas, _stories, initiatives = region
    posted = {
        "wijk": {"wijk": str(areas["proefstad/west/havenkwartier"].id)},
        "initiative": {"initiative": str(initiatives["proefstad"].id)},
    }
    for what, fields in posted.items():
        response = client.post(
            "/verhaal?gemeente=proefstad",
            data={"story": f"Via de {what} gekozen: fijne middag gehad.", **fields},
        )
        assert response.status_code == 303, what
        story = db.session.scalar(select(Story).order_by(Story.id.desc()))
        assert story.gemeente_id == areas["proefstad"].id, what
    # The form's cached choices know each offered wijk's and initiative's gemeente; they
    # answer as the database does, for every combination the form can send.
    from webapp.services.gemeenten import gemeente_id_for

    choices = app.extensions["weefsel_story_choices"].get(db.session, None)
    wijk_ids = [None, *(wijk_id for group in choices.wijken.values() for wijk_id, _ in group)]
    initiative_ids = [None, *(initiative_id for initiative_id, _ in choices.initiatives)]
    assert len(wijk_ids) > 3 and len(initiative_ids) == 4
    for wijk_id in wijk_ids:
        for initiative_id in initiative_ids:
            for fallback in (None, areas["testdam"].id):
                expected = gemeente_id_for(db.session, wijk_id, initiative_id, fallback)
                cached = choices.gemeente_for(db.session, wijk_id, initiative_id, fallback)
                assert cached == expected, (wijk_id, initiative_id, fallback)


def test_an_initiative_moved_to_another_gemeente_takes_its_new_stories_along(client, region):
    areas, _stories, initiatives = region
    client.get("/verhaal?gemeente=testdam")  # the form's choices are read and kept
    initiative = initiatives["zuid"]
    initiative.gemeente_id = areas["proefstad"].id
    initiative.area_id = areas["proefstad/west/havenkwartier"].id
    db.session.commit()
    response = client.post(
        "/verhaal?gemeente=proefstad",
        data={"story": "Na de verhuizing van het taalcafé.", "initiative": str(initiative.id)},
    )
    assert response.status_code == 303
    story = db.session.scalar(select(Story).order_by(Story.id.desc()))
    assert story.gemeente_id == areas["proefstad"].id


def test_import_only_touches_initiatives_in_scope(client, region):
    areas, _stories, initiatives = region
    make_account("noord@example.org", "coordinator", areas["testdam/noord"])
    log_in_as(client, "noord@example.org")
    header = (
        "initiatief,maand,activiteiten,bezoeken,unieke_deelnemers,nieuwe_deelnemers,"
        "vrijwilligers,vrijwilligersuren,maaltijden,verwijzingen,toelichting"
    )
    body = f"{header}\n{initiatives['zuid'].slug},2026-01,1,1,1,1,1,1,1,1,\n".encode()
    response = client.post(
        "/beheer/initiatieven/import", data={"table": (io.BytesIO(body), "m.csv")}
    )
    assert response.status_code == 422
    assert re.search(r"taalcafe-zuid", response.get_data(as_text=True))
    assert dt.date  # the import refused the row; nothing else to check


def test_original_text_is_for_admins_and_coordinators_within_scope(app, region):
    areas, stories, _initiatives = region
    with app.test_request_context():
        noord = make_account("noord@example.org", "coordinator", areas["testdam/noord"])
        admin = make_account("admin@example.org", "admin", areas["proefstad"])
        raad = make_account("raad@example.org", "councillor")
        assert can_read_original_text(noord, stories["noord"])
        assert not can_read_original_text(noord, stories["zuid"])
        assert not can_read_original_text(noord, stories["testdam-no-wijk"])
        assert can_read_original_text(admin, stories["proefstad-no-wijk"])
        assert not can_read_original_text(admin, stories["noord"])
        assert not can_read_original_text(raad, stories["noord"])
        assert not can_read_original_text(None, stories["noord"])


def test_gemeente_branding_and_privacy_contacts_come_from_the_area_file(client, app, tmp_path):
    area_file = tmp_path / "areas.csv"
    area_file.write_text(
        "code,name,level,parent_code,population,privacy_contact,dpo_contact,logo_path\n"
        "proefstad,Proefstad,city,,50000,privacy@proefstad.nl,fg@proefstad.nl,/static/favicon.svg\n"
        "proefstad/west,West,stadsdeel,proefstad,,,,\n",
        encoding="utf-8",
    )
    load_areas(db.session, area_file)
    gemeente = gemeente_by_code(db.session, "proefstad")
    assert (gemeente.privacy_contact, gemeente.dpo_contact) == (
        "privacy@proefstad.nl",
        "fg@proefstad.nl",
    )
    form = page(client, "/verhaal?gemeente=proefstad")
    assert "Gemeente Proefstad" in form and 'src="/static/favicon.svg"' in form


def test_agreement_figures_count_only_checks_within_scope(app, region):
    """A Proefstad reviewer's agreement page is about Proefstad's checks, not Testdam's."""
    from webapp.services import themes as theme_service

    areas, stories, _ = region
    first = make_account("r1@example.org", "reviewer")
    second = make_account("r2@example.org", "reviewer")
    for key in ("noord", "zuid", "proefstad"):
        theme_service.record_review(db.session, stories[key], first, ["armoede"])
        theme_service.record_review(db.session, stories[key], second, [])
    proefstad = scope_for(
        db.session, make_account("p@example.org", "reviewer", areas["proefstad"]), ("reviewer",)
    )

    everywhere = {row.theme: row for row in theme_service.agreement_per_theme(db.session)}
    in_proefstad = {
        row.theme: row for row in theme_service.agreement_per_theme(db.session, proefstad)
    }
    assert everywhere["armoede"].stories == 3
    assert in_proefstad["armoede"].stories == 1
