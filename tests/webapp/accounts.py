"""Test accounts: real rows with real grants, logged in through the real login page."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import StaffUser
from webapp.services.staff_accounts import Grant, create_staff_user

PASSWORD = "correct horse battery"


def make_account(email: str, role: str, area=None, *more: tuple[str, object]) -> StaffUser:
    """An account holding `role` for `area` (None: everywhere), plus (role, area) pairs."""
    grants = [Grant(role, area.id if area is not None else None)]
    grants += [Grant(r, a.id if a is not None else None) for r, a in more]
    return create_staff_user(db.session, email, email.split("@")[0], PASSWORD, grants=grants)


def log_in_as(client, email: str, password: str = PASSWORD):
    response = client.post("/beheer/inloggen", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
