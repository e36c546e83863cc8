"""Themes on stories: classifying with the current model, staff review, agreement, training data."""

from __future__ import annotations

import functools
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session, selectinload

from nlp.agreement import cohens_kappa
from nlp.classify import ModelNotFoundError, ThemeClassifier
from nlp.themes import load_themes

from ..models import StaffUser, Story, ThemeAssignment
from .effective_themes import effective_themes_by_story
from .scopes import Scope

log = logging.getLogger(__name__)
_load_lock = threading.Lock()


class ClassifierHolder:
    """Loads the theme model once, on first use, and shares it between threads."""

    def __init__(self, model_dir: str | Path | None = None):
        self.model_dir = model_dir
        self._classifier: ThemeClassifier | None = None
        self._failed = False

    def get(self) -> ThemeClassifier | None:
        if self._classifier is None and not self._failed:
            with _load_lock:
                if self._classifier is None and not self._failed:
                    try:
                        self._classifier = ThemeClassifier.load(self.model_dir)
                    except (ModelNotFoundError, OSError, ValueError) as error:
                        log.warning("theme model not available: %s", error)
                        self._failed = True
        return self._classifier

    def reset(self) -> None:
        self._classifier, self._failed = None, False


@functools.lru_cache(maxsize=1)
def themes_in_force() -> tuple:
    """The themes file, read once per process."""
    return tuple(load_themes())


def theme_names(lang: str) -> dict[str, str]:
    return {
        theme.key: theme.name_nl if lang == "nl" else theme.name_en for theme in themes_in_force()
    }


def _store_model_result(story: Story, result, classifier: ThemeClassifier) -> None:
    story.language = result.language
    story.classified_version = classifier.version
    story.theme_assignments[:] = [a for a in story.theme_assignments if a.source != "model"]
    checked_by_staff = bool(story.theme_assignments)
    distances = []
    for theme, score in result.scores.items():
        story.theme_assignments.append(
            ThemeAssignment(
                theme=theme,
                score=score,
                assigned=theme in result.labels,
                superseded=checked_by_staff,
                source="model",
                model_version=classifier.version,
            )
        )
        distances.append(abs(score - classifier.thresholds.get(theme, 0.5)))
    story.theme_uncertainty = min(distances) if distances else None


def classify_stories(session: Session, stories: list[Story], classifier: ThemeClassifier) -> int:
    """Assign model themes to these stories (replacing older model themes); commits."""
    if not stories:
        return 0
    results = classifier.predict([story.text for story in stories])
    for story, result in zip(stories, results, strict=True):
        _store_model_result(story, result, classifier)
    session.commit()
    return len(stories)


def classify_new_story(session: Session, story: Story, holder: ClassifierHolder) -> bool:
    """Classify right after submission; any failure leaves the story for `weefsel reclassify`."""
    story_id = story.id
    try:
        classifier = holder.get()
        if classifier is None:
            return False
        classify_stories(session, [story], classifier)
        return True
    except Exception:  # the resident's submission must never fail because of the model
        session.rollback()
        log.exception("classifying story %s failed; it will be classified later", story_id)
        return False


def reclassify(
    session: Session,
    classifier: ThemeClassifier,
    only_outdated: bool = False,
    batch_size: int = 500,
) -> int:
    """(Re)assign model themes to every story, or only those not classified by this model."""
    query = select(Story.id).order_by(Story.id)
    if only_outdated:
        query = query.where(
            (Story.classified_version.is_(None)) | (Story.classified_version != classifier.version)
        )
    ids = list(session.scalars(query))
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        stories = list(
            session.scalars(
                select(Story)
                .where(Story.id.in_(chunk))
                .options(selectinload(Story.theme_assignments))
            )
        )
        done += classify_stories(session, stories, classifier)
    return done


# --- staff review --------------------------------------------------------------------------


def review_queue(
    session: Session, staff_user: StaffUser, scope: Scope, limit: int = 20
) -> list[Story]:
    """Stories in `scope` this staff member has not checked yet, the most uncertain first."""
    checked_by_me = exists().where(
        ThemeAssignment.story_id == Story.id,
        ThemeAssignment.source == "human",
        ThemeAssignment.staff_user_id == staff_user.id,
    )
    checked_by_anyone = exists().where(
        ThemeAssignment.story_id == Story.id, ThemeAssignment.source == "human"
    )
    return list(
        session.scalars(
            select(Story)
            .where(~checked_by_me, Story.classified_version.is_not(None), scope.stories())
            .options(selectinload(Story.theme_assignments))
            .order_by(checked_by_anyone.asc(), Story.theme_uncertainty.asc().nulls_last(), Story.id)
            .limit(limit)
        )
    )


