"""report cells: pre-aggregated story counts per wijk and month, kept exact by triggers;
activity figures as JSONB on PostgreSQL

Revision ID: 0016_report_cells
Revises: 0015_report_indexes
Create Date: 2026-12-03 06:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from webapp.report_cell_triggers import TRIGGERS_V1, create_triggers, drop_triggers

revision = "0016_report_cells"
down_revision = "0015_report_indexes"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Reports read seven figures of every monthly log; `->>` on JSON parses it each time.
        op.alter_column(
            "activity_report",
            "values",
            type_=postgresql.JSONB(),
            postgresql_using='"values"::jsonb',
        )
    op.create_table(
        "report_cell",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("slice", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(40), nullable=True),
        sa.Column("story_outcome", sa.String(10), nullable=True),
        sa.Column("theme_outcome", sa.String(10), nullable=True),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.Column("checked_by_staff", sa.Integer(), nullable=False),
    )
    op.create_index("ix_report_cell_month_area", "report_cell", ["month", "area_id"])
    op.create_table(
        "report_cell_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("slice", sa.Integer(), nullable=False),
        sqlite_autoincrement=True,
    )
    connection = op.get_bind()
    create_triggers(connection, TRIGGERS_V1)
    # Every cell that already has stories is pending: reports count them from the stories
    # until the first refresh (`weefsel reports refresh` or the job sweep) has built them.
    connection.execute(
        sa.text(
            "INSERT INTO report_cell_change (area_id, month, slice) "
            "SELECT DISTINCT area_id, submitted_month, id % 8 FROM story"  # 8: CELL_SLICES
        )
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "activity_report", "values", type_=sa.JSON(), postgresql_using='"values"::json'
        )
    drop_triggers(op.get_bind())
    op.drop_table("report_cell_change")
    op.drop_index("ix_report_cell_month_area", table_name="report_cell")
    op.drop_table("report_cell")
