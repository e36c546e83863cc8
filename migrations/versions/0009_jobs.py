"""background jobs: state and progress of queued work, for staff and for recovery

Revision ID: 0009_jobs
Revises: 0005
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_jobs'
down_revision = '0011_daily_paths'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'background_job',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=80), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('worker', sa.String(length=120), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_background_job_created_by_id_staff_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_job')),
    )
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_job_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_job_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_job_created_at'), ['created_at'], unique=False)
    # New stories wait for their themes in a background job; this finds them quickly.
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index('ix_story_unclassified', ['id'], unique=False,
                              sqlite_where=sa.text('classified_version IS NULL'),
                              postgresql_where=sa.text('classified_version IS NULL'))
    # One model row per story and theme (drop duplicates a race may have left first).
    op.execute(
        "DELETE FROM theme_assignment WHERE source = 'model' AND id NOT IN "
        "(SELECT MIN(id) FROM theme_assignment WHERE source = 'model' GROUP BY story_id, theme)"
    )
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.create_index('uq_theme_assignment_model_story_theme', ['story_id', 'theme'],
                              unique=True,
                              sqlite_where=sa.text("source = 'model'"),
                              postgresql_where=sa.text("source = 'model'"))


def downgrade():
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_theme_assignment_model_story_theme')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index('ix_story_unclassified')
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_job_created_at'))
        batch_op.drop_index(batch_op.f('ix_background_job_state'))
        batch_op.drop_index(batch_op.f('ix_background_job_kind'))
    op.drop_table('background_job')
