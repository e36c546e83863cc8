"""Admins and coordinators manage accounts within their scope, on the web and the command line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.webapp.accounts import PASSWORD, log_in_as, make_account
from tests.webapp.factories import make_areas, make_second_gemeente
from webapp.extensions import db
from webapp.models import AuditEvent, StaffUser

LINK = re.compile(r'value="(http://localhost/beheer/wachtwoord/[^"]+)"')
NEW_PASSWORD = "de fiets staat bij de kerk"


@pytest.fixture
def areas(app):
    return {**make_areas(), **make_second_gemeente()}


def account(email: str) -> StaffUser:
    db.session.expire_all()
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_admin_invites_someone_who_sets_a_password_once_and_logs_in(client, app, areas):
    make_account("admin@example.org", "admin")
    log_in_as(client, "admin@example.org")
    response = client.post(
        "/beheer/accounts/uitnodigen",
        data={
            "email": "Nieuw@Example.org",
            "name": "Nieuw",
            "role": "councillor",
            "area": "proefstad",
        },
    )
    assert response.status_code == 200
    link = LINK.search(response.get_data(as_text=True)).group(1)
    invited = account("nieuw@example.org")
    assert [(g.role, g.area.code) for g in invited.grants] == [("councillor", "proefstad")]
    assert invited.password_hash == ""
    assert "nieuw@example.org" in client.get("/beheer/accounts").get_data(as_text=True)

    guest = app.test_client()
    path = link.replace("http://localhost", "")
    assert guest.get(path).status_code == 200
    weak = guest.post(path, data={"password": "aaaaaaaaaaaa", "repeat": "aaaaaaaaaaaa"})
    assert weak.status_code == 422 and "te makkelijk te raden" in weak.get_data(as_text=True)
    saved = guest.post(path, data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert saved.status_code == 303
    assert guest.get(path).status_code == 404  # used once
    log_in_as(guest, "nieuw@example.org", NEW_PASSWORD)
    assert guest.get("/raad/?periode=2026-Q1&gebied=proefstad").status_code == 200
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "account.created" in actions and "account.password_reset" in actions


def test_stadsdeel_coordinator_manages_only_within_the_stadsdeel(client, areas):
    make_account("noord@example.org", "coordinator", areas["testdam/noord"])
    zuid = make_account("zuid@example.org", "reviewer", areas["testdam/zuid"])
    own = make_account("check@example.org", "reviewer", areas["testdam/noord/vogelbuurt"])
    log_in_as(client, "noord@example.org")
    listing = client.get("/beheer/accounts").get_data(as_text=True)
    assert "check@example.org" in listing and "zuid@example.org" not in listing
    assert client.get(f"/beheer/accounts/{zuid.id}").status_code == 404
    assert client.post(f"/beheer/accounts/{zuid.id}/uitschakelen").status_code == 404
    for role, area in (("admin", "testdam/noord"), ("reviewer", "testdam/zuid"), ("reviewer", "")):
        refused = client.post(
            "/beheer/accounts/uitnodigen",
            data={"email": "x@example.org", "role": role, "area": area},
        )
        assert refused.status_code == 422, (role, area)
    assert account("x@example.org") is None
    added = client.post(
        f"/beheer/accounts/{own.id}",
        data={"action": "add", "role": "councillor", "area": "testdam/noord"},
    )
    assert added.status_code == 303
    assert account("check@example.org").roles() == {"reviewer", "councillor"}
    assert client.post(f"/beheer/accounts/{own.id}/uitschakelen").status_code == 303
    assert account("check@example.org").active is False


def test_nobody_changes_their_own_access(client, areas):
    admin = make_account("admin@example.org", "admin")
    log_in_as(client, "admin@example.org")
    assert client.get(f"/beheer/accounts/{admin.id}").status_code == 404


def test_reset_link_ends_sessions_and_lets_the_holder_choose_a_password(client, app, areas):
    make_account("admin@example.org", "admin")
    holder = make_account("co@example.org", "coordinator", areas["testdam"])
    holder_browser = app.test_client()
    log_in_as(holder_browser, "co@example.org")
    log_in_as(client, "admin@example.org")
    response = client.post(f"/beheer/accounts/{holder.id}/herstellink")
    link = LINK.search(response.get_data(as_text=True)).group(1)
    assert holder_browser.get("/beheer/verhalen").status_code == 302
    path = link.replace("http://localhost", "")
    holder_browser.post(path, data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    log_in_as(holder_browser, "co@example.org", NEW_PASSWORD)


def test_role_removal_takes_effect_on_the_next_request(client, app, areas):
    make_account("admin@example.org", "admin")
    co = make_account("co@example.org", "coordinator", areas["testdam"])
    browser = app.test_client()
    log_in_as(browser, "co@example.org")
    assert browser.get("/beheer/verhalen").status_code == 200
    log_in_as(client, "admin@example.org")
    grant_id = co.grants[0].id
    client.post(
        f"/beheer/accounts/{co.id}", data={"action": "add", "role": "councillor", "area": "testdam"}
    )
    client.post(f"/beheer/accounts/{co.id}", data={"action": f"remove:{grant_id}"})
    assert account("co@example.org").roles() == {"councillor"}
    assert browser.get("/beheer/verhalen").status_code == 403


def test_staff_commands_create_invite_list_set_role_deactivate_reset(app, areas):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["staff", *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("create", "--email", "a@example.org", "--role", "admin", "--password", PASSWORD)
    invite = run(
        "invite", "--email", "b@example.org", "--role", "reviewer", "--area", "testdam/noord"
    )
    assert "http://localhost/beheer/wachtwoord/" in invite
    listing = run("list")
    assert "a@example.org\tactive\tadmin@all" in listing
    assert "b@example.org\tinvited\treviewer@testdam/noord" in listing
    run(
        "set-role",
        "--email",
        "b@example.org",
        "--role",
        "councillor",
        "--area",
        "proefstad",
        "--add",
    )
    assert account("b@example.org").roles() == {"reviewer", "councillor"}
    reset = run("reset-password", "--email", "a@example.org")
    assert "/beheer/wachtwoord/" in reset
    run("deactivate", "--email", "a@example.org")
    assert account("a@example.org").active is False
    weak = runner.invoke(
        args=[
            "staff",
            "create",
            "--email",
            "c@example.org",
            "--role",
            "admin",
            "--password",
            "aaaaaaaaaaaa",
        ]
    )
    assert weak.exit_code != 0 and "te makkelijk" in weak.output
    unknown = runner.invoke(
        args=["staff", "invite", "--email", "d@example.org", "--role", "admin", "--area", "nergens"]
    )
    assert unknown.exit_code != 0 and "unknown area" in unknown.output
