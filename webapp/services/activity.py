"""Monthly activity reports: the definition in force, saving a month, history, bulk import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

import surveys
from surveys import N_, FieldType, Message, Problem, SurveyDefinition
from surveys.model import NUMBER_TYPES

from ..models import INITIATIVE_NOTE_CHANNEL, ActivityReport, Initiative, Story
from .scopes import EVERYTHING, Scope
from .stories import first_of_month, record_story_languages

DEFAULT_DEFINITION = (
    Path(surveys.__file__).resolve().parent / "definitions" / "maandregistratie.yaml"
)
FREE_TEXT_MAX_STORY = 5000


class MonthLocked(Exception):
    """Staff locked this month; the initiative can no longer change it."""


def load_activity_definition(path: str | Path | None = None) -> SurveyDefinition:
    """The monthly activity definition (file from settings, else the shipped one)."""
    return surveys.load_definition(path or DEFAULT_DEFINITION)


def storable(values: dict[str, Any]) -> dict[str, Any]:
    """Typed values -> JSON: Decimals become floats, dates ISO text."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, dt.date | dt.time):
            value = value.isoformat()
        stored[name] = value
    return stored


def as_form_values(
    values: dict[str, Any] | None,
    definition: SurveyDefinition | None = None,
    lang: str = "nl",
) -> dict[str, Any]:
    """Stored values -> what the form shows: numbers written the way ``lang`` writes them
    (``18.000`` and, for a field with two decimals, ``18.000,00``)."""
    fields = definition.fields_by_name() if definition else {}
    shown: dict[str, Any] = {}
    for name, value in (values or {}).items():
        if isinstance(value, bool) or value is None:
            value = "" if value is None else str(value)
        elif isinstance(value, int | float | Decimal):
            value = format_number(value, fields.get(name), lang)
        shown[name] = value if isinstance(value, list) else str(value)
    return shown


def format_number(value: float | int | Decimal, field: Any, lang: str = "nl") -> str:
    """A figure as people read it in ``lang``; a field's fixed decimals are always shown."""
    decimals = getattr(field, "decimals", None)
    if decimals:
        pattern = "#,##0." + "0" * decimals
    elif float(value).is_integer():
        pattern = "#,##0"
    else:
        pattern = "#,##0.##########"
    return format_decimal(value, pattern, locale=lang)


def csv_template(
    definition: SurveyDefinition, slug: str | None = None, month: dt.date | None = None
) -> str:
    """The import's CSV header, plus a row to fill in for one initiative when ``slug`` is given
    (with a byte-order mark, so Excel opens it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = surveys.template_header(definition)
    writer.writerow(header)
    if slug:
        month_text = month.strftime("%Y-%m") if month else ""
        writer.writerow([slug, month_text, *[""] * (len(header) - 2)])
    return "\ufeff" + buffer.getvalue()


def last_complete_month(today: dt.date) -> dt.date:
    """The month before ``today``'s: the one an initiative normally reports."""
    return (first_of_month(today) - dt.timedelta(days=1)).replace(day=1)


def same_as_previous(
    values: dict[str, Any], previous: dict[str, Any] | None, definition: SurveyDefinition
) -> bool:
    """Whether every figure equals last month's (a sign of a copy sent without looking)."""
    if not previous:
        return False
    names = [f.name for f in definition.input_fields if f.type in NUMBER_TYPES]
    figures = [(values.get(name), previous.get(name)) for name in names]
    if not any(now is not None for now, _ in figures):
        return False
    return all(
        (now is None and before is None)
        or (now is not None and before is not None and Decimal(str(now)) == Decimal(str(before)))
        for now, before in figures
    )


def report_for(session: Session, initiative: Initiative, month: dt.date) -> ActivityReport | None:
    return session.scalar(
        select(ActivityReport).where(
            ActivityReport.initiative_id == initiative.id, ActivityReport.month == month
        )
    )


def previous_report(
    session: Session, initiative: Initiative, month: dt.date
) -> ActivityReport | None:
    """The latest report before this month: what the form is prefilled from."""
    return session.scalar(
        select(ActivityReport)
        .where(ActivityReport.initiative_id == initiative.id, ActivityReport.month < month)
        .order_by(ActivityReport.month.desc())
        .limit(1)
    )


def reportable_months(today: dt.date, count: int = 3) -> list[dt.date]:
    """This month and the ones before it that an initiative may still fill in or correct."""
    months, month = [], first_of_month(today)
    for _ in range(count):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


def free_text_fields(definition: SurveyDefinition) -> list[str]:
    return [f.name for f in definition.value_fields if f.type is FieldType.TEXT]


