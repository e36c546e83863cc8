"""A resident tells a story in a phone-sized Chromium window and withdraws it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Story

pytestmark = pytest.mark.browser

STORY = "Sinds ik naar de aanschuiftafel ga, eet ik niet meer elke avond alleen. Dat doet me goed."


def story_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Story))


def test_resident_sends_story_sees_code_and_withdraws_it(live_server, browser_page, screenshot_dir):
    base_url, app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")
    assert page.locator("html").get_attribute("lang") == "nl"

    page.get_by_label("Uw verhaal").fill("te kort")
    page.get_by_role("button", name="Verstuur mijn verhaal").click()
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("Uw verhaal").input_value() == "te kort"
    page.screenshot(path=str(screenshot_dir / "story-form-error.png"), full_page=True)

    page.get_by_label("Uw verhaal").fill(STORY)
    page.get_by_label("Uw leeftijd (mag u overslaan)").select_option("65-79")
    page.get_by_label("U mag een kort stukje van mijn verhaal").check()
    page.get_by_role("button", name="Verstuur mijn verhaal").click()

    page.wait_for_url("**/verhaal/bedankt")
    assert page.get_by_role("heading", name="Bedankt voor uw verhaal").is_visible()
    code = page.locator("#withdrawal-code").inner_text().strip()
    page.screenshot(path=str(screenshot_dir / "story-thanks.png"), full_page=True)
    assert story_count(app) == 1
    with app.app_context():
        stored = db.session.scalar(select(Story))
        assert stored.text == STORY and stored.age_band == "65-79" and stored.consent_quote

    page.goto(f"{base_url}/verhaal/intrekken")
    page.get_by_label("Uw persoonlijke code").fill(code)
    page.get_by_role("button", name="Verwijder mijn verhaal").click()
    assert page.get_by_role("heading", name="Uw verhaal is verwijderd").is_visible()
    assert story_count(app) == 0