def unreviewed_count(session: Session, scope: Scope) -> int:
    checked = exists().where(
        ThemeAssignment.story_id == Story.id, ThemeAssignment.source == "human"
    )
    return (
        session.scalar(select(func.count()).select_from(Story).where(~checked, scope.stories()))
        or 0
    )


def record_review(
    session: Session, story: Story, staff_user: StaffUser, chosen_themes: Iterable[str]
) -> None:
    """Store this staff member's judgement: one human row per theme, chosen or not."""
    chosen = set(chosen_themes)
    keys = [theme.key for theme in themes_in_force()]
    unknown = chosen - set(keys)
    if unknown:
        raise ValueError(f"unknown themes: {sorted(unknown)}")
    session.execute(
        delete(ThemeAssignment).where(
            ThemeAssignment.story_id == story.id,
            ThemeAssignment.source == "human",
            ThemeAssignment.staff_user_id == staff_user.id,
        )
    )
    for key in keys:
        session.add(
            ThemeAssignment(
                story_id=story.id,
                theme=key,
                assigned=key in chosen,
                source="human",
                staff_user_id=staff_user.id,
            )
        )
    session.execute(
        update(ThemeAssignment)
        .where(ThemeAssignment.story_id == story.id, ThemeAssignment.source == "model")
        .values(superseded=True)
    )
    session.commit()


def model_themes(story: Story) -> dict[str, ThemeAssignment]:
    return {a.theme: a for a in story.theme_assignments if a.source == "model"}


def staff_marks(session: Session) -> dict[tuple[int, str], dict[int, bool]]:
    """Every staff check: (story, theme) -> {staff user: chosen?}."""
    rows = session.execute(
        select(
            ThemeAssignment.story_id,
            ThemeAssignment.staff_user_id,
            ThemeAssignment.theme,
            ThemeAssignment.assigned,
        ).where(ThemeAssignment.source == "human")
    ).all()
    marks: dict[tuple[int, str], dict[int, bool]] = defaultdict(dict)
    for story_id, user_id, theme, assigned in rows:
        marks[(story_id, theme)][user_id] = bool(assigned)
    return marks


def human_labelled_examples(session: Session) -> list[dict]:
    """Training examples from staff checks, with the themes the one effective-theme rule gives.

    Only stories whose resident allowed research use are learnt from (the privacy statement
    says so); a withdrawn story is deleted, so it leaves the training data at the next training.
    """
    checked = select(ThemeAssignment.story_id).where(ThemeAssignment.source == "human").distinct()
    texts = dict(
        session.execute(
            select(Story.id, Story.text).where(
                Story.id.in_(checked), Story.consent_research.is_(True)
            )
        ).all()
    )
    themes = effective_themes_by_story(session, sorted(texts))
    return [
        {"text": texts[story_id], "labels": sorted(themes[story_id])} for story_id in sorted(texts)
    ]


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    stories: int
    kappa: float | None
    observed: float | None


def agreement_per_theme(session: Session) -> list[ThemeAgreement]:
    """Cohen's kappa per theme over stories checked by two or more staff (first two checkers)."""
    marks = staff_marks(session)
    result = []
    for theme in themes_in_force():
        first, second = [], []
        for (_story_id, key), by_user in marks.items():
            if key != theme.key or len(by_user) < 2:
                continue
            a, b = (by_user[user] for user in sorted(by_user)[:2])
            first.append(a)
            second.append(b)
        if first:
            observed = sum(x == y for x, y in zip(first, second, strict=True)) / len(first)
            result.append(
                ThemeAgreement(theme.key, len(first), cohens_kappa(first, second), observed)
            )
        else:
            result.append(ThemeAgreement(theme.key, 0, None, None))
    return result


@dataclass(frozen=True)
class TextSegment:
    text: str
    marked: bool
    weight: float = 0.0


def highlight_segments(text: str, evidence: list[dict]) -> list[TextSegment]:
    """Split text into plain and highlighted parts from evidence offsets (overlaps merged)."""
    spans = sorted(
        (max(0, e["start"]), min(len(text), e["end"]), float(e.get("weight", 0.0)))
        for e in evidence
        if e.get("kind") != "sentence" and e["end"] > e["start"]
    )
    merged: list[list] = []
    for start, end, weight in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = max(merged[-1][2], weight)
        else:
            merged.append([start, end, weight])
    segments, position = [], 0
    for start, end, weight in merged:
        if start > position:
            segments.append(TextSegment(text[position:start], False))
        segments.append(TextSegment(text[start:end], True, weight))
        position = end
    if position < len(text):
        segments.append(TextSegment(text[position:], False))
    return segments


def evidence_sentences(evidence: list[dict], limit: int = 2) -> list[str]:
    sentences = sorted(
        (e for e in evidence if e.get("kind") == "sentence"), key=lambda e: -e.get("weight", 0)
    )
    return [e["text"] for e in sentences[:limit]]
