"""Managing initiatives: create, edit, and the monthly reporting status staff look at."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ActivityReport, Area, Initiative
from .gemeenten import gemeente_id_of_area
from .scopes import Scope


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "initiatief"


def initiative_by_slug(session: Session, slug: str) -> Initiative | None:
    """The initiative with this code (slug), if there is one."""
    return session.scalar(select(Initiative).where(Initiative.slug == slug))


def unique_slug(session: Session, name: str) -> str:
    base, number = slugify(name), 1
    slug = base
    while session.scalar(select(Initiative.id).where(Initiative.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


@dataclass(frozen=True)
class InitiativeDetails:
    name: str
    area_id: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    subsidy_eur_per_year: Decimal | None = None


def create_initiative(session: Session, details: InitiativeDetails) -> Initiative:
    initiative = Initiative(slug=unique_slug(session, details.name))
    update_initiative(session, initiative, details)
    return initiative


def update_initiative(
    session: Session, initiative: Initiative, details: InitiativeDetails
) -> Initiative:
    initiative.name = details.name.strip()
    initiative.area_id = details.area_id
    if details.area_id is not None:
        initiative.gemeente_id = gemeente_id_of_area(session, details.area_id)
    initiative.contact_name = (details.contact_name or "").strip() or None
    initiative.contact_email = (details.contact_email or "").strip() or None
    initiative.subsidy_eur_per_year = details.subsidy_eur_per_year
    session.add(initiative)
    session.commit()
    return initiative


def area_options(session: Session, scope: Scope) -> list[tuple[str, str]]:
    """Areas an initiative can lie in (a gemeente, stadsdeel or wijk) within `scope`."""
    query = select(Area)
    if scope.area_ids is not None:
        query = query.where(Area.id.in_(sorted(scope.area_ids)))
    options = [
        (str(a.id), " – ".join([p.name for p in reversed(a.ancestors())] + [a.name]))
        for a in session.scalars(query)
    ]
    return sorted(options, key=lambda option: option[1])


@dataclass(frozen=True)
class InitiativeStatus:
    initiative: Initiative
    reported_this_month: bool
    locked_this_month: bool


def initiatives_with_status(
    session: Session, month: dt.date, scope: Scope
) -> list[InitiativeStatus]:
    """Initiatives in `scope` with whether they reported `month`."""
    initiatives = session.scalars(
        select(Initiative).where(scope.initiatives()).order_by(Initiative.name)
    ).all()
    ids = [i.id for i in initiatives]
    reports = {
        r.initiative_id: r
        for r in session.scalars(
            select(ActivityReport).where(
                ActivityReport.month == month, ActivityReport.initiative_id.in_(ids)
            )
        )
    }
    return [
        InitiativeStatus(i, i.id in reports, bool(reports.get(i.id) and reports[i.id].locked))
        for i in initiatives
    ]
