"""story outcome: what changed for the people in a story, from the model or staff

Revision ID: 0008_story_outcome
Revises: 0005
Create Date: 2026-12-02 13:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_story_outcome'
down_revision = '0014_self_signification'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outcome_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('story_id', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(length=40), nullable=True),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('model_version', sa.String(length=60), nullable=True),
        sa.Column('staff_user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outcome_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_assignment_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_assignment_outcome'), ['outcome'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_outcome_assignment_staff_user_id'), ['staff_user_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('outcome_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_assignment_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_assignment_outcome'))
        batch_op.drop_index(batch_op.f('ix_outcome_assignment_story_id'))
    op.drop_table('outcome_assignment')
