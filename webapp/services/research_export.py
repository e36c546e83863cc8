"""Research exports: consented stories, anonymised and k-anonymous, in an archive; audit-logged.

`build_research_archive` streams (batches from the database, texts spooled to disk, files
written record by record); `export_research_archive` is that plus the audit log, for the
command line. The web export runs as a background job (`services/export_jobs.py`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nlp.anonymise import anonymise
from nlp.themes import load_themes
from reports import Period
from reports.research import ExportMeta, ExportStory, ThemeTag, generalise, write_export_archive
from reports.research.spool import SpooledRecords, TextSpool

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
BATCH_SIZE = 1000
NO_ANSWERS = MappingProxyType({})  # shared by every story without own answers
Progress = Callable[[int, int], None]


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


# How the texts are de-identified, in the languages of the export's README (Dutch first).
ANONYMISER = {
    "nl": "Weefsel nlp.anonymise (regels met spaCy, lijsten met namen en straten, "
    "gecontroleerde nummers)",
    "en": "Weefsel nlp.anonymise (spaCy rules, name and street lists, validated numbers)",
}


def measured_deid_figures() -> tuple[float | None, float | None, dict[str, str]]:
    """Recall and precision of the de-identification as last measured by bench/bench_deid.py,
    and the test set they were measured on (in Dutch and English)."""
    try:
        figures = json.loads(DEID_FIGURES.read_text(encoding="utf-8"))
        weefsel = figures["results"]["weefsel"]
        texts, testset = figures.get("texts"), figures.get("testset")
        return (
            weefsel["recall"],
            weefsel["precision"],
            {
                "nl": f"{texts} geannoteerde Nederlandse teksten ({testset})",
                "en": f"{texts} annotated Dutch texts ({testset})",
            },
        )
    except (OSError, KeyError, ValueError):
        return None, None, {"nl": "niet gemeten", "en": "not measured"}


def _area_chain(area: Area | None) -> dict[str, str | None]:
    names: dict[str, str | None] = {"wijk": None, "stadsdeel": None, "city": None}
    node = area
    while node is not None:
        names[node.level] = node.name
        node = node.parent
    return names


def _shared(value: str | None) -> str | None:
    """One string object per distinct value: a large export holds these once per story."""
    return sys.intern(value) if value is not None else None


def _themes_by_story(session: Session, story_ids: list[int]) -> dict[int, list[ThemeTag]]:
    return {
        story_id: [
            ThemeTag(_shared(theme), score, _shared(source))
            for theme, (score, source) in sorted(themes.items())
        ]
        for story_id, themes in effective_themes_by_story(session, story_ids).items()
    }


def _conditions(session: Session, export_filter: ExportFilter, scope: Scope) -> list:
    """Stories in `scope` with research consent (withdrawn ones are deleted) and the filter."""
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
    return conditions


def count_candidates(
    session: Session, export_filter: ExportFilter, scope: Scope = EVERYTHING
) -> int:
    """How many stories the export reads (before the theme filter and k-anonymity)."""
    conditions = _conditions(session, export_filter, scope)
    return session.scalar(select(func.count()).select_from(Story).where(*conditions)) or 0


def iter_export_stories(
    session: Session,
    export_filter: ExportFilter,
    scope: Scope = EVERYTHING,
    batch_size: int = BATCH_SIZE,
) -> Iterator[ExportStory]:
    """The stories `select_stories` returns, read in batches of `batch_size` (a server-side
    cursor where the database has one) with their themes, answers and outcomes per batch."""
    conditions = _conditions(session, export_filter, scope)
    chains = {area.id: _area_chain(area) for area in session.scalars(select(Area))}
    no_area = _area_chain(None)
    query = (
        select(
            Story.id,
            Story.text,
            Story.submitted_month,
            Story.age_band,
            Story.language,
            Story.channel,
            Story.area_id,
        )
        .where(*conditions)
        .order_by(Story.id)
        .execution_options(yield_per=batch_size)
    )
    for batch in session.execute(query).partitions():
        ids = [row.id for row in batch]
        themes = _themes_by_story(session, ids)
        own_answers = signification.export_cells(session, ids)
        outcomes = effective_outcomes(session, ids)
        for row in batch:
            tags = themes.get(row.id, [])
            if export_filter.theme and export_filter.theme not in {tag.key for tag in tags}:
                continue
            story_outcomes = outcomes.get(row.id)
            yield ExportStory(
                id=row.id,
                text=anonymise(row.text).text,
                month=row.submitted_month,
                age_band=_shared(row.age_band),
                language=_shared(row.language),
                channel=_shared(row.channel),
                themes=tags,
                signification=own_answers.get(row.id, NO_ANSWERS),
                outcome=outcome_of(story_outcomes or {}) or "",
                theme_outcomes={
                    tag.key: outcome_of(story_outcomes, tag.key)
                    for tag in tags
                    if story_outcomes is not None
                },
                **chains.get(row.area_id, no_area),
            )


def select_stories(
    session: Session, export_filter: ExportFilter, scope: Scope = EVERYTHING
) -> list[ExportStory]:
    """Stories in `scope` with research consent (withdrawn ones are deleted), anonymised."""
    return list(iter_export_stories(session, export_filter, scope))


@dataclass(frozen=True)
class ExportOutcome:
    """What one export wrote: its datasheet and the counts the audit log keeps."""

    datasheet: dict
    story_count: int
    suppressed_count: int


def build_research_archive(
    session: Session,
    export_filter: ExportFilter,
    formats: list[str],
    fileobj: IO[bytes],
    *,
    exported_by: str,
    k: int = MIN_K,
    model_version: str = "",
    now: dt.datetime | None = None,
    scope: Scope = EVERYTHING,
    progress: Progress | None = None,
    spool_dir: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ExportOutcome:
    """Write the archive of stories in `scope`, streaming: stories are read in batches, their
    anonymised texts wait in a temporary file (`spool_dir`) while k-anonymity is worked out on
    the rest, and every file is written into the ZIP record by record. Records nothing.

    `progress(done, total)`: reading counts the first half, writing the second. The same
    inputs (with the same `now`) give the same bytes."""
    if k < MIN_K:
        raise ExportRefused(f"k must be at least {MIN_K}")
    total = count_candidates(session, export_filter, scope)
    report = progress or (lambda done, total: None)
    report(0, 2 * total)
    kept = []
    with TextSpool(spool_dir) as spool:
        stories = iter_export_stories(session, export_filter, scope, batch_size)
        for done, story in enumerate(stories, start=1):
            kept.append(spool.keep(story))
            if done % 100 == 0:
                report(done, 2 * total)
        report(total, 2 * total)
        result = generalise(kept, k=k, local=True)
        n_selected = len(kept)
        del kept
        records = SpooledRecords(result.records, result.source_ids, spool)
        recall, precision, evaluation = measured_deid_figures()
        meta = ExportMeta(
            created_at=now or utcnow(),
            exported_by=exported_by,
            model_version=model_version,
            anonymiser=ANONYMISER,
            anonymiser_recall=recall,
            anonymiser_precision=precision,
            anonymiser_evaluation=evaluation,
            themes=load_themes(),
            filters=export_filter.as_dict(),
        )

        def writing(written: int, to_write: int) -> None:
            report(total + (total * written // to_write if to_write else total), 2 * total)

        datasheet = write_export_archive(
            records, meta, result.report, formats, fileobj, progress=writing
        )
    return ExportOutcome(datasheet, len(result.records), n_selected - len(result.records))


def record_research_export(
    session: Session,
    export_filter: ExportFilter,
    formats: list[str],
    outcome: ExportOutcome,
    *,
    actor: str,
    k: int,
    staff_user: StaffUser | None = None,
) -> None:
    """The export log entry and the audit event for an export handed to someone (commits)."""
    session.add(
        ExportAuditEntry(
            staff_user_id=staff_user.id if staff_user else None,
            actor=actor,
            filter=export_filter.as_dict(),
            formats=",".join(formats),
            story_count=outcome.story_count,
            suppressed_count=outcome.suppressed_count,
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
            "stories": outcome.story_count,
        },
    )
    session.commit()


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
    progress: Progress | None = None,
) -> dict:
    """Write the archive of stories in `scope` and an audit entry; returns the datasheet."""
    outcome = build_research_archive(
        session,
        export_filter,
        formats,
        fileobj,
        exported_by=staff_user.role if staff_user else "command line",
        k=k,
        model_version=model_version,
        now=now,
        scope=scope,
        progress=progress,
    )
    record_research_export(
        session, export_filter, formats, outcome, actor=actor, k=k, staff_user=staff_user
    )
    return outcome.datasheet


def recent_exports(session: Session, limit: int = 50) -> list[ExportAuditEntry]:
    return list(
        session.scalars(
            select(ExportAuditEntry).order_by(ExportAuditEntry.created_at.desc()).limit(limit)
        )
    )
