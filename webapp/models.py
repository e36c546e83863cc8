"""Database models. The schema changes only through Alembic migrations (migrations/)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .report_cell_triggers import CELL_SLICES


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


AREA_LEVELS = ("city", "stadsdeel", "wijk")
STORY_CHANNELS = ("form", "initiative", "import")
# An initiative's monthly note ("what went well, what was hard"): read for themes and shown to
# staff, but not a resident's story, so not counted in the residents' figures of reports.
INITIATIVE_NOTE_CHANNEL = "initiative"
STORY_STATUSES = ("pending", "approved", "rejected")
THEME_SOURCES = ("model", "human")
OUTCOME_SOURCES = THEME_SOURCES
AGE_BANDS = ("tot 18", "18-29", "30-44", "45-64", "65-79", "80+")


class Area(db.Model):
    """A city, a stadsdeel (district) or a wijk (neighbourhood)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    # Only on a gemeente (level "city"): its branding and who residents ask about privacy.
    privacy_contact: Mapped[str | None] = mapped_column(String(300))
    dpo_contact: Mapped[str | None] = mapped_column(String(300))
    logo_path: Mapped[str | None] = mapped_column(String(300))

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")

    def ancestors(self) -> list[Area]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def gemeente(self) -> Area:
        """The city this area lies in (itself for a city)."""
        chain = [self, *self.ancestors()]
        return chain[-1]


class PostcodeArea(db.Model):
    """Which wijk a four-digit postcode lies in (mostly), loaded by the municipality."""

    postcode: Mapped[str] = mapped_column(String(4), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)

    area: Mapped[Area] = relationship()


class Initiative(db.Model):
    """A resident initiative, buurthuiskamer or small social enterprise."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    # The gemeente the initiative works in, also when it has no wijk.
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    subsidy_eur_per_year: Mapped[float | None] = mapped_column(Numeric(12, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The link token is HMAC(secret key, nonce): the database alone never reveals a working link,
    # staff can still show it again, and a new nonce (rotation) or none (revocation) kills it.
    link_nonce: Mapped[str | None] = mapped_column(String(64))
    link_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_token_created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    area: Mapped[Area | None] = relationship(foreign_keys=[area_id])


class RetiredInitiativeLink(db.Model):
    """A personal link that no longer works (replaced or switched off), kept as a hash only so
    someone opening it learns what happened instead of meeting a bare "not found"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))  # "replaced" or "revoked"
    retired_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    initiative: Mapped[Initiative] = relationship()


class UsedSubmissionToken(db.Model):
    """The one-time token of a story form that was sent, so a resend stores nothing twice.

    Only a hash of the random token and the month are kept (no time, no address)."""

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)


