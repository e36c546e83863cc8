"""privacy: audit events, explicit health consent, moderation time and last login for retention

Revision ID: 0006_privacy_audit
Revises: 0005
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_privacy_audit'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('target', sa.String(length=120), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_target'), ['target'], unique=False)
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_health', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('consent_health')
    op.drop_table('audit_event')
