"""Residents who do not know their official wijk find it by postcode or part of a name."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.webapp.factories import make_areas, make_second_gemeente
from webapp.extensions import db
from webapp.models import Area, PostcodeArea, Story
from webapp.services.areas import (
    POSTCODES_SAMPLE_FILE,
    AreaFileError,
    find_wijken,
    load_areas,
    load_postcodes,
)

STORY = "Sinds ik naar de aanschuiftafel ga, eet ik niet meer elke avond alleen."


def write_table(tmp_path, rows: str):
    path = tmp_path / "postcodes.csv"
    path.write_text("postcode,area_code\n" + rows, encoding="utf-8")
    return path


def search(client, query: str) -> str:
    data = {"story": STORY, "wijk_search": query, "find_wijk": "1", "wijk": "", "initiative": ""}
    response = client.post("/verhaal", data=data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def selected_wijk(page: str) -> str | None:
    match = re.search(r'<option selected value="(\d+)">', page)
    return match.group(1) if match else None


def test_postcode_finds_the_wijk_keeps_the_story_and_stores_nothing(client, tmp_path):
    areas = make_areas()
    load_postcodes(db.session, write_table(tmp_path, "1055,testdam/noord/vogelbuurt\n"))
    page = search(client, "1055 ab")
    assert "Vogelbuurt (Noord)" in page and '<div role="status" id="wijk-search-result">' in page
    assert selected_wijk(page) == str(areas["testdam/noord/vogelbuurt"].id)
    assert STORY in page  # the story the resident typed is still there
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


def test_part_of_a_name_finds_wijken_without_caring_about_case_or_accents(client):
    make_areas()
    assert [w.name for w in find_wijken(db.session, "VOGEL")] == ["Vogelbuurt"]
    assert [w.name for w in find_wijken(db.session, "rivierénwijk")] == ["Rivierenwijk"]
    # a stadsdeel's name finds its wijken
    assert [w.name for w in find_wijken(db.session, "zuid")] == ["Rivierenwijk"]
    page = search(client, "buurt")
    assert "We vonden Vogelbuurt (Noord)" in page


def test_several_none_or_too_short_explain_what_to_do(client):
    areas = make_areas()
    db.session.add(
        Area(code="t/z/vw", name="Vogelwijk", level="wijk", parent=areas["testdam/zuid"])
    )
    db.session.commit()
    page = search(client, "vogel")
    assert "Deze wijken passen: Vogelbuurt (Noord), Vogelwijk (Zuid)." in page
    assert selected_wijk(page) is None
    assert "We vonden geen wijk bij “9999”" in search(client, "9999")
    assert "minstens twee letters" in search(client, "x")
    assert selected_wijk(search(client, "9999")) is None


def test_search_answers_in_the_residents_language(make_app):
    app = make_app()
    with app.app_context():
        make_areas()
    client = app.test_client()
    client.get("/taal/ar")
    assert "وجدنا Vogelbuurt (Noord)" in search(client, "vogel")


def test_loading_postcodes_replaces_the_table_and_rejects_bad_rows(app, tmp_path):
    make_areas()
    rows = "1055,testdam/noord/vogelbuurt\n1078 XK,testdam/zuid/rivierenwijk\n"
    assert load_postcodes(db.session, write_table(tmp_path, rows)) == 2
    assert db.session.get(PostcodeArea, "1078").area.name == "Rivierenwijk"
    for bad, message in (
        ("10A5,testdam/noord/vogelbuurt\n", ":2: column 'postcode' must be four digits"),
        ("1055,testdam/noord\n", ":2: 'testdam/noord' is not a wijk"),
        ("1055,testdam/noord/vogelbuurt\n1055,testdam/zuid/rivierenwijk\n", ":3: postcode 1055"),
    ):
        try:
            load_postcodes(db.session, write_table(tmp_path, bad))
        except AreaFileError as error:
            assert message in str(error)
        else:
            raise AssertionError(f"accepted {bad!r}")
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PostcodeArea)) == 2  # unchanged


def test_cli_loads_the_shipped_sample_for_the_demo_areas(app):
    load_areas(db.session)
    result = app.test_cli_runner().invoke(
        args=["areas", "load-postcodes", str(POSTCODES_SAMPLE_FILE)]
    )
    assert result.exit_code == 0, result.output
    assert "postcodes loaded" in result.output
    assert [w.name for w in find_wijken(db.session, "1055")] == ["Bos en Lommer"]
    bad = app.test_cli_runner().invoke(args=["areas", "load-postcodes", __file__])
    assert bad.exit_code != 0 and "missing column" in bad.output


def test_the_script_gets_the_same_answer_as_json_with_the_forms_csrf_token(csrf_app):
    areas = make_areas()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/verhaal").get_data(as_text=True))
    assert client.post("/verhaal/wijken", data={"q": "vogel"}).status_code == 400  # no token
    response = client.post("/verhaal/wijken", data={"q": "vogel"}, headers={"X-CSRFToken": token})
    assert response.json == {
        "message": "We vonden Vogelbuurt (Noord) en kozen die in de lijst hieronder. "
        "Klopt dat niet? Kies dan een andere wijk.",
        "matches": [{"id": areas["testdam/noord/vogelbuurt"].id, "name": "Vogelbuurt (Noord)"}],
    }
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


def test_the_postcode_example_comes_from_the_chosen_gemeentes_own_table(client, tmp_path):
    make_areas()
    make_second_gemeente()
    rows = "1055,testdam/noord/vogelbuurt\n1078,testdam/zuid/rivierenwijk\n"
    load_postcodes(db.session, write_table(tmp_path, rows))

    testdam = client.get("/verhaal?gemeente=testdam").get_data(as_text=True)
    proefstad = client.get("/verhaal?gemeente=proefstad").get_data(as_text=True)

    assert "Typ de vier cijfers van uw postcode (bijvoorbeeld 1055)" in testdam
    assert "Typ de vier cijfers van uw postcode of een deel van de naam" in proefstad
    assert "bijvoorbeeld 10" not in proefstad
    load_postcodes(db.session, write_table(tmp_path, rows + "3072,proefstad/west/havenkwartier\n"))
    proefstad = client.get("/verhaal?gemeente=proefstad").get_data(as_text=True)
    assert "(bijvoorbeeld 3072)" in proefstad
