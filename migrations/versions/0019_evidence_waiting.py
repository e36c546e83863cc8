"""evidence waiting: partial indexes on the model rows that have no review evidence yet, which
the background job that adds it (after new stories are classified, when the form is quiet)
looks up by model version; they hold only the rows still waiting

Revision ID: 0019_evidence_waiting
Revises: 0018_resident_stories
Create Date: 2026-12-03 16:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019_evidence_waiting"
down_revision = "0018_resident_stories"
branch_labels = None
depends_on = None

WAITING = "source = 'model' AND evidence IS NULL"


def upgrade():
    op.create_index(
        "ix_theme_assignment_evidence_waiting",
        "theme_assignment",
        ["model_version", "story_id"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )
    op.create_index(
        "ix_outcome_assignment_evidence_waiting",
        "outcome_assignment",
        ["model_version", "story_id"],
        sqlite_where=sa.text(WAITING + " AND theme IS NULL"),
        postgresql_where=sa.text(WAITING + " AND theme IS NULL"),
    )


def downgrade():
    op.drop_index("ix_outcome_assignment_evidence_waiting", table_name="outcome_assignment")
    op.drop_index("ix_theme_assignment_evidence_waiting", table_name="theme_assignment")