def _sync_free_text_story(
    session: Session, report: ActivityReport, definition: SurveyDefinition
) -> None:
    """The month's free text is also a story (an initiative note, INITIATIVE_NOTE_CHANNEL), so
    themes can be read from it; reports leave it out of residents' figures."""
    text = "\n\n".join(
        str(report.values.get(name)).strip()
        for name in free_text_fields(definition)
        if report.values.get(name)
    )[:FREE_TEXT_MAX_STORY]
    initiative = report.initiative
    story = session.scalar(
        select(Story).where(
            Story.channel == INITIATIVE_NOTE_CHANNEL,
            Story.initiative_id == report.initiative_id,
            Story.submitted_month == report.month,
        )
    )
    if not text:
        if story is not None:
            session.delete(story)
        return
    if story is None:
        story = Story(
            channel=INITIATIVE_NOTE_CHANNEL,
            initiative_id=report.initiative_id,
            submitted_month=report.month,
        )
        session.add(story)
    if story.text != text:
        story.text = text
        record_story_languages(story)
        story.area_id = initiative.area_id
        story.status = "pending"
        story.classified_version = None
        story.theme_assignments.clear()


def save_monthly_report(
    session: Session,
    initiative: Initiative,
    month: dt.date,
    values: dict[str, Any],
    definition: SurveyDefinition,
    *,
    allow_locked: bool = False,
    commit: bool = True,
) -> tuple[ActivityReport, bool]:
    """Create or correct one month; returns the report and whether anything changed."""
    report = report_for(session, initiative, month)
    new_values = storable(values)
    if report is not None and report.locked and not allow_locked:
        if report.values == new_values:
            return report, False
        raise MonthLocked(month)
    changed = (
        report is None
        or report.values != new_values
        or report.definition_version != definition.version
    )
    if report is None:
        report = ActivityReport(initiative=initiative, month=month)
        session.add(report)
    if changed:
        report.values = new_values
        report.definition_id = definition.id
        report.definition_version = definition.version
        session.flush()
        _sync_free_text_story(session, report, definition)
    if commit:
        session.commit()
    return report, changed


def set_month_locked(
    session: Session, initiative: Initiative, month: dt.date, locked: bool
) -> bool:
    report = report_for(session, initiative, month)
    if report is None:
        return False
    report.locked = locked
    session.commit()
    return True


def lock_month_for_all(session: Session, month: dt.date) -> int:
    reports = session.scalars(select(ActivityReport).where(ActivityReport.month == month)).all()
    for report in reports:
        report.locked = True
    session.commit()
    return len(reports)


def history(session: Session, initiative: Initiative) -> list[ActivityReport]:
    return list(
        session.scalars(
            select(ActivityReport)
            .where(ActivityReport.initiative_id == initiative.id)
            .order_by(ActivityReport.month)
        )
    )


def initiatives_missing_month(session: Session, month: dt.date) -> list[Initiative]:
    reported = select(ActivityReport.initiative_id).where(ActivityReport.month == month)
    return list(
        session.scalars(
            select(Initiative)
            .where(Initiative.active.is_(True), Initiative.id.not_in(reported))
            .order_by(Initiative.name)
        )
    )


@dataclass
class ImportOutcome:
    """What a bulk import did, or why it did nothing."""

    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_activity_table(
    session: Session,
    fileobj: IO[bytes],
    filename: str,
    definition: SurveyDefinition,
    scope: Scope = EVERYTHING,
) -> ImportOutcome:
    """Validate every row; import all of them in one transaction, or none when any row is bad.

    Only initiatives in `scope` are known: a row for any other is a problem like a typo.
    """
    by_slug = {i.slug: i for i in session.scalars(select(Initiative).where(scope.initiatives()))}
    result = surveys.read_activity_table(fileobj, filename, definition, initiatives=by_slug.keys())
    outcome = ImportOutcome(problems=list(result.problems))
    if not result.ok:
        return outcome
    try:
        for row in result.rows:
            existing = report_for(session, by_slug[row.initiative], row.month)
            try:
                _report, changed = save_monthly_report(
                    session,
                    by_slug[row.initiative],
                    row.month,
                    row.values,
                    definition,
                    commit=False,
                )
            except MonthLocked:
                outcome.problems.append(
                    Problem(
                        filename,
                        Message(
                            N_(
                                "This month is locked by staff; unlock it before importing a change."
                            )
                        ),
                        row=row.line,
                        column="maand",
                    )
                )
                continue
            if existing is None:
                outcome.created += 1
            elif changed:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        if outcome.problems:
            session.rollback()
            outcome.created = outcome.updated = outcome.unchanged = 0
        else:
            session.commit()
    except Exception:
        session.rollback()
        raise
    return outcome
