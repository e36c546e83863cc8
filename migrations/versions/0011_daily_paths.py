"""retired initiative links and used story submission tokens

Revision ID: 0011_daily_paths
Revises: 0005
Create Date: 2026-12-02 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_daily_paths'
down_revision = '0008_story_outcome'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retired_initiative_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('initiative_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('retired_initiative_link', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_retired_initiative_link_initiative_id'), ['initiative_id'], unique=False
        )
    op.create_table(
        'used_submission_token',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('story_id', sa.Integer(), nullable=True),
        sa.Column('month', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'),
    )


def downgrade():
    op.drop_table('used_submission_token')
    with op.batch_alter_table('retired_initiative_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_initiative_link_initiative_id'))
    op.drop_table('retired_initiative_link')
