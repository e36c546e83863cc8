"""The gemeenten (municipalities) of one installation: each a city area with its own wijken,
initiatives, branding (name, logo) and privacy contacts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Area, Initiative


@dataclass(frozen=True)
class GemeenteInfo:
    """What a resident page shows of a gemeente."""

    id: int
    code: str
    name: str
    privacy_contact: str | None
    dpo_contact: str | None
    logo_path: str | None


def _info(area: Area) -> GemeenteInfo:
    return GemeenteInfo(
        area.id, area.code, area.name, area.privacy_contact, area.dpo_contact, area.logo_path
    )


def list_gemeenten(session: Session) -> list[GemeenteInfo]:
    return [
        _info(area)
        for area in session.scalars(select(Area).where(Area.level == "city").order_by(Area.name))
    ]


def normalised_gemeente_code(code: str | None) -> str | None:
    """A gemeente code as stored (trimmed, lower case), or None for no or an absurd code."""
    if not code or len(code) > 120:
        return None
    return code.strip().lower()


def gemeente_by_code(session: Session, code: str | None) -> GemeenteInfo | None:
    code = normalised_gemeente_code(code)
    if code is None:
        return None
    area = session.scalar(select(Area).where(Area.level == "city", Area.code == code))
    return _info(area) if area else None


def gemeente_id_of_area(session: Session, area_id: int | None) -> int | None:
    """The city above (or at) an area."""
    area = session.get(Area, area_id) if area_id is not None else None
    return area.gemeente().id if area is not None else None


def gemeente_id_of_initiative(session: Session, initiative_id: int | None) -> int | None:
    """The gemeente an initiative is tied to, else the city of its area."""
    initiative = session.get(Initiative, initiative_id) if initiative_id is not None else None
    if initiative is None:
        return None
    return initiative.gemeente_id or gemeente_id_of_area(session, initiative.area_id)


def first_known_gemeente(
    of_area: int | None, of_initiative: int | None, fallback: int | None
) -> int | None:
    """Where a story or initiative belongs: its area's city, else its initiative's, else the
    fallback (the gemeente whose form was used)."""
    if of_area is not None:
        return of_area
    return of_initiative if of_initiative is not None else fallback


def gemeente_id_for(
    session: Session,
    area_id: int | None = None,
    initiative_id: int | None = None,
    fallback: int | None = None,
) -> int | None:
    """Where a story or initiative belongs (see `first_known_gemeente`), read from the database."""
    of_area = gemeente_id_of_area(session, area_id)
    of_initiative = gemeente_id_of_initiative(session, initiative_id) if of_area is None else None
    return first_known_gemeente(of_area, of_initiative, fallback)
