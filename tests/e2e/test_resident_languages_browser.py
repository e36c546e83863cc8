"""Residents in every language, in a real browser: right-to-left Arabic, 320 px phones, 200 %
zoom, keyboard only; screenshots of the story form for people to look at."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.public_pages import PUBLIC_PAGES
from tests.webapp.factories import make_areas, make_initiative
from webapp import clock
from webapp.extensions import db
from webapp.models import ActivityReport, Story
from webapp.services import initiative_links
from webapp.services.activity import last_complete_month
from webapp.services.areas import load_postcodes

pytestmark = pytest.mark.browser

LANGUAGES = ("nl", "en", "tr", "ar", "pl")
STORY = "Sinds ik naar de aanschuiftafel ga, eet ik niet meer elke avond alleen. Dat doet me goed."
PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1280, "height": 900}

LAYOUT = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          direction: getComputedStyle(document.body).direction,
          brand: box(".brand").left,
          label: box("label[for=story]").right, field: box("#story").right};
}"""


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: it reflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_story_form_reads_right_to_left_in_arabic_and_screenshots_every_language(
    live_server, browser_page, screenshot_dir
):
    base_url, _app = live_server
    page = browser_page
    for lang in LANGUAGES:
        page.goto(f"{base_url}/taal/{lang}?next=/verhaal")
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            layout = page.evaluate(LAYOUT)
            assert layout["scrollWidth"] <= layout["innerWidth"], (lang, width_name)
            if lang == "ar":
                # Mirrored: the brand sits on the right, labels end at the field's right edge.
                assert layout["direction"] == "rtl"
                assert layout["brand"] > layout["innerWidth"] / 2, layout
                assert abs(layout["label"] - layout["field"]) < 2, layout
            else:
                assert layout["direction"] == "ltr"
                assert layout["brand"] < layout["innerWidth"] / 2, layout
            path = screenshot_dir / f"story-form-{lang}-{width_name}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
        page.set_viewport_size(PHONE)


def test_public_pages_reflow_at_320_px_and_at_200_percent_zoom_in_every_language(
    live_server, browser_page
):
    base_url, _app = live_server
    page = browser_page
    problems = []
    for lang in LANGUAGES:
        page.goto(f"{base_url}/taal/{lang}?next=/")
        for name, path in PUBLIC_PAGES:
            page.set_viewport_size({"width": 320, "height": 640})
            page.goto(f"{base_url}{path}")
            if overflow(page) > 0:
                problems.append(f"{name} [{lang}] at 320 px: {overflow(page)} px too wide")
            # 200 % zoom of a 1280 px window: a 640 px wide viewport with text twice as large
            # as its default, as Chromium's page zoom renders it.
            page.set_viewport_size({"width": 640, "height": 450})
            page.evaluate("document.documentElement.style.fontSize = '225%'")
            if overflow(page) > 0:
                problems.append(f"{name} [{lang}] at 200% zoom: {overflow(page)} px too wide")
    assert not problems, "\n".join(problems)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_resident_sends_a_story_with_only_the_keyboard_in_polish(
    live_server, browser_page, tmp_path
):
    base_url, app = live_server
    with app.app_context():
        areas = make_areas()
        table = tmp_path / "postcodes.csv"
        table.write_text("postcode,area_code\n1055,testdam/noord/vogelbuurt\n")
        load_postcodes(db.session, table)
        vogelbuurt = areas["testdam/noord/vogelbuurt"].id
    page = browser_page
    page.goto(f"{base_url}/taal/pl?next=/verhaal")
    tab_to(page, "#story")
    page.keyboard.type(STORY)
    tab_to(page, "#wijk_search")
    page.keyboard.type("1055 AB")
    page.keyboard.press("Enter")  # submits with the first button of the form: the search
    page.locator("#wijk-search-result p").wait_for()
    assert "Vogelbuurt" in page.locator("#wijk-search-result").inner_text()
    assert page.locator("#story").input_value() == STORY  # the story survived the round trip
    assert page.locator("#wijk").input_value() == str(vogelbuurt)
    tab_to(page, "#consent_quote")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verhaal/bedankt")
    assert page.get_by_role("heading", name="Dziękujemy za Twoją historię").is_visible()
    with app.app_context():
        story = db.session.scalar(select(Story))
        assert story.text == STORY and story.area_id == vogelbuurt and story.consent_quote


def test_initiative_logs_a_month_with_only_the_keyboard_in_turkish(live_server, browser_page):
    base_url, app = live_server
    with app.app_context():
        initiative = make_initiative("Taalcafé Zuid")
        token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    page = browser_page
    page.goto(f"{base_url}/taal/tr?next=/doorgeven/{token}")
    figures = {
        "activiteiten": "8",
        "bezoeken": "120",
        "unieke_deelnemers": "40",
        "nieuwe_deelnemers": "5",
        "vrijwilligers": "6",
        "vrijwilligersuren": "64,5",
        "maaltijden": "0",
        "verwijzingen": "2",
    }
    for name, value in figures.items():
        tab_to(page, f"#{name}")
        page.keyboard.type(value)
    tab_to(page, "main form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/overzicht")
    assert "rakamlarınız kaydedildi" in page.get_by_role("status").first.inner_text()
    with app.app_context():
        saved = db.session.scalar(select(ActivityReport))
        # the form asks for the last complete month unless the volunteer chooses otherwise
        assert saved.month == last_complete_month(clock.today())
        assert saved.values["bezoeken"] == 120 and float(saved.values["vrijwilligersuren"]) == 64.5


def test_story_and_wijk_search_work_without_javascript(live_server, browser_page):
    base_url, app = live_server
    with app.app_context():
        make_areas()
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/verhaal")
        page.locator("#story").fill(STORY)
        page.locator("#wijk_search").fill("vogel")
        page.locator("button[name=find_wijk]").click()
        assert "Vogelbuurt" in page.locator("#wijk-search-result").inner_text()
        page.locator("button[type=submit]:not([name])").click()
        page.wait_for_url("**/verhaal/bedankt")
        assert page.locator("#withdrawal-code").is_visible()
    finally:
        context.close()
    with app.app_context():
        assert db.session.scalar(select(Story)).text == STORY
