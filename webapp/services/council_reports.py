"""Impact reports for councillors: parameters in, reports.Report out; share links."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports import Period, PeriodError, Report, build_report, render_json

from ..config import TRANSLATIONS_PATH
from ..models import Area, Initiative
from .report_cache import cached, data_stamp
from .report_data import build_report_input, previous_period
from .scopes import EVERYTHING, Scope


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


class NotPublishable(ValueError):
    """Parameters only staff may view on screen: a custom date range or a single initiative."""


def is_publishable(parameters: ReportParameters) -> bool:
    """Published figures cover calendar months, quarters and years of an area, optionally
    one theme. Custom ranges and single initiatives cut the grid in ways its suppression does
    not protect, so they stay on staff's screens (never shared, downloaded or exported)."""
    return Period.parse(parameters.period).kind != "custom" and not parameters.initiative_slug


def make_report(
    session: Session,
    parameters: ReportParameters,
    lang: str = "nl",
    *,
    today: dt.date,
    model_dir=None,
) -> Report:
    """Raises reports.PeriodError or report_data.UnknownArea for bad parameters."""
    period = Period.parse(parameters.period)
    report_input = build_report_input(
        session,
        period,
        parameters.area_code,
        parameters.theme,
        parameters.initiative_slug,
        lang,
        model_dir=model_dir,
        today=today,
        published=is_publishable(parameters),
    )
    return build_report(
        report_input, locale=lang, translations_dir=TRANSLATIONS_PATH, generated_on=today
    )


def cached_report(
    session: Session,
    parameters: ReportParameters,
    lang: str = "nl",
    *,
    today: dt.date,
    model_dir=None,
) -> Report:
    """make_report, kept while the data it was built from stays the same."""
    key = ("report", parameters, lang, today, str(model_dir), data_stamp(session))
    return cached(
        key, lambda: make_report(session, parameters, lang, today=today, model_dir=model_dir)
    )


def cached_report_file(
    session: Session,
    parameters: ReportParameters,
    kind: str,
    lang: str = "nl",
    *,
    today: dt.date,
    model_dir=None,
) -> tuple[bytes, str]:
    """The report as PDF or JSON bytes with their media type, rendered once per data state."""

    def render() -> bytes:
        report = cached_report(session, parameters, lang, today=today, model_dir=model_dir)
        if kind == "pdf":
            # In a child process: fpdf2 and matplotlib would stay in this web worker for good.
            from reports.isolated import render_pdf_in_child

            return render_pdf_in_child(report)
        buffer = io.BytesIO()
        render_json(report, buffer)
        return buffer.getvalue()

    key = ("file", kind, parameters, lang, today, str(model_dir), data_stamp(session))
    mimetype = "application/pdf" if kind == "pdf" else "application/json"
    return cached(key, render), mimetype


@dataclass(frozen=True)
class PeriodChoice:
    """One link of the period picker: a period label and its words."""

    period: str
    kind: str  # "previous", "next", "month", "quarter", "year"


def period_picker(period_text: str, today: dt.date) -> list[PeriodChoice]:
    """Links around a chosen period: the one before and after it, and the month, quarter and
    year it lies in (ending at the latest one that has begun)."""
    try:
        period = Period.parse(period_text)
    except PeriodError:
        return []
    if period.kind == "custom":
        return []
    choices = [PeriodChoice(previous_period(period).label, "previous")]
    following = next_period(period)
    if following.start <= today:
        choices.append(PeriodChoice(following.label, "next"))
    anchor = min(period.end, today) if period.start <= today else period.start
    quarter = f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}"
    for label, kind in ((anchor.strftime("%Y-%m"), "month"), (quarter, "quarter")):
        choices.append(PeriodChoice(label, kind))
    choices.append(PeriodChoice(str(anchor.year), "year"))
    return [
        choice
        for choice in choices
        if choice.period != period.label or choice.kind in ("previous", "next")
    ]


def next_period(period: Period) -> Period:
    """The calendar period of the same kind right after `period`."""
    day = period.end + dt.timedelta(days=1)
    if period.kind == "month":
        return Period.parse(day.strftime("%Y-%m"))
    if period.kind == "quarter":
        return Period.parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return Period.parse(str(day.year))


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
