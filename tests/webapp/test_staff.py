"""Staff log in, see only what their role allows, and moderate stories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.webapp.factories import make_story
from webapp.extensions import db
from webapp.models import Story
from webapp.services.staff_accounts import AccountError, authenticate, create_staff_user

PASSWORD = "correct horse battery"


def login(client, email: str, password: str = PASSWORD):
    return client.post("/beheer/inloggen", data={"email": email, "password": password})


@pytest.fixture
def coordinator(app):
    return create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")


def test_staff_pages_require_login(client):
    response = client.get("/beheer/verhalen")
    assert response.status_code == 302
    assert "/beheer/inloggen" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_clear_message(client, coordinator):
    response = login(client, "co@example.org", "wrong password!!")
    assert response.status_code == 422
    assert "komen niet overeen" in response.get_data(as_text=True)
    assert client.get("/beheer/verhalen").status_code == 302


def test_coordinator_moderates_a_story(client, coordinator):
    story = make_story()
    assert login(client, "CO@example.org").status_code == 302
    page = client.get("/beheer/verhalen?status=pending").get_data(as_text=True)
    assert story.text in page
    response = client.post(f"/beheer/verhalen/{story.id}/status", data={"status": "approved"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Story.status)) == "approved"


def test_unknown_status_is_a_400(client, coordinator):
    story = make_story()
    login(client, "co@example.org")
    assert (
        client.post(f"/beheer/verhalen/{story.id}/status", data={"status": "deleted"}).status_code
        == 400
    )


def test_councillor_cannot_moderate(client, app):
    create_staff_user(db.session, "raad@example.org", "Raadslid", PASSWORD, role="councillor")
    login(client, "raad@example.org")
    assert client.get("/beheer/verhalen").status_code == 403


def test_accounts_validate_role_and_password_and_uniqueness(app):
    with pytest.raises(AccountError):
        create_staff_user(db.session, "a@example.org", "A", "short", role="coordinator")
    with pytest.raises(AccountError):
        create_staff_user(db.session, "a@example.org", "A", PASSWORD, role="king")
    create_staff_user(db.session, "a@example.org", "A", PASSWORD)
    with pytest.raises(AccountError):
        create_staff_user(db.session, "A@example.org", "A", PASSWORD)
    assert authenticate(db.session, "a@example.org", PASSWORD) is not None
    assert authenticate(db.session, "nobody@example.org", PASSWORD) is None


def test_staff_create_command(app):
    result = app.test_cli_runner().invoke(
        args=[
            "staff",
            "create",
            "--email",
            "new@example.org",
            "--role",
            "researcher",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert authenticate(db.session, "new@example.org", PASSWORD).roles() == {"researcher"}
