"""Self-signification on the story form without JavaScript: rendering, storing, errors, removal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.webapp.factories import make_story
from webapp.extensions import db
from webapp.models import Story, StorySignification

STORY = "Sinds mijn man overleden is kom ik elke week in de buurthuiskamer, daar praat ik weer met mensen."
CODE_PATTERN = re.compile(r'id="withdrawal-code">([A-Z0-9-]+)<')


def send(client, **fields):
    data = {"story": STORY, "wijk": "", "initiative": "", "age_band": ""}
    data.update(fields)
    return client.post("/verhaal", data=data)


def stored() -> dict[str, StorySignification]:
    rows = db.session.scalars(select(StorySignification)).all()
    return {row.question: row for row in rows}


def test_form_shows_the_three_questions_after_the_story_with_skip_and_nvt(client):
    page = client.get("/verhaal").get_data(as_text=True)

    assert page.index('id="story"') < page.index('id="sig"') < page.index('id="wijk"')
    assert "Waar ging het vooral over?" in page
    assert "Wat was het belangrijkst?" in page  # the triad's fallback without JavaScript
    assert 'name="sig_waarover_most" value="contact"' in page
    assert 'name="sig_voor_na" value="beter"' in page
    assert page.count('name="sig_minder_alleen" value="') == 7  # 5 points, no answer, n.v.t.
    assert page.count('value="nvt"') == 3
    assert page.count('value="" checked') >= 4  # every question starts unanswered
    assert "signification.js" in page and "http://" not in page


def test_english_form_uses_the_english_labels(client):
    client.get("/taal/en")
    page = client.get("/verhaal").get_data(as_text=True)

    assert "What was it mostly about?" in page
    assert "Money and things" in page and "less alone" in page


def test_no_javascript_answers_are_stored_with_definition_version(client):
    response = send(
        client,
        sig_waarover_most="contact",
        sig_waarover_second="gezondheid",
        sig_voor_na="beter",
        sig_minder_alleen="25",
    )

    assert response.status_code == 303
    answers = stored()
    story = db.session.scalar(select(Story))
    assert {row.story_id for row in answers.values()} == {story.id}
    assert {(row.definition_id, row.definition_version) for row in answers.values()} == {
        ("verhaal", "1")
    }
    triad = answers["waarover"]
    assert (triad.weight_1, triad.weight_2, triad.weight_3) == (667, 0, 333)
    assert sum(triad.weights) == pytest.approx(1.0)
    assert answers["voor_na"].choice == "beter"
    assert answers["minder_alleen"].position == 25


def test_triangle_weights_are_stored_and_sum_to_one(client):
    send(client, sig_waarover="0.123,0.456,0.421", sig_minder_alleen="nvt")

    answers = stored()
    assert (answers["waarover"].weight_1, answers["waarover"].weight_2) == (123, 456)
    assert (
        answers["waarover"].weight_1 + answers["waarover"].weight_2 + answers["waarover"].weight_3
        == 1000
    )
    assert answers["minder_alleen"].not_applicable is True
    assert "voor_na" not in answers  # skipped questions leave no row


def test_skipping_everything_stores_the_story_and_no_answers(client):
    assert send(client, sig_waarover_most="", sig_voor_na="").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Story)) == 1
    assert stored() == {}


def test_contradicting_choices_keep_every_value_and_explain(client):
    response = send(
        client,
        sig_waarover_most="geld",
        sig_waarover_second="geld",
        sig_voor_na="slechter",
        sig_minder_alleen="75",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies iets anders als tweede" in page
    assert 'href="#sig_waarover"' in page  # in the error summary
    assert STORY in page
    assert 'name="sig_voor_na" value="slechter" checked' in page
    assert 'name="sig_minder_alleen" value="75" checked' in page
    assert 'name="sig_waarover_most" value="geld" checked' in page
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


def test_answers_are_kept_when_the_story_itself_is_refused(client):
    response = send(client, story="te kort", sig_voor_na="hetzelfde", sig_waarover="1,0,0")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'name="sig_voor_na" value="hetzelfde" checked' in page
    assert 'name="sig_waarover" value="1,0,0"' in page


def test_withdrawing_the_story_removes_its_answers(client):
    response = send(client, sig_voor_na="beter")
    code = CODE_PATTERN.search(
        client.get(response.headers["Location"]).get_data(as_text=True)
    ).group(1)

    client.post("/verhaal/intrekken", data={"code": code})

    db.session.expire_all()
    assert stored() == {}


def test_database_refuses_weights_that_do_not_sum_to_one(app):
    story = make_story()
    db.session.add(
        StorySignification(
            story_id=story.id,
            definition_id="verhaal",
            definition_version="1",
            question="waarover",
            kind="triad",
            weight_1=500,
            weight_2=500,
            weight_3=1,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_story_form_with_its_questions_stays_under_50_kb(client):
    page = client.get("/verhaal").get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)

    total = len(page)
    for asset in assets:
        response = client.get(asset.decode())
        total += len(response.get_data())
        response.close()  # static files are streamed from an open file

    assert b"/static/signification.js" in assets and b"/static/signification.css" in assets
    assert total <= 50 * 1024, f"{total} bytes"


def test_a_broken_definition_switches_the_questions_off_and_logs_where(app, tmp_path, caplog):
    from webapp.services.signification import NO_QUESTIONS, read_form, story_definition

    broken = tmp_path / "verhaal.yaml"
    broken.write_text(
        'id: verhaal\nversion: "2"\ntitle: Test\nfields:\n  - {name: t, type: triad, label: T}\n',
        encoding="utf-8",
    )

    definition = story_definition(broken)

    assert definition is NO_QUESTIONS
    assert "verhaal.yaml, line 5" in caplog.text and "3 corners" in caplog.text
    state = read_form({"sig_t": "1,0,0"}, str, definition)
    assert state.questions == () and state.answers == {} and state.errors == {}
