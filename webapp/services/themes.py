"""Themes on stories: classifying with the current model, staff review, agreement, training data."""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, delete, exists, func, select, text, update
from sqlalchemy.orm import Session, selectinload

from nlp.agreement import cohens_kappa
from nlp.classify import (
    CURRENT_POINTER_NAME,
    MODEL_FILE_NAME,
    MODELS_DIR,
    ModelNotFoundError,
    ThemeClassifier,
    current_model_dir,
)
from nlp.outcome import OutcomeModel, read_outcomes
from nlp.themes import load_themes

from ..models import EVIDENCE_WAITING, OutcomeAssignment, StaffUser, Story, ThemeAssignment
from . import audit, consent
from .effective_themes import effective_themes_by_story
from .outcomes import (
    model_outcome_rows,
    replace_model_outcome_rows,
    set_model_outcome_evidence,
)
from .review_evidence import StoryEvidence, read_evidence
from .scopes import EVERYTHING, Scope

log = logging.getLogger(__name__)
_load_lock = threading.Lock()


class ClassifierHolder:
    """Loads the theme model once, on first use, and shares it between threads.

    It reads the CURRENT pointer again at most every `check_every` seconds: when a new model is
    promoted (CURRENT names another version) the next call loads it, so running web and job
    workers use it without a restart. A model that fails to load leaves the old one in use."""

    def __init__(
        self,
        model_dir: str | Path | None = None,
        check_every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.model_dir = model_dir
        self.check_every = check_every
        self._clock = clock
        self._classifier: ThemeClassifier | None = None
        self._failed = False
        self._loaded_pointer: str | None = None
        self._next_check = 0.0

    def _base(self) -> Path:
        """Where the model is configured: a models folder, a model folder or a model.joblib."""
        return Path(self.model_dir) if self.model_dir is not None else MODELS_DIR

    def _model_directory(self) -> Path:
        """The folder of the model in force (ModelNotFoundError when CURRENT names none)."""
        base = self._base()
        if base.is_file():  # a model.joblib named directly
            return base.parent
        if (base / CURRENT_POINTER_NAME).exists():
            return current_model_dir(base)
        return base

    def _pointer(self) -> str | None:
        """What CURRENT says now; None when the model directory has no CURRENT pointer."""
        try:
            return (self._base() / CURRENT_POINTER_NAME).read_text(encoding="utf8").strip()
        except OSError:
            return None

    def get(self) -> ThemeClassifier | None:
        if self._clock() >= self._next_check:
            self._check_pointer()
        if self._classifier is None and not self._failed:
            with _load_lock:
                if self._classifier is None and not self._failed:
                    self._load()
        return self._classifier

    def _load(self) -> None:
        pointer = self._pointer()
        try:
            classifier = ThemeClassifier.load(self.model_dir)
        except (ModelNotFoundError, OSError, ValueError) as error:
            log.warning("theme model not available: %s", error)
            self._failed = self._classifier is None
        else:
            if self._classifier is not None:
                log.info("theme model %s replaces %s", classifier.version, self._classifier.version)
            self._classifier = classifier
        self._loaded_pointer = pointer

    def _check_pointer(self) -> None:
        with _load_lock:
            if self._clock() < self._next_check:
                return
            self._next_check = self._clock() + self.check_every
            if (self._classifier is not None or self._failed) and (
                self._pointer() != self._loaded_pointer
            ):
                self._failed = False
                self._load()

    def available(self) -> bool:
        """Whether there is a model to load, without loading it (a web worker that only shows
        what the job workers stored has no need of the model or scikit-learn)."""
        if self._classifier is not None or self._base().is_file():
            return True
        try:
            return (self._model_directory() / MODEL_FILE_NAME).is_file()
        except ModelNotFoundError:
            return False

    def version_in_force(self) -> str:
        """The version of the theme model in force, without loading it ("" when there is none):
        the loaded model's, else the model card's of the model CURRENT names (or of the model
        named directly). A web worker that only records which model is in force (the research
        export form) need not load the model and scikit-learn for it."""
        if self._classifier is not None and self._clock() < self._next_check:
            return self._classifier.version
        try:
            card_file = self._model_directory() / "model_card.json"
            card = json.loads(card_file.read_text(encoding="utf8"))
            return str(card["version"])
        except (ModelNotFoundError, OSError, ValueError, KeyError, TypeError):
            return ""

    def reset(self) -> None:
        self._classifier, self._failed, self._loaded_pointer = None, False, None


@functools.lru_cache(maxsize=1)
def themes_in_force() -> tuple:
    """The themes file, read once per process."""
    return tuple(load_themes())


def theme_names(lang: str) -> dict[str, str]:
    return {
        theme.key: theme.name_nl if lang == "nl" else theme.name_en for theme in themes_in_force()
    }


_THEME_ROWS = ThemeAssignment.__table__
WRITE_CHUNK = 40  # stories written per transaction (and SQLite write turn) by classify_stories
_STORY_ROWS = Story.__table__
_INSERT_THEME_ROWS = _THEME_ROWS.insert()
_UPDATE_CLASSIFIED_STORY = (
    _STORY_ROWS.update()
    .where(_STORY_ROWS.c.id == bindparam("b_story"))
    .values(
        language=bindparam("b_language"),
        languages=bindparam("b_languages"),
        classified_version=bindparam("b_classified_version"),
        theme_uncertainty=bindparam("b_theme_uncertainty"),
    )
)


def _classified_story_values(story: Story, result, classifier: ThemeClassifier) -> dict:
    """What a story's row says after classification."""
    # The classifier's language says what it read (themes only for Dutch and English); keep it
    # first among the languages found in the story, and keep the languages it left out.
    found = story.languages if story.languages is not None else list(result.languages)
    others = [code for code in found if code != result.language]
    others += [c for c in result.left_out if c not in others and c != result.language]
    distances = [
        abs(score - classifier.thresholds.get(theme, 0.5)) for theme, score in result.scores.items()
    ]
    return {  # the parameters of _UPDATE_CLASSIFIED_STORY
        "b_story": story.id,
        "b_language": result.language,
        "b_languages": [result.language, *others] if result.language != "und" else others,
        "b_classified_version": classifier.version,
        # No scores, or part of the story not read: it is (partly) in a language the model
        # does not read. It needs a human most, so it comes first in the review queue.
        "b_theme_uncertainty": min(distances) if distances and not result.left_out else 0.0,
    }


def _model_theme_rows(
    story: Story, result, classifier: ThemeClassifier, evidence: StoryEvidence
) -> list[dict]:
    """The story's new model rows; they count only where staff have not checked the story.
    Each keeps the model's threshold and its evidence for the review screen."""
    checked_by_staff = any(a.source != "model" for a in story.theme_assignments)
    return [
        {
            "story_id": story.id,
            "theme": theme,
            "score": score,
            "assigned": theme in result.labels,
            "superseded": checked_by_staff,
            "source": "model",
            "model_version": classifier.version,
            "threshold": classifier.thresholds.get(theme),
            "evidence": evidence.themes.get(theme),
        }
        for theme, score in result.scores.items()
    ]


def _stories_with_model_rows(session: Session, condition, limit: int | None = None) -> list[Story]:
    """The stories meeting `condition` in id order, with their theme and outcome rows loaded
    (classification replaces the model's rows and keeps the staff's)."""
    query = (
        select(Story)
        .where(condition)
        .options(selectinload(Story.theme_assignments), selectinload(Story.outcome_assignments))
        .order_by(Story.id)
    )
    return list(session.scalars(query if limit is None else query.limit(limit)))


def classify_stories(
    session: Session,
    stories: list[Story],
    classifier: ThemeClassifier,
    outcome_model: OutcomeModel | None = None,
    write_turn: Callable[[], AbstractContextManager] = nullcontext,
    with_evidence: bool = True,
) -> int:
    """Assign model themes, and with an outcome model also model outcomes, to these stories
    (replacing older model rows; staff checks stay); commits.

    `with_evidence`: also store why, for the review screen. New stories leave that to
    `add_missing_evidence`, which runs when the form is quiet: it costs more than the
    classification itself, and no one reads it within seconds.

    The database keeps one model row per story and theme; when two workers classify the same
    story at once, the second commit fails with IntegrityError and changes nothing."""
    if not stories:
        return 0
    # Every reading and every row first, then the writes as a few bulk statements: on SQLite
    # the first write takes the database's one write lock until the commit, and residents'
    # stories wait for it. The job worker runs at a lower CPU priority, so on a busy machine
    # each millisecond of Python inside the transaction holds that lock for many (the ORM's
    # unit of work held the lock for 22-32 ms of CPU per 20 stories; these statements for 7).
    results = classifier.predict([story.text for story in stories])
    outcomes = (
        read_outcomes(outcome_model, classifier, results) if outcome_model is not None else None
    )
    if with_evidence:
        evidence = read_evidence(
            [story.text for story in stories],
            [result.scores for result in results],
            classifier,
            outcome_model,
            [None if o is None else o.outcome for o in outcomes] if outcomes is not None else None,
        )
    else:
        evidence = [StoryEvidence() for _ in stories]
    story_values, theme_rows = [], []
    for story, result, why in zip(stories, results, evidence, strict=True):
        story_values.append(_classified_story_values(story, result, classifier))
        theme_rows += _model_theme_rows(story, result, classifier, why)
    outcome_rows = (
        model_outcome_rows(stories, outcomes, [why.outcome for why in evidence])
        if outcomes is not None
        else None
    )
    story_ids = [story.id for story in stories]  # read before the commits expire the rows
    session.commit()  # nothing of this session may hold the write lock while waiting for a turn
    # Written WRITE_CHUNK stories per turn: a turn is short however large the batch read.
    for start in range(0, len(story_ids), WRITE_CHUNK):
        ids = story_ids[start : start + WRITE_CHUNK]
        in_chunk = set(ids)
        with write_turn():  # webapp.write_turns: on SQLite, story POSTs and this job take turns
            connection = session.connection()
            connection.execute(
                delete(_THEME_ROWS).where(
                    _THEME_ROWS.c.story_id.in_(ids), _THEME_ROWS.c.source == "model"
                )
            )
            chunk_rows = [row for row in theme_rows if row["story_id"] in in_chunk]
            if chunk_rows:
                connection.execute(_INSERT_THEME_ROWS, chunk_rows)
            connection.execute(
                _UPDATE_CLASSIFIED_STORY, [v for v in story_values if v["b_story"] in in_chunk]
            )
            if outcome_rows is not None:
                replace_model_outcome_rows(
                    connection, ids, [row for row in outcome_rows if row["story_id"] in in_chunk]
                )
            session.commit()  # the stories' rows and collections are read again on next use
    return len(story_ids)


def classify_waiting_stories(
    session: Session,
    classifier: ThemeClassifier,
    batch_size: int = 20,
    outcome_model: OutcomeModel | None = None,
    write_turn: Callable[[], AbstractContextManager] = nullcontext,
) -> int:
    """Classify every story that has no themes yet (new stories), in batches; commits. Their
    review evidence follows later (`add_missing_evidence`)."""
    done = 0
    while True:
        stories = _stories_with_model_rows(
            session, Story.classified_version.is_(None), limit=batch_size
        )
        if not stories:
            return done
        done += classify_stories(
            session, stories, classifier, outcome_model, write_turn, with_evidence=False
        )


_SET_THEME_EVIDENCE = (
    _THEME_ROWS.update()
    .where(
        _THEME_ROWS.c.story_id == bindparam("b_story"),
        _THEME_ROWS.c.theme == bindparam("b_theme"),
        _THEME_ROWS.c.source == "model",
        _THEME_ROWS.c.model_version == bindparam("b_version"),
    )
    .values(evidence=bindparam("b_evidence"))
)


def stories_waiting_for_evidence(
    session: Session,
    classifier: ThemeClassifier,
    outcome_model: OutcomeModel | None,
    limit: int,
) -> list[int]:
    """The first `limit` stories whose model rows of the models in force have no review
    evidence yet (partial indexes keep this quick however many stories there are)."""
    theme_ids = (
        select(ThemeAssignment.story_id)
        .where(
            # The partial index's own condition, written out as it is, so every database's
            # planner sees that the index applies (no bound parameter in its place).
            text(EVIDENCE_WAITING),
            ThemeAssignment.model_version == classifier.version,
        )
        .order_by(ThemeAssignment.story_id)
        .limit(limit)
    )
    ids = set(session.scalars(theme_ids))
    if outcome_model is not None:
        ids.update(
            session.scalars(
                select(OutcomeAssignment.story_id)
                .where(
                    text(EVIDENCE_WAITING),
                    OutcomeAssignment.theme.is_(None),
                    OutcomeAssignment.model_version == outcome_model.version,
                )
                .order_by(OutcomeAssignment.story_id)
                .limit(limit)
            )
        )
    return sorted(ids)[:limit]


def add_missing_evidence(
    session: Session,
    classifier: ThemeClassifier,
    outcome_model: OutcomeModel | None = None,
    batch_size: int = 50,
    write_turn: Callable[[], AbstractContextManager] = nullcontext,
    keep_going: Callable[[], bool] = lambda: True,
) -> int:
    """Store the review evidence of stories classified without it, batch by batch, asking
    `keep_going` after each; returns how many stories got theirs. Only rows of the models in
    force are filled in, so a story classified again meanwhile is never given evidence of
    another model's reading; commits."""
    done = 0
    while True:
        ids = stories_waiting_for_evidence(session, classifier, outcome_model, batch_size)
        if not ids:
            return done
        stories = _stories_with_model_rows(session, Story.id.in_(ids))
        theme_rows = [
            [a for a in story.theme_assignments if _is_model_row(a, classifier.version)]
            for story in stories
        ]
        outcome_rows = [
            next(
                (
                    a
                    for a in story.outcome_assignments
                    if outcome_model is not None
                    and a.source == "model"
                    and a.theme is None
                    and a.model_version == outcome_model.version
                ),
                None,
            )
            for story in stories
        ]
        evidence = read_evidence(
            [story.text for story in stories],
            [[a.theme for a in rows] for rows in theme_rows],
            classifier,
            outcome_model,
            [row.outcome if row is not None else None for row in outcome_rows],
        )
        theme_values = [
            {
                "b_story": story.id,
                "b_theme": row.theme,
                "b_version": classifier.version,
                "b_evidence": why.themes[row.theme],
            }
            for story, rows, why in zip(stories, theme_rows, evidence, strict=True)
            for row in rows
        ]
        outcome_values = [
            (story.id, outcome_model.version, why.outcome)
            for story, row, why in zip(stories, outcome_rows, evidence, strict=True)
            if row is not None
        ]
        session.commit()  # as in classify_stories: no lock held while waiting for a turn
        with write_turn():
            connection = session.connection()
            if theme_values:
                connection.execute(_SET_THEME_EVIDENCE, theme_values)
            if outcome_values:
                set_model_outcome_evidence(connection, outcome_values)
            session.commit()
        done += len(stories)
        if not keep_going():
            return done


def _is_model_row(assignment: ThemeAssignment, version: str) -> bool:
    return assignment.source == "model" and assignment.model_version == version


def reclassify(
    session: Session,
    classifier: ThemeClassifier,
    only_outdated: bool = False,
    batch_size: int = 500,
    outcome_model: OutcomeModel | None = None,
    progress: Callable[[int, int], None] | None = None,
    id_range: tuple[int, int] | None = None,
    write_turn: Callable[[], AbstractContextManager] = nullcontext,
) -> int:
    """(Re)assign model themes to every story, or only those not classified by this model (or
    classified before their review evidence was kept); `id_range` (first, last, inclusive) limits it to one slice, so several workers can share
    the work."""
    query = select(Story.id).order_by(Story.id)
    if id_range is not None:
        query = query.where(Story.id.between(*id_range))
    if only_outdated:
        outdated = (
            (Story.classified_version.is_(None))
            | (Story.classified_version != classifier.version)
            # classified before the review evidence was kept (services/review_evidence.py)
            | exists().where(
                ThemeAssignment.story_id == Story.id,
                ThemeAssignment.source == "model",
                ThemeAssignment.evidence.is_(None),
            )
        )
        if outcome_model is not None:
            outdated = outdated | ~exists().where(
                OutcomeAssignment.story_id == Story.id,
                OutcomeAssignment.source == "model",
                OutcomeAssignment.model_version == outcome_model.version,
            )
            outdated = outdated | exists().where(
                OutcomeAssignment.story_id == Story.id,
                OutcomeAssignment.source == "model",
                OutcomeAssignment.theme.is_(None),
                OutcomeAssignment.evidence.is_(None),
            )
        query = query.where(outdated)
    ids = list(session.scalars(query))
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        stories = _stories_with_model_rows(session, Story.id.in_(chunk))
        done += classify_stories(session, stories, classifier, outcome_model, write_turn)
        if progress is not None:
            progress(done, len(ids))
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
    audit.record_event(
        session,
        "theme.reviewed",
        actor=staff_user,
        target=f"story:{story.id}",
        details={"themes": ",".join(sorted(chosen)) or "-"},
    )
    session.commit()


def model_themes(story: Story) -> dict[str, ThemeAssignment]:
    return {a.theme: a for a in story.theme_assignments if a.source == "model"}


def staff_marks(
    session: Session, scope: Scope = EVERYTHING
) -> dict[tuple[int, str], dict[int, bool]]:
    """Every staff check on stories in `scope`: (story, theme) -> {staff user: chosen?}."""
    rows = session.execute(
        select(
            ThemeAssignment.story_id,
            ThemeAssignment.staff_user_id,
            ThemeAssignment.theme,
            ThemeAssignment.assigned,
        )
        .join(Story, Story.id == ThemeAssignment.story_id)
        .where(ThemeAssignment.source == "human", scope.stories())
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
            select(Story.id, Story.text).where(Story.id.in_(checked), consent.research_usable())
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


def agreement_per_theme(session: Session, scope: Scope = EVERYTHING) -> list[ThemeAgreement]:
    """Cohen's kappa per theme over stories in `scope` checked by two or more staff (first two
    checkers)."""
    marks = staff_marks(session, scope)
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


def story_id_slices(session: Session, size: int) -> list[tuple[int, int]]:
    """Consecutive (first, last) story id ranges of about `size` ids each, covering every story."""
    low, high = session.execute(select(func.min(Story.id), func.max(Story.id))).one()
    if low is None:
        return []
    return [(start, min(start + size - 1, high)) for start in range(low, high + 1, size)]
