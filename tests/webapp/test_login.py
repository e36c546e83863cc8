"""Password guessing is slowed per account and address through the database (shared by every
worker) without locking the real user out; every login is audit-logged; passwords are strong."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.webapp.accounts import PASSWORD, make_account
from webapp.extensions import db
from webapp.models import AuditEvent, StaffUser
from webapp.services import login_throttle
from webapp.services.passwords import MIN_PASSWORD_LENGTH, password_problem
from webapp.services.staff_accounts import AccountError, create_staff_user


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 12, 1, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now


def attempt(client, password: str, address: str, email: str = "co@example.org"):
    return client.post(
        "/beheer/inloggen",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def clock_app(make_app):
    clock = Clock()
    app = make_app(LOGIN_CLOCK=clock)
    with app.app_context():
        make_account("co@example.org", "coordinator")
        yield app, clock


def test_five_wrong_passwords_from_one_address_make_that_address_wait(clock_app):
    app, clock = clock_app
    client = app.test_client()
    for _ in range(login_throttle.PAIR_LIMIT):
        assert attempt(client, "wrong password 123", "10.0.0.1").status_code == 422
    refused = attempt(client, PASSWORD, "10.0.0.1")
    assert refused.status_code == 429
    assert "Te veel pogingen om in te loggen. Wacht 15 minuten" in refused.get_data(as_text=True)
    # The real user elsewhere is not locked out.
    assert attempt(app.test_client(), PASSWORD, "192.0.2.7").status_code == 302
    clock.now += login_throttle.WINDOW + dt.timedelta(seconds=1)
    assert attempt(client, PASSWORD, "10.0.0.1").status_code == 302


def test_a_spread_attack_on_one_account_only_delays_it_by_seconds(clock_app):
    app, clock = clock_app
    client = app.test_client()
    for n in range(login_throttle.ACCOUNT_LIMIT):
        assert attempt(client, "wrong password 123", f"10.0.{n}.1").status_code == 422
    delayed = attempt(client, PASSWORD, "192.0.2.7")
    assert delayed.status_code == 429
    assert "Wacht 10 seconden" in delayed.get_data(as_text=True)
    clock.now += login_throttle.ACCOUNT_DELAY
    assert attempt(client, PASSWORD, "192.0.2.7").status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(clock_app):
    app, _clock = clock_app
    client = app.test_client()
    for n in range(login_throttle.ADDRESS_LIMIT):
        attempt(client, "wrong password 123", "10.9.9.9", email=f"user{n}@example.org")
    assert attempt(client, PASSWORD, "10.9.9.9").status_code == 429
    assert attempt(client, PASSWORD, "10.9.9.10").status_code == 302


def test_logins_are_audit_logged_without_passwords_and_set_last_login(clock_app):
    app, clock = clock_app
    client = app.test_client()
    attempt(client, "wrong password 123", "10.0.0.1", email="  CO@Example.org ")
    attempt(client, PASSWORD, "10.0.0.1")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    failure, success = events[-2], events[-1]
    assert (failure.action, failure.actor, failure.actor_id) == (
        "login.failure",
        "co@example.org",
        None,
    )
    assert "wrong password" not in str(failure.details)
    assert success.action == "login.success" and success.actor_id is not None
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "co@example.org"))
    assert user.last_login_at == clock.now


def test_failures_are_stored_as_keyed_hashes_only(clock_app):
    app, _clock = clock_app
    attempt(app.test_client(), "wrong password 123", "10.0.0.1")
    keys = login_throttle.login_keys(app.config["SECRET_KEY"], "co@example.org", "10.0.0.1")
    stored = db.session.scalar(select(login_throttle.LoginFailure))
    assert (stored.account_key, stored.address_key) == (keys.account, keys.address)
    assert "10.0.0.1" not in stored.address_key and "co@" not in stored.account_key


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "123456789012",
        "qwertyuiopas",
        "short pass",
        "password1234",
        "q1w2e3r4t5y6",
        "iloveyou2026!",
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", [PASSWORD, "fietsen naar de markt", "Zw4luw-Kade-19"])
def test_ordinary_long_passwords_are_accepted(password):
    assert len(password) >= MIN_PASSWORD_LENGTH
    assert password_problem(password) is None


def test_accounts_refuse_a_common_password(app):
    with pytest.raises(AccountError) as refused:
        create_staff_user(db.session, "a@example.org", "A", "iloveyou1234", role="reviewer")
    assert "veelgebruikte" in refused.value.render(_dutch())


def _dutch():
    from webapp.i18n import gettext_for

    return gettext_for("nl")
