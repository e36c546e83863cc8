"""story languages found; postcode to wijk table

Revision ID: 0012_story_languages
Revises: 0005
Create Date: 2026-12-02 13:00:00

Every story keeps the languages found in it (per sentence) next to its primary language.
A municipality may load a table from four-digit postcodes to wijken, so residents who do not
know their official wijk can find it; nothing of the postcode is stored with a story.
"""
from alembic import op
import sqlalchemy as sa


revision = "0012_story_languages"
down_revision = '0006_privacy_audit'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(sa.Column("languages", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_story_language"), ["language"], unique=False)
    # Stories from before: the language stored so far is the one language known to be in them.
    story = sa.table(
        "story", sa.column("id", sa.Integer), sa.column("language"), sa.column("languages", sa.JSON)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(story.c.id, story.c.language).where(story.c.language.is_not(None))
    ).all()
    for story_id, language in rows:
        found = [] if language == "und" else [language]
        connection.execute(story.update().where(story.c.id == story_id).values(languages=found))
    op.create_table(
        "postcode_area",
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_postcode_area_area_id_area"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("postcode", name=op.f("pk_postcode_area")),
    )
    with op.batch_alter_table("postcode_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postcode_area_area_id"), ["area_id"], unique=False)


def downgrade():
    with op.batch_alter_table("postcode_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postcode_area_area_id"))
    op.drop_table("postcode_area")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_language"))
        batch_op.drop_column("languages")
