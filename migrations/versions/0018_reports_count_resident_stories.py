"""reports count residents' stories only: the report cells built before this revision also
counted initiatives' monthly notes (channel "initiative"); their slices are logged as changed
so the next refresh (the sweep, `weefsel reports refresh`) rebuilds them without the notes,
and until then reports count those slices from the stories themselves

Revision ID: 0018_resident_stories
Revises: 0017_review_evidence
Create Date: 2026-12-03 14:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_resident_stories"
down_revision = "0017_review_evidence"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "INSERT INTO report_cell_change (area_id, month, slice) "
            "SELECT DISTINCT area_id, submitted_month, id % 8 FROM story"  # 8: CELL_SLICES
            " WHERE channel = 'initiative'"
        )
    )


def downgrade():
    # The cells are rebuilt by the code in force; logging the same slices again suffices.
    upgrade()
