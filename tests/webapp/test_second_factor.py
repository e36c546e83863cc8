"""The optional second login step (TOTP), and the installation setting that requires it for
roles that may read original story text."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from tests.webapp.accounts import PASSWORD, make_account
from webapp.extensions import db
from webapp.models import StaffUser


def login(client, email="co@example.org"):
    return client.post("/beheer/inloggen", data={"email": email, "password": PASSWORD})


def secret_from(page: str) -> str:
    return re.search(r'<code class="copy-field">([A-Z2-7]+)</code>', page).group(1)


def turn_on(client) -> str:
    secret = secret_from(client.get("/beheer/tweestaps").get_data(as_text=True))
    wrong = client.post("/beheer/tweestaps", data={"code": "000000"})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    on = client.post("/beheer/tweestaps", data={"code": pyotp.TOTP(secret).now()})
    assert on.status_code == 303
    return secret


def test_with_a_second_step_the_password_alone_does_not_log_in(client, app):
    make_account("co@example.org", "coordinator")
    assert login(client).status_code == 302
    secret = turn_on(client)
    client.post("/beheer/uitloggen")
    step = login(client)
    assert step.status_code == 303 and step.headers["Location"].endswith("/beheer/inloggen/code")
    assert client.get("/beheer/verhalen").status_code == 302  # not logged in yet
    assert client.post("/beheer/inloggen/code", data={"code": "123456"}).status_code == 422
    done = client.post("/beheer/inloggen/code", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert client.get("/beheer/verhalen").status_code == 200


def test_code_guessing_is_throttled_like_passwords(client, app):
    make_account("co@example.org", "coordinator")
    login(client)
    turn_on(client)
    client.post("/beheer/uitloggen")
    login(client)
    statuses = [
        client.post("/beheer/inloggen/code", data={"code": f"{n:06d}"}).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_installation_can_require_the_second_step_for_original_text_roles(make_app):
    app = make_app(REQUIRE_TOTP=True)
    with app.app_context():
        make_account("co@example.org", "coordinator")
        make_account("raad@example.org", "councillor")
        client = app.test_client()
        login(client)
        forced = client.get("/beheer/verhalen")
        assert forced.status_code == 302 and forced.headers["Location"].endswith(
            "/beheer/tweestaps"
        )
        assert "Uw rol vraagt" in client.get("/beheer/tweestaps").get_data(as_text=True)
        turn_on(client)
        assert client.get("/beheer/verhalen").status_code == 200
        refused = client.post("/beheer/tweestaps", data={"code": "000000"})
        assert refused.status_code == 422
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == "co@example.org"))
        assert user.totp_secret
        councillor = app.test_client()
        login(councillor, "raad@example.org")
        assert councillor.get("/raad/").status_code == 200  # not a role that reads original text


def test_a_login_code_works_only_once(client, app):
    make_account("co@example.org", "coordinator")
    login(client)
    secret = turn_on(client)
    client.post("/beheer/uitloggen")
    code = pyotp.TOTP(secret).now()
    login(client)
    assert client.post("/beheer/inloggen/code", data={"code": code}).status_code == 302
    client.post("/beheer/uitloggen")
    login(client)
    replay = client.post("/beheer/inloggen/code", data={"code": code})
    assert replay.status_code == 422
