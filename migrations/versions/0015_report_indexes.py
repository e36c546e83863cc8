"""report indexes: quote candidates in index order, stories by place and month

Revision ID: 0015_report_indexes
Revises: 0007_scoped_accounts
Create Date: 2026-12-02 17:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_report_indexes"
down_revision = "0007_scoped_accounts"
branch_labels = None
depends_on = None

# As in webapp/models.py (MODEL_ROW_COUNTS): the rows services/effective_themes counts for the model.
MODEL_ROW_COUNTS = {
    "sqlite": "source = 'model' AND assigned IS 1 AND superseded IS 0",
    "postgresql": "source = 'model' AND assigned IS true AND superseded IS false",
}


def upgrade():
    op.create_index("ix_story_area_month", "story", ["area_id", "submitted_month"])
    op.create_index(
        "ix_theme_assignment_model_rank",
        "theme_assignment",
        ["theme", sa.text("score DESC"), "story_id"],
        sqlite_where=sa.text(MODEL_ROW_COUNTS["sqlite"]),
        postgresql_where=sa.text(MODEL_ROW_COUNTS["postgresql"]),
    )
    op.create_index(
        "ix_theme_assignment_staff",
        "theme_assignment",
        ["theme", "story_id"],
        sqlite_where=sa.text("source = 'human'"),
        postgresql_where=sa.text("source = 'human'"),
    )


def downgrade():
    op.drop_index("ix_theme_assignment_staff", table_name="theme_assignment")
    op.drop_index("ix_theme_assignment_model_rank", table_name="theme_assignment")
    op.drop_index("ix_story_area_month", table_name="story")
