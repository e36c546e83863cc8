"""The story form's triangle in headless Chromium: arrow keys, a tap, n.v.t., screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import StorySignification

pytestmark = pytest.mark.browser

STORY = "Sinds ik naar de aanschuiftafel ga, eet ik niet meer elke avond alleen. Dat doet me goed."
TEST_OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def stored_answers(app) -> dict[str, StorySignification]:
    with app.app_context():
        rows = db.session.scalars(select(StorySignification)).all()
        db.session.expunge_all()
        return {row.question: row for row in rows}


def percents(valuetext: str) -> dict[str, int]:
    """ "Contact met anderen 60%, Geld en spullen 30%, ..." -> {"Contact met anderen": 60, ...}"""
    pairs = (part.rsplit(" ", 1) for part in valuetext.split(", "))
    return {label: int(number.rstrip("%")) for label, number in pairs}


def triangle(page):
    return page.get_by_role("slider", name="Waar ging het vooral over?")


def test_triad_is_set_with_arrow_keys_and_announces_its_value(live_server, browser_page):
    base_url, app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")
    page.get_by_label("Uw verhaal").fill(STORY)

    assert page.locator("[data-triad-fallback]").is_hidden()  # the triangle replaced the choices
    handle = triangle(page)
    handle.focus()
    assert handle.get_attribute("aria-valuetext") == "Nog geen antwoord"
    handle.press("ArrowUp")  # the first key puts the point in the middle
    centre = percents(handle.get_attribute("aria-valuetext"))
    assert list(centre) == ["Contact met anderen", "Geld en spullen", "Gezondheid"]
    assert sum(centre.values()) == 100 and set(centre.values()) <= {33, 34}
    for _ in range(6):
        handle.press("ArrowUp")
    text = handle.get_attribute("aria-valuetext")
    assert percents(text)["Contact met anderen"] > 60
    assert page.locator("[data-triad-output]").inner_text() == text  # the live region says it too
    assert page.locator("[data-triad-output]").get_attribute("aria-live") == "polite"
    handle.press("ArrowLeft")
    handle.press("ArrowLeft")
    moved = percents(handle.get_attribute("aria-valuetext"))
    assert moved["Geld en spullen"] > percents(text)["Geld en spullen"]

    page.get_by_role("button", name="Verstuur mijn verhaal").click()
    page.wait_for_url("**/verhaal/bedankt")

    triad = stored_answers(app)["waarover"]
    assert triad.weight_1 + triad.weight_2 + triad.weight_3 == 1000
    assert triad.weight_1 > 600 and triad.weight_2 > triad.weight_3


def test_tap_places_the_point_and_nvt_and_clear_work(live_server, browser_page):
    base_url, app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")
    page.get_by_label("Uw verhaal").fill(STORY)
    handle = triangle(page)
    box = handle.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8 target size
    # Before an answer no point is drawn at all (a mark in the centre read as an answer).
    points = page.locator(".sig-svg circle")
    assert points.evaluate_all("els => els.filter(e => !e.hasAttribute('hidden')).length") == 0

    # a tap near the bottom right corner (Gezondheid); no dragging needed
    handle.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.9})
    assert points.evaluate_all("els => els.filter(e => !e.hasAttribute('hidden')).length") == 1
    assert percents(handle.get_attribute("aria-valuetext"))["Gezondheid"] > 80
    page.get_by_role("button", name="N.v.t.").click()
    assert handle.get_attribute("aria-valuetext") == "N.v.t."
    assert page.get_by_role("button", name="N.v.t.").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Mijn antwoord wissen").click()
    assert handle.get_attribute("aria-valuetext") == "Nog geen antwoord"
    handle.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.9})
    page.get_by_role("group", name="Hoe gaat het nu met u").get_by_label("Beter").check()
    page.get_by_label("dichter bij “minder alleen”").check()

    page.get_by_role("button", name="Verstuur mijn verhaal").click()
    page.wait_for_url("**/verhaal/bedankt")

    answers = stored_answers(app)
    assert answers["waarover"].weight_3 > 800
    assert answers["voor_na"].choice == "beter"
    assert answers["minder_alleen"].position == 25


@pytest.mark.parametrize("width", [360, 1280], ids=["phone-360", "desktop"])
def test_screenshots_of_the_form_with_the_triad(live_server, browser_page, width):
    base_url, _app = live_server
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{base_url}/verhaal")
    handle = triangle(page)
    handle.focus()
    for key in ("ArrowUp", "ArrowLeft", "ArrowLeft", "ArrowDown"):
        handle.press(key)
    # nothing sticks out sideways on a narrow phone
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    TEST_OUTPUT.mkdir(exist_ok=True)
    page.locator("#sig").screenshot(path=str(TEST_OUTPUT / f"story-triad-{width}.png"))
    page.screenshot(path=str(TEST_OUTPUT / f"story-form-{width}.png"), full_page=True)


def test_questions_are_reached_by_tab_between_the_story_and_the_neighbourhood(
    live_server, browser_page
):
    base_url, _app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")
    page.get_by_label("Uw verhaal").focus()
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "(el => el.getAttribute('role') || el.name || el.textContent.trim())"
                "(document.activeElement)"
            )
        )
        if order[-1] == "wijk":
            break

    assert order == [
        "slider",
        "Mijn antwoord wissen",
        "N.v.t.",
        "sig_voor_na",
        "sig_minder_alleen",
        "wijk_search",  # find the wijk by postcode or name, then the list itself
        "find_wijk",
        "wijk",
    ]


def test_without_javascript_the_triad_is_two_choices_and_is_stored(live_server, tmp_path):
    import os

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    base_url, app = live_server
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 800}, java_script_enabled=False, locale="nl-NL"
        )
        page = context.new_page()
        try:
            page.goto(f"{base_url}/verhaal")
            assert page.get_by_role("slider").count() == 0  # the triangle stays hidden
            page.get_by_label("Uw verhaal").fill(STORY)
            most = page.get_by_role("group", name="Wat was het belangrijkst?")
            most.get_by_label("Geld en spullen").check()
            second = page.get_by_role("group", name="En wat kwam op de tweede plaats?")
            second.get_by_label("Gezondheid").check()
            TEST_OUTPUT.mkdir(exist_ok=True)
            page.locator("#sig").screenshot(path=str(TEST_OUTPUT / "story-triad-nojs-360.png"))
            page.get_by_role("button", name="Verstuur mijn verhaal").click()
            page.wait_for_url("**/verhaal/bedankt")
        finally:
            context.close()
            browser.close()

    triad = stored_answers(app)["waarover"]
    assert (triad.weight_1, triad.weight_2, triad.weight_3) == (0, 667, 333)
