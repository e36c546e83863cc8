"""Sessions end on the server: logout and a new password refuse copied cookies; sessions expire
after 30 idle minutes and 12 hours; cookies are Secure by default; links use the base URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.webapp.accounts import PASSWORD, log_in_as, make_account
from tests.webapp.factories import make_areas, make_initiative
from webapp.config import settings_from_environment
from webapp.extensions import db
from webapp.models import AuditEvent, StaffUser


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copied_cookie_is_refused_after_logout(make_app):
    app = make_app()
    with app.app_context():
        make_account("co@example.org", "coordinator")
        browser, thief = app.test_client(), app.test_client()
        log_in_as(browser, "co@example.org")
        thief.set_cookie("session", session_cookie(browser), domain="localhost")
        assert thief.get("/beheer/verhalen").status_code == 200
        assert browser.post("/beheer/uitloggen").status_code == 302
        refused = thief.get("/beheer/verhalen")
        assert refused.status_code == 302 and "/beheer/inloggen" in refused.headers["Location"]
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["account.created", "login.success", "logout"]


def test_changing_the_password_ends_every_session_of_the_account(make_app):
    app = make_app()
    with app.app_context():
        make_account("co@example.org", "coordinator")
        laptop, phone = app.test_client(), app.test_client()
        log_in_as(laptop, "co@example.org")
        log_in_as(phone, "co@example.org")
        response = laptop.post(
            "/beheer/wachtwoord",
            data={
                "current": PASSWORD,
                "password": "een nieuwe lange zin voor mij",
                "repeat": "een nieuwe lange zin voor mij",
            },
        )
        assert response.status_code == 303
        assert phone.get("/beheer/verhalen").status_code == 302
        assert laptop.get("/beheer/verhalen").status_code == 302
        log_in_as(phone, "co@example.org", "een nieuwe lange zin voor mij")
        assert phone.get("/beheer/verhalen").status_code == 200


class Clock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_idle_sessions_end_after_30_minutes_and_every_session_after_12_hours(make_app):
    clock = Clock()
    app = make_app(SESSION_CLOCK=clock)
    with app.app_context():
        make_account("co@example.org", "coordinator")
        client = app.test_client()
        log_in_as(client, "co@example.org")
        for _ in range(24):  # active all day: a request every 29 minutes, for 11.6 hours
            clock.now += 29 * 60
            assert client.get("/beheer/verhalen").status_code == 200
        clock.now += 29 * 60  # 12.08 hours after logging in
        assert client.get("/beheer/verhalen").status_code == 302
        log_in_as(client, "co@example.org")
        clock.now += 31 * 60
        assert client.get("/beheer/verhalen").status_code == 302


def test_a_deactivated_account_is_logged_out_at_once(client, app):
    make_account("co@example.org", "coordinator")
    user = make_account("admin@example.org", "admin")
    log_in_as(client, "co@example.org")
    co = db.session.scalar(select(StaffUser).where(StaffUser.email == "co@example.org"))
    from webapp.services.staff_accounts import deactivate

    deactivate(db.session, co, actor=user)
    assert client.get("/beheer/verhalen").status_code == 302


def test_cookies_are_secure_by_default_and_the_demo_says_otherwise():
    assert settings_from_environment({})["SESSION_COOKIE_SECURE"] is True
    demo = settings_from_environment({"WEEFSEL_SECURE_COOKIES": "0"})
    assert demo["SESSION_COOKIE_SECURE"] is False
    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "WEEFSEL_SECURE_COOKIES=0" in makefile.split("\ndemo:")[1].split("\n\n")[0]


def test_login_sets_a_secure_httponly_cookie_and_https_gets_hsts(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        make_account("co@example.org", "coordinator")
        client = app.test_client()
        response = client.post(
            "/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD}
        )
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Strict-Transport-Security" not in response.headers
        https = client.get("/", base_url="https://localhost")
        assert https.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_links_use_the_base_url_not_the_host_header(make_app):
    app = make_app(BASE_URL="https://weefsel.example.nl", SERVER_NAME=None)
    with app.app_context():
        make_areas()
        make_account("co@example.org", "coordinator")
        initiative = make_initiative()
        client = app.test_client()
        evil = "http://evil.example"  # the Host header a client chose
        client.post(
            "/beheer/inloggen",
            data={"email": "co@example.org", "password": PASSWORD},
            base_url=evil,
        )
        issued = client.post(f"/beheer/initiatieven/{initiative.id}/link", base_url=evil)
        assert issued.status_code == 303
        page = client.get(f"/beheer/initiatieven/{initiative.id}", base_url=evil)
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "https://weefsel.example.nl/doorgeven/" in html and "evil.example" not in html
