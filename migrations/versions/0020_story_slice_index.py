"""story slice index: the story index by place and month also holds the report-cell slice
(id % 8), so a report that counts its pending slices from the stories reads only those
slices' rows (about an eighth of a wijk-month each) instead of every story of the wijk-months;
it replaces ix_story_area_month, whose queries it serves as well

Revision ID: 0020_story_slice_index
Revises: 0019_evidence_waiting
Create Date: 2026-12-03 19:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0020_story_slice_index"
down_revision = "0019_evidence_waiting"
branch_labels = None
depends_on = None

# As webapp.report_cell_triggers.CELL_SLICES was when this migration was written (a test
# checks they agree).
SLICE_EXPRESSION = "(id % 8)"


def upgrade():
    op.create_index(
        "ix_story_area_month_slice",
        "story",
        ["area_id", "submitted_month", sa.text(SLICE_EXPRESSION)],
    )
    op.drop_index("ix_story_area_month", table_name="story")


def downgrade():
    op.create_index("ix_story_area_month", "story", ["area_id", "submitted_month"])
    op.drop_index("ix_story_area_month_slice", table_name="story")
