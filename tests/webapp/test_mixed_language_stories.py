"""A story partly in a language the models do not read: themes and outcome come from its Dutch
and English part, and it is still marked for a human reader for the rest."""

from __future__ import annotations

from sqlalchemy import select

from tests.webapp.factories import make_story
from webapp.extensions import db
from webapp.models import Story
from webapp.services import outcomes as outcome_service
from webapp.services import themes as theme_service
from webapp.services.scopes import EVERYTHING
from webapp.services.staff_accounts import create_staff_user

TURKISH = (
    "Üç yıldır bu mahallede yaşıyorum ama hâlâ kimseyi tanımıyorum, çok yalnızım. "
    "Çocuklarım başka şehirde oturuyor ve beni nadiren arıyorlar."
)
DUTCH = (
    "De huur is weer omhoog gegaan en ik kan de energierekening niet meer betalen. "
    "Mijn schulden worden steeds groter."
)
EMAIL, PASSWORD = "coordinator@weefsel.test", "correct horse battery"


def test_half_turkish_story_is_read_from_its_dutch_part_and_marked_for_a_human(app):
    classifier = app.extensions["weefsel_classifier"].get()
    outcome_model = app.extensions["weefsel_outcome_model"].get()
    dutch_only = make_story(text="Ik ben moe van al dat wachten op de bus, het is elke dag zo.")
    mixed = make_story(text=f"{TURKISH} {DUTCH}")
    theme_service.classify_stories(db.session, [dutch_only, mixed], classifier, outcome_model)

    assigned = {a.theme for a in mixed.theme_assignments if a.assigned}
    assert assigned == {"armoede"}  # the loneliness is told in Turkish: not read, not guessed
    assert mixed.language == "nl" and set(mixed.languages) == {"nl", "tr"}
    assert outcome_service.model_outcome(mixed).outcome == "slechter"
    assert mixed.theme_uncertainty == 0.0

    coordinator = create_staff_user(db.session, EMAIL, "C", PASSWORD, "coordinator")
    assert theme_service.review_queue(db.session, coordinator, EVERYTHING)[0].id == mixed.id
    client = app.test_client()
    client.post("/beheer/inloggen", data={"email": EMAIL, "password": PASSWORD})
    page = client.get("/beheer/themas/").get_data(as_text=True)
    cards = page.split('class="panel story-card"')[1:]
    marked = [card for card in cards if "niet leest: Turks</span>" in card]
    assert len(marked) == 1 and f"/beheer/themas/verhaal/{mixed.id}" in marked[0]
    assert db.session.scalar(select(Story).where(Story.id == dutch_only.id)).languages == ["nl"]


def test_a_story_the_software_does_not_read_asks_staff_to_choose_its_themes(app):
    classifier = app.extensions["weefsel_classifier"].get()
    turkish = make_story(text=TURKISH)
    theme_service.classify_stories(db.session, [turkish], classifier)
    assert not [a for a in turkish.theme_assignments if a.source == "model"]

    create_staff_user(db.session, EMAIL, "C", PASSWORD, "coordinator")
    client = app.test_client()
    client.post("/beheer/inloggen", data={"email": EMAIL, "password": PASSWORD})
    queue = client.get("/beheer/themas/").get_data(as_text=True)
    card = queue.split('class="panel story-card"')[1]
    assert f"/beheer/themas/verhaal/{turkish.id}" in card
    assert "Niet gelezen door de software (Turks): kies zelf de thema's" in card
    page = client.get(f"/beheer/themas/verhaal/{turkish.id}").get_data(as_text=True)
    assert "De software geeft geen thema's aan verhalen in deze taal (Turks)" in page
    assert "kloppen" not in page and 'value="accept"' not in page
    assert "<legend>Kies de thema's</legend>" in page
    response = client.post(
        f"/beheer/themas/verhaal/{turkish.id}",
        data={"action": "save", "theme": "eenzaamheid"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert {a.theme for a in db.session.get(Story, turkish.id).theme_assignments if a.assigned} == {
        "eenzaamheid"
    }