class Story(db.Model):
    """A resident's experience, told through the form or an initiative's monthly note."""

    # New stories wait for their themes in a background job; this finds them quickly.
    __table_args__ = (
        Index(
            "ix_story_unclassified",
            "id",
            sqlite_where=sql_text("classified_version IS NULL"),
            postgresql_where=sql_text("classified_version IS NULL"),
        ),
        # Reports find the stories of a place and period (and a report's quotes in a small one),
        # and the stories of the report-cell slices still pending (story id % CELL_SLICES).
        Index(
            "ix_story_area_month_slice",
            "area_id",
            "submitted_month",
            sql_text(f"(id % {CELL_SLICES})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # Primary language (ISO 639-1, "und" when undetermined) and every language found in it.
    language: Mapped[str | None] = mapped_column(String(12), index=True)
    languages: Mapped[list[str] | None] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(20), default="form")
    # Only the month is kept: no timestamp, IP address or user agent.
    submitted_month: Mapped[dt.date] = mapped_column(Date, index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    # The gemeente whose form the story came through: a story without a wijk stays in its scope.
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiative.id", ondelete="SET NULL"), index=True
    )
    age_band: Mapped[str | None] = mapped_column(String(20))
    consent_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_research: Mapped[bool] = mapped_column(Boolean, default=False)
    # Explicit consent to tell about health (AVG art. 9); None where the installation relies on
    # another legal basis for health data (WEEFSEL_HEALTH_DATA_BASIS), so none was asked.
    consent_health: Mapped[bool | None] = mapped_column(Boolean)
    withdrawal_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    # When staff last approved or rejected it: rejected stories are deleted a set time later.
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    classified_version: Mapped[str | None] = mapped_column(String(60))
    # Distance of the closest theme score to its threshold: small means the model is unsure.
    theme_uncertainty: Mapped[float | None] = mapped_column(Float, index=True)

    area: Mapped[Area | None] = relationship(foreign_keys=[area_id])
    initiative: Mapped[Initiative | None] = relationship()
    theme_assignments: Mapped[list[ThemeAssignment]] = relationship(
        back_populates="story", cascade="all, delete-orphan", passive_deletes=True
    )
    outcome_assignments: Mapped[list[OutcomeAssignment]] = relationship(
        back_populates="story", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_initiative_note(self) -> bool:
        """An initiative's monthly note rather than a resident's story (staff see it labelled)."""
        return self.channel == INITIATIVE_NOTE_CHANNEL


# The model side of services/effective_themes.model_theme_rows as each database writes it, so
# the partial index below serves exactly those rows.
MODEL_ROW_COUNTS = {
    "sqlite": "source = 'model' AND assigned IS 1 AND superseded IS 0",
    "postgresql": "source = 'model' AND assigned IS true AND superseded IS false",
}


EVIDENCE_WAITING = "source = 'model' AND evidence IS NULL"


class ThemeAssignment(db.Model):
    """One theme on one story, from the model or from a staff member."""

    # One model row per story and theme: two workers classifying a story at once cannot both win.
    __table_args__ = (
        Index(
            "uq_theme_assignment_model_story_theme",
            "story_id",
            "theme",
            unique=True,
            sqlite_where=sql_text("source = 'model'"),
            postgresql_where=sql_text("source = 'model'"),
        ),
        # Staff checks of a theme (few rows among the model's).
        Index(
            "ix_theme_assignment_staff",
            "theme",
            "story_id",
            sqlite_where=sql_text("source = 'human'"),
            postgresql_where=sql_text("source = 'human'"),
        ),
        # Model rows still waiting for their review evidence (services/themes.py
        # add_missing_evidence), by model: rows of older models wait for a reclassification.
        Index(
            "ix_theme_assignment_evidence_waiting",
            "model_version",
            "story_id",
            sqlite_where=sql_text(EVIDENCE_WAITING),
            postgresql_where=sql_text(EVIDENCE_WAITING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    assigned: Mapped[bool] = mapped_column(Boolean, default=True)
    # True on model rows of a story that staff have checked: their judgement counts instead.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(10))
    model_version: Mapped[str | None] = mapped_column(String(60))
    # On model rows: the model's threshold for the theme, and why it scored the story as it did
    # (services/review_evidence.py), computed in a job worker, so that the review screen needs
    # no model in the web worker. NULL until then: on a new story's rows for a few seconds (or
    # while the form is busy), on rows classified before evidence was kept until reclassified.
    threshold: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    story: Mapped[Story] = relationship(back_populates="theme_assignments")


# A report's quotes: the counting model rows of a theme, most confident first.
Index(
    "ix_theme_assignment_model_rank",
    ThemeAssignment.theme,
    ThemeAssignment.score.desc(),
    ThemeAssignment.story_id,
    sqlite_where=sql_text(MODEL_ROW_COUNTS["sqlite"]),
    postgresql_where=sql_text(MODEL_ROW_COUNTS["postgresql"]),
)


class OutcomeAssignment(db.Model):
    """What changed for the people in a story (beter, slechter, gemengd, geen), for the whole
    story (theme NULL) or for one of its themes, from the model or from a staff member."""

    __table_args__ = (
        # As on theme rows: the model's story rows still waiting for their cues.
        Index(
            "ix_outcome_assignment_evidence_waiting",
            "model_version",
            "story_id",
            sqlite_where=sql_text(EVIDENCE_WAITING + " AND theme IS NULL"),
            postgresql_where=sql_text(EVIDENCE_WAITING + " AND theme IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10), index=True)
    scores: Mapped[dict | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(10))
    model_version: Mapped[str | None] = mapped_column(String(60))
    # On the model's row about the whole story: its cues (services/review_evidence.py).
    evidence: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    story: Mapped[Story] = relationship(back_populates="outcome_assignments")


class ActivityReport(db.Model):
    """An initiative's figures for one month, shaped by a survey definition."""

    __table_args__ = (UniqueConstraint("initiative_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    # JSONB on PostgreSQL: reports read seven figures of every log, and `->>` on plain JSON
    # parses the whole document for each one.
    values: Mapped[dict] = mapped_column(
        JSON().with_variant(postgresql.JSONB(), "postgresql"), default=dict
    )
    definition_id: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[str | None] = mapped_column(String(40))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    initiative: Mapped[Initiative] = relationship()


ROLES = ("admin", "coordinator", "reviewer", "councillor", "researcher")


class StaffUser(db.Model):
    """Someone who logs in; what they may do, and where, comes from their role grants."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Empty until an invited person sets a password through their one-time link.
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # For the retention of inactive accounts (set on every successful login).
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Every session carries the generation it was made in; raising it ends them all.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The 30-second step of the last code used to log in: a code works only once.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    @property
    def role(self) -> str | None:
        """The highest role held anywhere (for labels and landing pages)."""
        held = self.roles()
        return next((role for role in ROLES if role in held), None)


class RoleGrant(db.Model):
    """One role held by one account for one area (a gemeente, stadsdeel or wijk), or everywhere."""

    __table_args__ = (UniqueConstraint("staff_user_id", "role", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    # None: every area of every gemeente in this installation.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[StaffUser] = relationship(back_populates="grants")
    area: Mapped[Area | None] = relationship()


class AccountToken(db.Model):
    """A one-time link to set a password: an invitation or a reset. Stored hashed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[StaffUser] = relationship()


class LoginFailure(db.Model):
    """One failed login, under keyed hashes of the account and the address (no plain text)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ReportShareLink(db.Model):
    """An unguessable link to one report, for people without an account; staff can revoke it.

    The token is HMAC(secret key, nonce): the nonce lets staff show the link again, while a
    copy of the database alone opens nothing (links made before the nonce have none).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    period: Mapped[str] = mapped_column(String(40))
    area_code: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str | None] = mapped_column(String(40))
    initiative_slug: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    token_nonce: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    view_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_viewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by: Mapped[StaffUser | None] = relationship()


class ExportAuditEntry(db.Model):
    """Who exported which research data, when, with which filter and how many stories."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    filter: Mapped[dict] = mapped_column(JSON, default=dict)
    formats: Mapped[str] = mapped_column(String(60))
    story_count: Mapped[int] = mapped_column(Integer)
    suppressed_count: Mapped[int] = mapped_column(Integer, default=0)
    k: Mapped[int] = mapped_column(Integer)


class AuditEvent(db.Model):
    """One action someone took on personal data or accounts: who, what, on what, when.

    `action` is a dotted name from services.audit.ACTIONS; `target` names the object
    (e.g. "story:12"); `details` never holds story text or passwords.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    target: Mapped[str | None] = mapped_column(String(120), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class StorySignification(db.Model):
    """A resident's own answer to one self-signification question about their story.

    Skipped questions have no row; "n.v.t." is a row with `not_applicable`. A triad's weights are
    thousandths per corner (in the definition's corner order) and always sum to 1000, i.e. 1.
    `definition_id`/`definition_version` say which question and corners the answer belongs to.
    """

    __table_args__ = (
        UniqueConstraint("story_id", "question"),
        CheckConstraint(
            "weight_1 IS NULL OR (weight_1 >= 0 AND weight_2 >= 0 AND weight_3 >= 0"
            " AND weight_1 + weight_2 + weight_3 = 1000)",
            name="weights_sum",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    choice: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int | None] = mapped_column(Integer)
    weight_1: Mapped[int | None] = mapped_column(Integer)
    weight_2: Mapped[int | None] = mapped_column(Integer)
    weight_3: Mapped[int | None] = mapped_column(Integer)

    @property
    def weights(self) -> tuple[float, float, float] | None:
        """The triad point as three fractions that sum to 1."""
        if self.weight_1 is None or self.weight_2 is None or self.weight_3 is None:
            return None
        return self.weight_1 / 1000, self.weight_2 / 1000, self.weight_3 / 1000


JOB_STATES = ("queued", "running", "done", "failed")


class BackgroundJob(db.Model):
    """One run of a background job (reclassify, train, export …): its state for staff, and the
    durable record that lets a job whose worker died be queued again."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(80), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSON)
    worker: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ReportCell(db.Model):
    """Counted stories of one wijk (NULL: no area) and month, per theme and outcome: what a
    council report reads instead of every story (services/report_cells.py fills it).

    A row with `theme` NULL is about the stories themselves (all counted stories, by story
    outcome); a row with a theme counts the stories that have it as an effective theme, by story
    and theme outcome. An outcome is NULL where the story has no outcome reading.
    """

    __table_args__ = (Index("ix_report_cell_month_area", "month", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[dt.date] = mapped_column(Date)
    # story id % CELL_SLICES (webapp/report_cell_triggers.py): a write leaves one slice pending.
    slice: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str | None] = mapped_column(String(40))
    story_outcome: Mapped[str | None] = mapped_column(String(10))
    theme_outcome: Mapped[str | None] = mapped_column(String(10))
    stories: Mapped[int] = mapped_column(Integer)
    # Of those, stories a staff member checked the themes of.
    checked_by_staff: Mapped[int] = mapped_column(Integer)


class ReportCellChange(db.Model):
    """Append-only: a write that may have changed the report cells of (area, month, slice).

    Written only by database triggers (webapp/report_cell_triggers.py); a refresh removes the
    rows it has folded into `report_cell`, and until then reports count that area and month from
    the stories themselves. No unique key: concurrent submissions never wait on each other.
    """

    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    area_id: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[dt.date] = mapped_column(Date)
    slice: Mapped[int] = mapped_column(Integer)


from .report_cell_triggers import install_triggers  # noqa: E402 - needs the tables above

install_triggers(db.metadata)
