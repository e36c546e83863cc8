"""Privacy promises made true: statement, staff see de-identified text, audit, purge, codes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.webapp.factories import make_areas, make_second_gemeente, make_story
from webapp.extensions import db
from webapp.models import AuditEvent, Story
from webapp.services import moderation, retention
from webapp.services.staff_accounts import create_staff_user
from webapp.services.stories import StorySubmission, submit_story, withdraw_story

PASSWORD = "correct horse battery staple"
PRIVATE = (
    "Ik ben Fatima Bakker en ik woon aan de Kerkstraat 12 in Amsterdam. "
    "Bel me op 0612345678 of mail fatima.bakker@example.org, ik voel me zo alleen."
)
PERSONAL_BITS = ("Fatima", "Bakker", "Kerkstraat 12", "0612345678", "fatima.bakker@example.org")


def login(client, email):
    client.post("/beheer/inloggen", data={"email": email, "password": PASSWORD})


@pytest.fixture
def coordinator(app):
    return create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")


@pytest.fixture
def staff_member(app):
    return create_staff_user(db.session, "st@example.org", "St", PASSWORD, role="reviewer")


def test_privacy_page_states_who_is_responsible_and_the_configured_retention(make_app):
    app = make_app(
        PRIVACY_CONTROLLER="Gemeente Testdam",
        PRIVACY_CONTACT="privacy@testdam.example",
        PRIVACY_DPO="FG Testdam, fg@testdam.example",
        RETENTION_STORY_MONTHS=18,
    )
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert "Gemeente Testdam is verantwoordelijk" in page
    assert "fg@testdam.example" in page and "privacy@testdam.example" in page
    assert "18 maanden na de maand waarin u het stuurde" in page
    assert "Autoriteit Persoonsgegevens" in page


def test_privacy_statement_is_linked_from_every_public_page_and_beside_the_consent(client):
    for path in ("/", "/verhaal", "/verhaal/intrekken", "/privacy"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True), path
    form = client.get("/verhaal").get_data(as_text=True)
    consent_box = form.index('name="consent_research"')
    assert form.index('href="/privacy"', consent_box) - consent_box < 2000


def test_form_promise_says_what_the_app_does(client):
    form = client.get("/verhaal").get_data(as_text=True)
    assert "Voordat medewerkers uw verhaal lezen, haalt een computer namen" in form
    assert "voordat iemand anders uw verhaal leest" not in form


def test_health_consent_is_asked_and_stored(client):
    assert 'name="consent_health"' in client.get("/verhaal").get_data(as_text=True)
    client.post(
        "/verhaal",
        data={"story": "Mijn knie doet pijn maar de wandelgroep helpt.", "consent_health": "y"},
    )
    client.post("/verhaal", data={"story": "Mijn rug doet pijn maar de wandelgroep helpt echt."})
    assert sorted(db.session.scalars(select(Story.consent_health))) == [False, True]


def test_health_consent_not_asked_where_another_legal_basis_is_configured(make_app):
    app = make_app(HEALTH_DATA_BASIS="AVG art. 9 lid 2 sub g, Wmo 2015")
    with app.app_context():
        client = app.test_client()
        assert 'name="consent_health"' not in client.get("/verhaal").get_data(as_text=True)
        client.post("/verhaal", data={"story": "Mijn knie doet pijn maar de wandelgroep helpt."})
        assert db.session.scalar(select(Story.consent_health)) is None
        assert "Wmo 2015" in client.get("/privacy").get_data(as_text=True)


def test_staff_lists_and_review_show_only_de_identified_text(client, coordinator):
    story = make_story(text=PRIVATE)
    login(client, "co@example.org")
    for path in ("/beheer/verhalen", "/beheer/themas/", f"/beheer/themas/verhaal/{story.id}"):
        page = client.get(path).get_data(as_text=True)
        if path == "/beheer/themas/" and f"verhaal/{story.id}" not in page:
            continue  # the queue lists classified stories only
        assert "alleen" in page or "[" in page, path
        for bit in PERSONAL_BITS:
            assert bit not in page, (path, bit)


def test_original_text_only_on_request_and_written_to_the_audit_log(client, coordinator):
    story = make_story(text=PRIVATE)
    login(client, "co@example.org")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "story.original_viewed")
        )
        == 0
    )
    response = client.post(f"/beheer/verhalen/{story.id}/origineel")
    assert response.status_code == 200 and "0612345678" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "story.original_viewed")
    )
    assert event.actor == "co@example.org" and event.target == f"story:{story.id}"
    assert client.get(f"/beheer/verhalen/{story.id}/origineel").status_code == 405


def test_a_role_not_allowed_cannot_see_the_original(client, staff_member):
    story = make_story(text=PRIVATE)
    login(client, "st@example.org")
    assert client.post(f"/beheer/verhalen/{story.id}/origineel").status_code == 403
    review = client.get(f"/beheer/themas/verhaal/{story.id}")
    assert review.status_code == 200  # a reviewer checks themes on the de-identified text
    assert "Toon origineel" not in review.get_data(as_text=True)


def test_moderation_and_theme_checks_are_audited_with_their_actor(client, coordinator):
    story = make_story(text=PRIVATE)
    login(client, "co@example.org")
    client.post(f"/beheer/verhalen/{story.id}/status", data={"status": "approved"})
    client.post(
        f"/beheer/themas/verhaal/{story.id}", data={"action": "save", "theme": "eenzaamheid"}
    )
    rows = db.session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.details)).all()
    actions = {action: (actor, details) for action, actor, details in rows}
    assert actions["story.moderated"] == ("co@example.org", {"from": "pending", "to": "approved"})
    assert actions["theme.reviewed"] == ("co@example.org", {"themes": "eenzaamheid"})


def test_audit_log_page_filters_and_exports_inert_csv(client, coordinator, staff_member):
    make_story(text=PRIVATE)
    moderation.set_story_status(
        db.session, db.session.scalar(select(Story.id)), "rejected", actor=coordinator
    )
    from webapp.services import audit

    audit.record_event(db.session, "login.failure", actor_label='=HYPERLINK("http://x")')
    db.session.commit()
    create_staff_user(db.session, "admin@example.org", "Admin", PASSWORD, role="admin")
    login(client, "co@example.org")
    assert client.get("/beheer/logboek").status_code == 403  # the log is for administrators
    login(client, "admin@example.org")
    page = client.get("/beheer/logboek?actie=story.moderated").get_data(as_text=True)
    assert "Status van verhaal gewijzigd" in page and "HYPERLINK" not in page
    csv_text = client.get("/beheer/logboek.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "\r\n=" not in csv_text and ",=" not in csv_text


def test_withdrawal_codes_are_keyed_hashes_and_withdrawal_leaves_only_an_audit_trace(app):
    story, code = submit_story(
        db.session, StorySubmission(text=PRIVATE), today=dt.date(2026, 3, 2), code_key="k1"
    )
    plain = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert story.withdrawal_code_hash != plain
    assert not withdraw_story(db.session, code, "another-key")
    assert withdraw_story(db.session, code, "k1")
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0
    trace = db.session.scalar(select(AuditEvent))
    assert trace.action == "story.withdrawn" and trace.details == {}


def _policy(**overrides):
    values = dict(
        story_months=24,
        research_story_months=60,
        rejected_story_days=30,
        withdrawal_trace_months=12,
        audit_months=24,
        share_link_days=30,
        inactive_account_months=12,
    )
    values.update(overrides)
    return retention.RetentionPolicy(**values)


def test_purge_deletes_each_kind_after_its_period_and_nothing_else(app, coordinator):
    make_areas()
    today = dt.date(2026, 12, 2)
    old = make_story(text="Oud verhaal " + PRIVATE, submitted_month=dt.date(2024, 11, 1))
    kept = make_story(text="Recent verhaal, dat blijft.", submitted_month=dt.date(2025, 1, 1))
    research = make_story(
        text="Oud met toestemming, blijft.",
        submitted_month=dt.date(2024, 1, 1),
        consent_research=True,
    )
    rejected = make_story(
        text="Afgewezen verhaal met scheldwoorden.",
        status="rejected",
        status_changed_at=dt.datetime(2026, 10, 1),
    )
    coordinator.last_login_at = dt.datetime(2026, 11, 30)
    idle = create_staff_user(db.session, "idle@example.org", "Idle", PASSWORD)
    idle.created_at = dt.datetime(2025, 1, 1)
    db.session.commit()

    plan = retention.plan_purge(db.session, _policy(), today)
    assert plan.stories == [old.id] and plan.rejected_stories == [rejected.id]
    assert plan.inactive_accounts == [idle.id]
    assert db.session.scalar(select(func.count()).select_from(Story)) == 4  # a plan changes nothing
    retention.apply_purge(db.session, plan)
    assert sorted(db.session.scalars(select(Story.id))) == sorted([kept.id, research.id])
    db.session.refresh(idle)
    assert not idle.active and "idle@" not in idle.email
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "purge.applied")).details[
            "stories"
        ]
        == 1
    )


def test_purged_text_leaves_no_trace_in_the_database_file(app):
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("file-level check applies to SQLite; PostgreSQL is vacuumed")
    marker = "Zeldzaamwoordxq " * 20
    make_story(text=marker + PRIVATE, submitted_month=dt.date(2020, 1, 1))
    make_story(
        text="Ander verhaal dat blijft staan in de buurt.", submitted_month=dt.date(2026, 11, 1)
    )
    db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.session.commit()
    path = Path(url.database)
    files = [path, Path(str(path) + "-wal")]
    assert any(b"Zeldzaamwoordxq" in f.read_bytes() for f in files if f.exists())
    plan = retention.plan_purge(db.session, _policy(), dt.date(2026, 12, 2))
    retention.apply_purge(db.session, plan)
    for f in files:
        if f.exists():
            assert b"Zeldzaamwoordxq" not in f.read_bytes(), f


def test_purge_command_is_a_dry_run_unless_told_to_apply(app):
    make_story(
        text="Heel oud verhaal over de buurt en het buurthuis.", submitted_month=dt.date(2019, 1, 1)
    )
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge"])
    assert dry.exit_code == 0 and "Proefrun" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Story)) == 1
    applied = runner.invoke(args=["purge", "--apply"])
    assert applied.exit_code == 0 and "Verwijderd" in applied.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


@pytest.mark.parametrize(
    "path", ["/beheer/verhalen", "/beheer/logboek", "/beheer/logboek.csv", "/raad/"]
)
def test_staff_and_council_pages_and_downloads_are_never_cached(client, coordinator, path):
    login(client, "co@example.org")
    response = client.get(path)
    assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)


def test_research_and_quotes_leave_out_stories_without_health_consent(app):
    from webapp.services.consent import quotable, research_usable

    yes = make_story(
        text="Met toestemming", consent_quote=True, consent_research=True, consent_health=True
    )
    unasked = make_story(text="Niet gevraagd", consent_quote=True, consent_research=True)
    make_story(text="Geweigerd", consent_quote=True, consent_research=True, consent_health=False)
    assert sorted(db.session.scalars(select(Story.id).where(quotable()))) == sorted(
        [yes.id, unasked.id]
    )
    assert sorted(db.session.scalars(select(Story.id).where(research_usable()))) == sorted(
        [yes.id, unasked.id]
    )


def test_privacy_statement_names_the_residents_own_gemeente_and_its_contacts(client):
    areas = {**make_areas(), **make_second_gemeente()}
    testdam = areas["testdam"]
    testdam.privacy_contact, testdam.dpo_contact = "privacy@testdam.example", "fg@testdam.example"
    db.session.commit()
    page = client.get("/privacy?gemeente=testdam").get_data(as_text=True)
    assert "Testdam is verantwoordelijk" in page and "fg@testdam.example" in page
    other = next(code for code, area in areas.items() if area.level == "city" and code != "testdam")
    other_page = client.get(f"/privacy?gemeente={other}").get_data(as_text=True)
    assert "fg@testdam.example" not in other_page
