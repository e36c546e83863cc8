"""Impact reports for councillors: parameters in, reports.Report out; share links."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports import Period, Report, build_report

from ..config import TRANSLATIONS_PATH
from ..models import Area, Initiative, ReportShareLink, StaffUser, utcnow
from .report_data import build_report_input
from .scopes import EVERYTHING, Scope
from .secret_tokens import hash_token, plausible_token


@dataclass(frozen=True)
class ReportParameters:
    """What a report is about; the same four values as the `weefsel report` command."""

    period: str
    area_code: str
    theme: str | None = None
    initiative_slug: str | None = None

    def as_query(self) -> dict[str, str]:
        query = {"periode": self.period, "gebied": self.area_code}
        if self.theme:
            query["thema"] = self.theme
        if self.initiative_slug:
            query["initiatief"] = self.initiative_slug
        return query


def make_report(session: Session, parameters: ReportParameters, lang: str = "nl") -> Report:
    """Raises reports.PeriodError or report_data.UnknownArea for bad parameters."""
    period = Period.parse(parameters.period)
    report_input = build_report_input(
        session, period, parameters.area_code, parameters.theme, parameters.initiative_slug, lang
    )
    return build_report(report_input, locale=lang, translations_dir=TRANSLATIONS_PATH)


def area_options(session: Session, scope: Scope = EVERYTHING) -> list[tuple[str, str]]:
    """(code, label) for the areas in `scope`, indented by level, in tree order."""
    areas = [a for a in session.scalars(select(Area)) if scope.contains_area(a.id)]
    visible = {a.id for a in areas}
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        # A granted area whose parent is out of scope is a top of this account's tree.
        parent = area.parent_id if area.parent_id in visible else None
        children.setdefault(parent, []).append(area)
    options: list[tuple[str, str]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for area in sorted(children.get(parent_id, []), key=lambda a: a.name):
            options.append((area.code, "\u00a0\u00a0\u00a0" * depth + area.name))
            walk(area.id, depth + 1)

    walk(None, 0)
    return options


def initiative_options(session: Session, scope: Scope = EVERYTHING) -> list[tuple[str, str]]:
    query = select(Initiative).where(scope.initiatives()).order_by(Initiative.name)
    return [(i.slug, i.name) for i in session.scalars(query)]


def create_share_link(session: Session, parameters: ReportParameters, staff_user: StaffUser) -> str:
    token = secrets.token_urlsafe(24)
    session.add(
        ReportShareLink(
            token_hash=hash_token(token),
            period=parameters.period,
            area_code=parameters.area_code,
            theme=parameters.theme,
            initiative_slug=parameters.initiative_slug,
            created_by_id=staff_user.id,
        )
    )
    session.commit()
    return token


def shared_parameters(session: Session, token: str) -> ReportParameters | None:
    if not plausible_token(token):
        return None
    link = session.scalar(
        select(ReportShareLink).where(
            ReportShareLink.token_hash == hash_token(token), ReportShareLink.revoked_at.is_(None)
        )
    )
    if link is None:
        return None
    return ReportParameters(link.period, link.area_code, link.theme, link.initiative_slug)


def active_share_links(session: Session, scope: Scope = EVERYTHING) -> list[ReportShareLink]:
    """Unrevoked share links of reports on areas in `scope`, newest first."""
    return list(
        session.scalars(
            select(ReportShareLink)
            .where(ReportShareLink.revoked_at.is_(None), scope.share_links(session))
            .order_by(ReportShareLink.created_at.desc())
        )
    )


def revoke_share_link(session: Session, link_id: int, scope: Scope = EVERYTHING) -> bool:
    link = session.scalar(
        select(ReportShareLink).where(ReportShareLink.id == link_id, scope.share_links(session))
    )
    if link is None or link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    session.commit()
    return True
