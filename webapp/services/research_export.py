"""Research exports: consented stories, anonymised and k-anonymous, in an archive; audit-logged."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from nlp.anonymise import anonymise
from nlp.themes import load_themes
from reports import Period
from reports.research import ExportMeta, ExportStory, ThemeTag, generalise, write_export_archive

from ..config import PROJECT_ROOT
from ..models import Area, ExportAuditEntry, StaffUser, Story, utcnow
from . import audit, consent, signification
from .areas import area_with_descendants, find_area
from .effective_themes import effective_themes_by_story
from .outcomes import effective_outcomes, outcome_of
from .scopes import EVERYTHING, Scope

DEID_FIGURES = PROJECT_ROOT / "bench" / "results" / "deid.json"
MIN_K = 5
EXPORTED_STATUSES = ("approved",)


@dataclass(frozen=True)
class ExportFilter:
    """Which stories a researcher asks for; every part optional."""

    period: str | None = None
    area_code: str | None = None
    theme: str | None = None
    language: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in self.__dict__.items() if value}


class ExportRefused(ValueError):
    """The request cannot be served (k too small, bad period or area)."""


def measured_deid_figures() -> tuple[float | None, float | None, str]:
    """Recall and precision of the de-identification as last measured by bench/bench_deid.py."""
    try:
        figures = json.loads(DEID_FIGURES.read_text(encoding="utf-8"))
        weefsel = figures["results"]["weefsel"]
        return (
            weefsel["recall"],
            weefsel["precision"],
            f"{figures.get('texts')} annotated Dutch texts ({figures.get('testset')})",
        )
    except (OSError, KeyError, ValueError):
        return None, None, "not measured"


def _area_chain(area: Area | None) -> dict[str, str | None]:
    names: dict[str, str | None] = {"wijk": None, "stadsdeel": None, "city": None}
    node = area
    while node is not None:
        names[node.level] = node.name
        node = node.parent
    return names


def _themes_by_story(session: Session, story_ids: list[int]) -> dict[int, list[ThemeTag]]:
    return {
        story_id: [
            ThemeTag(theme, score, source) for theme, (score, source) in sorted(themes.items())
        ]
        for story_id, themes in effective_themes_by_story(session, story_ids).items()
    }


def select_stories(
    session: Session, export_filter: ExportFilter, scope: Scope = EVERYTHING
) -> list[ExportStory]:
    """Stories in `scope` with research consent (withdrawn ones are deleted), anonymised."""
    conditions = [consent.research_usable(), Story.status.in_(EXPORTED_STATUSES), scope.stories()]
    if export_filter.period:
        try:
            period = Period.parse(export_filter.period)
        except ValueError as error:
            raise ExportRefused(str(error)) from None
        conditions += [
            Story.submitted_month >= period.start.replace(day=1),
            Story.submitted_month <= period.end,
        ]
    if export_filter.area_code:
        try:
            area = find_area(session, export_filter.area_code)
        except LookupError:
            raise ExportRefused(f"unknown area {export_filter.area_code!r}") from None
        conditions.append(Story.area_id.in_(list(area_with_descendants(session, area))))
    if export_filter.language:
        conditions.append(Story.language == export_filter.language)
    stories = list(session.scalars(select(Story).where(*conditions).order_by(Story.id)))
    themes = _themes_by_story(session, [s.id for s in stories])
    own_answers = signification.export_cells(session, [s.id for s in stories])
    outcomes = effective_outcomes(session, [s.id for s in stories])
    selected = []
    for story in stories:
        tags = themes.get(story.id, [])
        if export_filter.theme and export_filter.theme not in {tag.key for tag in tags}:
            continue
        selected.append(
            ExportStory(
                id=story.id,
                text=anonymise(story.text).text,
                month=story.submitted_month,
                age_band=story.age_band,
                language=story.language,
                channel=story.channel,
                themes=tags,
                signification=own_answers.get(story.id, {}),
                outcome=outcome_of(outcomes.get(story.id, {})) or "",
                theme_outcomes={
                    tag.key: outcome_of(outcomes[story.id], tag.key)
                    for tag in tags
                    if story.id in outcomes
                },
                **_area_chain(story.area),
            )
        )
    return selected


def export_research_archive(
    session: Session,
    export_filter: ExportFilter,
    formats: list[str],
    fileobj: IO[bytes],
    actor: str,
    staff_user: StaffUser | None = None,
    k: int = MIN_K,
    model_version: str = "",
    now: dt.datetime | None = None,
    scope: Scope = EVERYTHING,
) -> dict:
    """Write the archive of stories in `scope` and an audit entry; returns the datasheet."""
    if k < MIN_K:
        raise ExportRefused(f"k must be at least {MIN_K}")
    stories = select_stories(session, export_filter, scope)
    result = generalise(stories, k=k, local=True)
    recall, precision, evaluation = measured_deid_figures()
    meta = ExportMeta(
        created_at=now or utcnow(),
        exported_by=staff_user.role if staff_user else "command line",
        model_version=model_version,
        anonymiser="Weefsel nlp.anonymise (spaCy rules, name and street lists, validated numbers)",
        anonymiser_recall=recall,
        anonymiser_precision=precision,
        anonymiser_evaluation=evaluation,
        themes=load_themes(),
        filters=export_filter.as_dict(),
    )
    datasheet = write_export_archive(result.records, meta, result.report, formats, fileobj)
    session.add(
        ExportAuditEntry(
            staff_user_id=staff_user.id if staff_user else None,
            actor=actor,
            filter=export_filter.as_dict(),
            formats=",".join(formats),
            story_count=len(result.records),
            suppressed_count=len(stories) - len(result.records),
            k=k,
        )
    )
    audit.record_event(
        session,
        "export.research",
        actor=staff_user,
        actor_label=None if staff_user else f"{audit.COMMAND_LINE}: {actor}",
        details={
            **export_filter.as_dict(),
            "formats": ",".join(formats),
            "k": k,
            "stories": len(result.records),
        },
    )
    session.commit()
    return datasheet


def recent_exports(session: Session, limit: int = 50) -> list[ExportAuditEntry]:
    return list(
        session.scalars(
            select(ExportAuditEntry).order_by(ExportAuditEntry.created_at.desc()).limit(limit)
        )
    )
