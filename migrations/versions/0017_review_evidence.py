"""review evidence: the model's threshold and evidence stored on its theme rows, and the cues
on its outcome rows, so that the review screen needs no model in the web worker

Revision ID: 0017_review_evidence
Revises: 0016_report_cells
Create Date: 2026-12-03 10:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_review_evidence"
down_revision = "0016_report_cells"
branch_labels = None
depends_on = None


def upgrade():
    # Rows classified before this revision keep NULL: the review screen says their evidence is
    # not computed yet, and `weefsel reclassify --only-outdated` (or the review queue's button)
    # computes it. Plain ALTER TABLE, no batch copy: on SQLite a copied table would lose the
    # report-cell triggers on these tables.
    op.add_column("theme_assignment", sa.Column("threshold", sa.Float(), nullable=True))
    op.add_column("theme_assignment", sa.Column("evidence", sa.JSON(), nullable=True))
    op.add_column("outcome_assignment", sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("outcome_assignment", "evidence")
    op.drop_column("theme_assignment", "evidence")
    op.drop_column("theme_assignment", "threshold")
