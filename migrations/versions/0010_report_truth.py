"""report share links: shown again (nonce), expire, count views

Revision ID: 0010_report_truth
Revises: 0006_privacy_audit
Create Date: 2026-12-02 14:00:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010_report_truth"
down_revision = "0012_story_languages"
branch_labels = None
depends_on = None

DEFAULT_DAYS = 90


def upgrade():
    with op.batch_alter_table("report_share_link") as batch:
        batch.add_column(sa.Column("token_nonce", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("view_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("last_viewed_at", sa.DateTime(), nullable=True))
    # Links made before expiry existed get the default lifetime from their creation.
    links = sa.table(
        "report_share_link",
        sa.column("id", sa.Integer),
        sa.column("created_at", sa.DateTime),
        sa.column("expires_at", sa.DateTime),
    )
    connection = op.get_bind()
    for link_id, created_at in connection.execute(sa.select(links.c.id, links.c.created_at)):
        connection.execute(
            links.update()
            .where(links.c.id == link_id)
            .values(expires_at=created_at + dt.timedelta(days=DEFAULT_DAYS))
        )


def downgrade():
    with op.batch_alter_table("report_share_link") as batch:
        batch.drop_column("last_viewed_at")
        batch.drop_column("view_count")
        batch.drop_column("expires_at")
        batch.drop_column("token_nonce")
