"""Template filters and globals shared by every blueprint."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from .auth import (
    ACCOUNT_MANAGERS,
    EXPORTERS,
    MANAGERS,
    REPORT_READERS,
    REVIEWERS,
    current_staff_user,
)
from .services.scopes import holds_any

STATUS_LABELS = {"pending": _l("waiting"), "approved": _l("approved"), "rejected": _l("rejected")}

# (endpoint, label, roles that see it); items whose blueprint is not installed are left out.
STAFF_MENU = (
    ("staff.dashboard", _l("Overview"), MANAGERS),
    ("staff.stories", _l("Stories"), MANAGERS),
    ("review.queue", _l("Check themes"), REVIEWERS),
    ("staff.initiatives_list", _l("Initiatives"), MANAGERS),
    ("council.reports", _l("Reports"), REPORT_READERS),
    ("research.export", _l("Research export"), EXPORTERS),
    ("accounts.account_list", _l("Accounts"), ACCOUNT_MANAGERS),
)


def staff_menu() -> list[tuple[str, str]]:
    """The menu items the logged-in user may open, of the blueprints that are installed."""
    user = current_staff_user()
    if user is None:
        return []
    return [
        (endpoint, label)
        for endpoint, label, allowed in STAFF_MENU
        if endpoint in current_app.view_functions and holds_any(user, allowed)
    ]


def format_month(value: dt.date | None) -> str:
    return format_date(value, "MMMM yyyy") if value else ""


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["format_month"] = format_month
    app.jinja_env.filters["format_number"] = format_decimal
    app.jinja_env.filters["format_percent"] = format_percent
    app.jinja_env.globals.update(
        current_staff_user=current_staff_user,
        staff_menu=staff_menu,
        status_label=lambda status: STATUS_LABELS.get(status, status),
    )
