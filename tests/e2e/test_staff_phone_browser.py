"""Staff screens fit a 390px phone: wide tables scroll inside their own box, the page does not."""

from __future__ import annotations

from tests.webapp.accounts import PASSWORD, make_account
from webapp.extensions import db
from webapp.job_kinds import RECLASSIFY
from webapp.models import BackgroundJob


def test_the_jobs_page_fits_a_phone_with_a_long_error_message(live_server, browser_page):
    base_url, app = live_server
    with app.app_context():
        make_account("admin@example.org", "admin")
        for number in range(3):
            db.session.add(
                BackgroundJob(
                    id=f"job-{number}",
                    kind=RECLASSIFY,
                    params={},
                    state="failed",
                    progress_done=40,
                    progress_total=120,
                    attempts=3,
                    error="RuntimeError: no theme model in /var/lib/weefsel/models/CURRENT",
                )
            )
        db.session.commit()
    page = browser_page
    page.goto(f"{base_url}/beheer/inloggen")
    page.locator("#email").fill("admin@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beheer/**")

    page.goto(f"{base_url}/beheer/taken")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    assert page.locator("table tbody tr").count() == 3
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
