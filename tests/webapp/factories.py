"""Test data factories: real rows in the real test database."""

from __future__ import annotations

import datetime as dt

from webapp.extensions import db
from webapp.models import Area, Initiative, Story


def make_areas() -> dict[str, Area]:
    city = Area(code="testdam", name="Testdam", level="city", population=100_000)
    north = Area(
        code="testdam/noord", name="Noord", level="stadsdeel", parent=city, population=40_000
    )
    south = Area(
        code="testdam/zuid", name="Zuid", level="stadsdeel", parent=city, population=60_000
    )
    wijk_a = Area(code="testdam/noord/vogelbuurt", name="Vogelbuurt", level="wijk", parent=north)
    wijk_b = Area(code="testdam/zuid/rivierenwijk", name="Rivierenwijk", level="wijk", parent=south)
    db.session.add_all([city, north, south, wijk_a, wijk_b])
    db.session.commit()
    return {a.code: a for a in (city, north, south, wijk_a, wijk_b)}


def make_initiative(
    name: str = "Buurthuiskamer De Linde", area: Area | None = None, **fields
) -> Initiative:
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    if area is not None:  # as the staff form does: the initiative lies in its area's gemeente
        fields.setdefault("gemeente_id", area.gemeente().id)
    initiative = Initiative(name=name, slug=slug, area=area, **fields)
    db.session.add(initiative)
    db.session.commit()
    return initiative


def make_story(
    text: str = "Sinds ik bij de huiskamer kom heb ik weer mensen om mee te praten.", **fields
) -> Story:
    fields.setdefault("submitted_month", dt.date(2026, 3, 1))
    fields.setdefault("channel", "form")
    area = fields.get("area")
    if area is not None:  # as submission does: the story belongs to its wijk's gemeente
        fields.setdefault("gemeente_id", area.gemeente().id)
    story = Story(text=text, **fields)
    db.session.add(story)
    db.session.commit()
    return story


def make_second_gemeente() -> dict[str, Area]:
    """Another gemeente in the same installation, with its own stadsdeel and wijk."""
    city = Area(code="proefstad", name="Proefstad", level="city", population=50_000)
    west = Area(code="proefstad/west", name="West", level="stadsdeel", parent=city)
    wijk = Area(
        code="proefstad/west/havenkwartier", name="Havenkwartier", level="wijk", parent=west
    )
    db.session.add_all([city, west, wijk])
    db.session.commit()
    return {a.code: a for a in (city, west, wijk)}
