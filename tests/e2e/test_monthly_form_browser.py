"""An initiative opens its personal link on a phone and logs a month in one screen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.webapp.factories import make_initiative
from webapp.extensions import db
from webapp.models import ActivityReport
from webapp.services import activity, initiative_links

pytestmark = pytest.mark.browser


def test_initiative_logs_a_month_prefilled_from_last_month(
    live_server, browser_page, screenshot_dir
):
    base_url, app = live_server
    this_month = dt.date.today().replace(day=1)
    report_month = (this_month - dt.timedelta(days=1)).replace(day=1)  # asked by default
    last_month = (report_month - dt.timedelta(days=1)).replace(day=1)
    with app.app_context():
        initiative = make_initiative("Buurthuiskamer De Linde")
        token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
        previous = {
            "activiteiten": 8,
            "bezoeken": 120,
            "unieke_deelnemers": 40,
            "nieuwe_deelnemers": 5,
            "vrijwilligers": 6,
            "vrijwilligersuren": 64,
            "maaltijden": 0,
            "verwijzingen": 2,
        }
        activity.save_monthly_report(
            db.session, initiative, last_month, previous, activity.load_activity_definition()
        )

    page = browser_page
    page.goto(f"{base_url}/doorgeven/{token}")
    assert page.get_by_label("Totaal aantal bezoeken").input_value() == "120"
    page.screenshot(path=str(screenshot_dir / "monthly-form.png"), full_page=True)

    page.get_by_label("Totaal aantal bezoeken").fill("135")
    page.get_by_label("Unieke deelnemers").fill("42")
    page.get_by_label("Ik heb deze cijfers nagekeken").check()
    page.get_by_role("button", name="Verstuur de cijfers").click()
    page.wait_for_url("**/overzicht")
    assert page.get_by_role("status").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "monthly-overview.png"), full_page=True)

    with app.app_context():
        saved = db.session.scalar(
            select(ActivityReport).where(ActivityReport.month == report_month)
        )
        assert saved.values["bezoeken"] == 135 and saved.values["unieke_deelnemers"] == 42
        assert saved.values["activiteiten"] == 8  # kept from last month's prefill
