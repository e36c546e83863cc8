"""With JavaScript the story box shows a live count; over the limit it says how many too many,
and nothing is cut off."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_live_character_count_never_cuts_the_text(live_server, browser_page):
    base_url, _app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")

    expect = pytest.importorskip("playwright.sync_api").expect
    counter = page.locator("#story-count")
    expect(counter).to_have_text("0 van 5.000 tekens")
    page.get_by_label("Uw verhaal").fill("a" * 5003)
    expect(counter).to_have_text("5.003 van 5.000 tekens: 3 te veel")
    assert len(page.get_by_label("Uw verhaal").input_value()) == 5003
