"""The filters on /beheer/verhalen name areas and languages in words and offer only the areas
of the account's scope."""

from __future__ import annotations

import re

from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas, make_second_gemeente, make_story


def options_of(page: str, select_id: str) -> list[tuple[str, str]]:
    block = re.search(rf'<select id="{select_id}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block)


def test_area_filter_names_the_areas_in_scope_with_the_areas_they_lie_in(client):
    areas = make_areas()
    make_second_gemeente()
    make_account("noord@example.org", "coordinator", areas["testdam/noord"])
    log_in_as(client, "noord@example.org")

    page = client.get("/beheer/verhalen").get_data(as_text=True)

    assert options_of(page, "gebied") == [
        ("", "Alle gebieden"),
        ("testdam/noord", "Noord (Testdam)"),
        ("testdam/noord/vogelbuurt", "Vogelbuurt (Testdam, Noord)"),
    ]


def test_language_filter_names_the_languages_of_stories_in_scope(client):
    areas = make_areas()
    make_story(area=areas["testdam/noord/vogelbuurt"], language="ar")
    make_story(area=areas["testdam/noord/vogelbuurt"], language="nl")
    make_story(area=areas["testdam/zuid/rivierenwijk"], language="pl")
    make_account("noord@example.org", "coordinator", areas["testdam/noord"])
    log_in_as(client, "noord@example.org")

    page = client.get("/beheer/verhalen").get_data(as_text=True)

    assert options_of(page, "taal") == [
        ("", "Alle talen"),
        ("ar", "Arabisch"),
        ("nl", "Nederlands"),
    ]
