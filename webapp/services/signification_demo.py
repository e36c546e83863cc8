"""Demo answers to the story form's own questions, so the demo report shows residents' reading.

Demo only (`weefsel demo load`): about two thirds of the demo stories get answers, drawn with a
fixed seed per story from what the story text is about; real answers come from residents.
"""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.model import FieldType, SurveyDefinition
from surveys.signification import (
    BEFORE_AFTER_VALUES,
    SignificationAnswer,
    normalised_weights,
    signification_fields,
)

from ..models import Story, StorySignification
from .signification import save_answers, story_definition

# Words that make a demo story lean towards a corner, by the corner's theme.
LEANINGS = {
    "eenzaamheid": ("alleen", "eenzaam", "koffie", "praten", "buren", "vrienden", "samen"),
    "armoede": ("geld", "voedselbank", "schuld", "rekening", "stadspas", "gratis", "betalen"),
    "gezondheid": ("gezond", "dokter", "huisarts", "pijn", "wandel", "beweeg", "ziek"),
}
ANSWER_WEIGHTS = (8, 25, 60, 7)  # slechter, hetzelfde, beter, weet_niet


def load_demo_answers(session: Session, definition: SurveyDefinition | None = None) -> int:
    """Give demo stories without answers a seeded set of answers; returns how many got some."""
    definition = definition or story_definition()
    answered = select(StorySignification.story_id)
    stories = session.scalars(
        select(Story).where(Story.id.not_in(answered), Story.channel == "form").order_by(Story.id)
    ).all()
    added = 0
    for story in stories:
        rng = random.Random(f"demo-signification-{story.text[:40]}")
        if rng.random() > 0.65:
            continue
        answers = [
            _answer(question, story.text, rng) for question in signification_fields(definition)
        ]
        given = [answer for answer in answers if answer is not None]
        save_answers(session, story.id, definition, given, commit=False)
        added += 1
    session.commit()
    return added


def _answer(question, text: str, rng: random.Random) -> SignificationAnswer | None:
    if rng.random() < 0.15:
        return None  # skipped
    if question.type is FieldType.TRIAD:
        lowered = text.lower()
        lean = [
            1 + 4 * sum(word in lowered for word in LEANINGS.get(corner.theme or "", ()))
            for corner in question.corners
        ]
        weights = normalised_weights([rng.gammavariate(weight, 1.0) for weight in lean])
        return SignificationAnswer(question.name, question.type, weights=weights)
    if question.type is FieldType.SLIDER:
        position = rng.choice((0, 0, 25, 25, 50, 75, 100))
        return SignificationAnswer(question.name, question.type, position=position)
    choice = rng.choices(BEFORE_AFTER_VALUES, weights=ANSWER_WEIGHTS)[0]
    return SignificationAnswer(question.name, question.type, choice=choice)
