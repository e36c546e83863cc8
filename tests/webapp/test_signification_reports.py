"""Residents' own answers from the database into the council report and the staff comparison."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from tests.webapp.factories import make_areas, make_story
from webapp.extensions import db
from webapp.models import StorySignification, ThemeAssignment
from webapp.services.staff_accounts import create_staff_user

PASSWORD = "correct horse battery"
CONTACT, MONEY = (1000, 0, 0), (0, 1000, 0)


def story_with_answers(area, theme: str, answer: str | None, weights=None, status="approved"):
    story = make_story(area_id=area.id, submitted_month=dt.date(2026, 2, 1), status=status)
    db.session.add(
        ThemeAssignment(story_id=story.id, theme=theme, score=0.9, assigned=True, source="model")
    )
    common = {"story_id": story.id, "definition_id": "verhaal", "definition_version": "1"}
    if answer:
        db.session.add(
            StorySignification(**common, question="voor_na", kind="before_after", choice=answer)
        )
    if weights:
        w1, w2, w3 = weights
        db.session.add(
            StorySignification(
                **common, question="waarover", kind="triad", weight_1=w1, weight_2=w2, weight_3=w3
            )
        )
    db.session.commit()
    return story


@pytest.fixture
def answered(app):
    """Vogelbuurt: 8 loneliness stories (6 better), 2 poverty stories; one old definition."""
    areas = make_areas()
    north, south = areas["testdam/noord/vogelbuurt"], areas["testdam/zuid/rivierenwijk"]
    for index, answer in enumerate(["beter"] * 6 + ["hetzelfde", "slechter"]):
        story_with_answers(north if index % 2 else south, "eenzaamheid", answer, CONTACT)
    story_with_answers(north, "armoede", "beter", MONEY)
    gap = story_with_answers(north, "eenzaamheid", "slechter", MONEY)  # model: loneliness
    old = story_with_answers(north, "armoede", None)
    db.session.add(
        StorySignification(
            story_id=old.id,
            definition_id="verhaal",
            definition_version="0",  # answered under an older version: not mixed in
            question="voor_na",
            kind="before_after",
            choice="beter",
        )
    )
    story_with_answers(north, "armoede", "beter", MONEY, status="rejected")  # not counted
    db.session.commit()
    return {"gap": gap}


def login(client, role: str):
    create_staff_user(db.session, f"{role}@example.org", role, PASSWORD, role=role)
    client.post("/beheer/inloggen", data={"email": f"{role}@example.org", "password": PASSWORD})


def test_council_json_has_share_better_per_theme_with_suppression(client, answered):
    login(client, "councillor")

    response = client.get("/raad/rapport.json?periode=2026-Q1&gebied=testdam")

    data = json.loads(response.data)["signification"]
    assert data["definition"] == {"id": "verhaal", "version": "1"}
    assert data["better_overall"]["answered"] == 10
    assert data["better_overall"]["better"]["value"] == pytest.approx(0.7)
    themes = {item["key"]: item for item in data["better_by_theme"]}
    assert themes["eenzaamheid"]["answered"] == 9
    assert themes["eenzaamheid"]["better"]["value"] == pytest.approx(6 / 9)
    assert themes["armoede"]["better"]["suppressed"] is True  # one resident answered
    assert data["triad"]["stories"] == 10
    assert "story_id" not in response.get_data(as_text=True)


def test_council_page_shows_the_section_with_the_triad_picture(client, answered):
    login(client, "councillor")

    page = client.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)

    assert "Wat bewoners zelf zeggen over hun verhaal" in page
    assert 'id="figure-signification-triad"' in page
    assert "Driehoek met 10 verhalen" in page


def test_theme_filter_narrows_the_answers(client, answered):
    login(client, "councillor")

    response = client.get("/raad/rapport.json?periode=2026-Q1&gebied=testdam&thema=eenzaamheid")

    assert json.loads(response.data)["signification"]["better_overall"]["answered"] == 9


def test_staff_see_where_model_and_residents_disagree(client, answered):
    login(client, "coordinator")

    page = client.get("/beheer/zelfduiding").get_data(as_text=True)

    assert "9 van 10 verhalen" in page
    assert f'href="/beheer/themas/verhaal/{answered["gap"].id}"' in page
    assert "Dicht bij “Geld en spullen”" in page
    assert "leest de uitkomst (beter of slechter) nog niet" in page


def test_councillors_cannot_open_the_staff_comparison(client, answered):
    login(client, "councillor")

    assert client.get("/beheer/zelfduiding").status_code in (302, 403)


def test_research_export_has_answer_columns_jsonl_and_qdpx_variables(app):
    import io
    import zipfile

    from reports.research import read_qdpx, validate_qdpx
    from webapp.services.research_export import ExportFilter, export_research_archive

    wijk = make_areas()["testdam/noord/vogelbuurt"]
    for index in range(6):
        story = make_story(
            text=f"Verhaal {index} over de huiskamer en de buren die ik nu ken.",
            area_id=wijk.id,
            status="approved",
            consent_research=True,
        )
        common = {"story_id": story.id, "definition_id": "verhaal", "definition_version": "1"}
        db.session.add(
            StorySignification(
                **common,
                question="waarover",
                kind="triad",
                weight_1=600,
                weight_2=300,
                weight_3=100,
            )
        )
        db.session.add(
            StorySignification(**common, question="minder_alleen", kind="slider", position=25)
        )
        if index == 0:
            db.session.add(
                StorySignification(
                    **common, question="voor_na", kind="before_after", not_applicable=True
                )
            )
    db.session.commit()
    buffer = io.BytesIO()

    export_research_archive(db.session, ExportFilter(), ["csv", "jsonl", "qdpx"], buffer, "t")

    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header, *rows = members["stories.csv"].decode("utf-8-sig").splitlines()
    columns = header.split(",")
    assert columns[-7:] == [
        "sig_definition_id",
        "sig_definition_version",
        "sig_waarover_contact",
        "sig_waarover_geld",
        "sig_waarover_gezondheid",
        "sig_voor_na",
        "sig_minder_alleen",
    ]
    cells = [dict(zip(columns, row.split(","), strict=False)) for row in rows]
    assert {cell["sig_waarover_contact"] for cell in cells} == {"0.6"}
    assert sorted(cell["sig_voor_na"] for cell in cells) == ["", "", "", "", "", "nvt"]
    lines = [json.loads(line) for line in members["stories.jsonl"].decode().splitlines()]
    own = lines[0]["signification"]
    assert own["sig_definition_id"] == "verhaal" and own["sig_minder_alleen"] == 25
    weights = [own[f"sig_waarover_{c}"] for c in ("contact", "geld", "gezondheid")]
    assert sum(weights) == pytest.approx(1.0)
    validate_qdpx(io.BytesIO(members["stories.qdpx"]))
    project = read_qdpx(io.BytesIO(members["stories.qdpx"]))
    assert project.sources[0].variables["sig_waarover_geld"] == "0.3"


def test_demo_answers_are_seeded_valid_and_added_once(app):
    from webapp.services.signification_demo import load_demo_answers

    wijk = make_areas()["testdam/noord/vogelbuurt"]
    for index in range(12):
        make_story(
            text=f"Demo {index}: koffie met de buren, ik ben minder alleen.", area_id=wijk.id
        )

    first = load_demo_answers(db.session)
    second = load_demo_answers(db.session)

    assert 0 < first <= 12 and second == 0
    triads = db.session.scalars(
        select(StorySignification).where(StorySignification.kind == "triad")
    ).all()
    assert triads and all(t.weight_1 + t.weight_2 + t.weight_3 == 1000 for t in triads)
    assert sum(t.weight_1 > 333 for t in triads) > len(triads) / 2  # leans towards "contact"


def test_kappa_is_written_as_the_page_language_writes_numbers(client, answered):
    login(client, "coordinator")

    page = client.get("/beheer/zelfduiding").get_data(as_text=True)

    kappas = re.findall(r"<td>(-?\d[.,]\d\d)</td>", page)
    assert kappas == ["0,62", "0,62", "1,00"]
