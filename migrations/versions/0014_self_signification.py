"""self-signification: residents' own answers about their story (slider, triad, before/after)

Revision ID: 0014_self_signification
Revises: 0006_privacy_audit
Create Date: 2026-12-02 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_self_signification'
down_revision = '0010_report_truth'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'story_signification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('story_id', sa.Integer(), nullable=False),
        sa.Column('definition_id', sa.String(length=80), nullable=False),
        sa.Column('definition_version', sa.String(length=40), nullable=False),
        sa.Column('question', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('not_applicable', sa.Boolean(), nullable=False),
        sa.Column('choice', sa.String(length=40), nullable=True),
        sa.Column('position', sa.Integer(), nullable=True),
        sa.Column('weight_1', sa.Integer(), nullable=True),
        sa.Column('weight_2', sa.Integer(), nullable=True),
        sa.Column('weight_3', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'weight_1 IS NULL OR (weight_1 >= 0 AND weight_2 >= 0 AND weight_3 >= 0'
            ' AND weight_1 + weight_2 + weight_3 = 1000)',
            name=op.f('ck_story_signification_weights_sum'),
        ),
        sa.ForeignKeyConstraint(
            ['story_id'], ['story.id'],
            name=op.f('fk_story_signification_story_id_story'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_story_signification')),
        sa.UniqueConstraint(
            'story_id', 'question', name=op.f('uq_story_signification_story_id_question')
        ),
    )
    with op.batch_alter_table('story_signification', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_story_signification_story_id'), ['story_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_story_signification_question'), ['question'], unique=False
        )


def downgrade():
    with op.batch_alter_table('story_signification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_signification_question'))
        batch_op.drop_index(batch_op.f('ix_story_signification_story_id'))
    op.drop_table('story_signification')
