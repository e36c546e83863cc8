"""accounts: roles held per area (role_grant), gemeente on stories and initiatives, gemeente
branding and privacy contacts, session generations, TOTP, one-time account links, login failures

Revision ID: 0007_scoped_accounts
Revises: 0006_privacy_audit
Create Date: 2026-12-02 13:10:00

The old single role per account becomes a grant for every area: "staff" (who managed
everything) becomes coordinator, the others keep their name; an account that could export
research data also gets the researcher role.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_scoped_accounts'
down_revision = '0009_jobs'
branch_labels = None
depends_on = None

OLD_TO_NEW = {'staff': 'coordinator', 'coordinator': 'coordinator',
              'councillor': 'councillor', 'researcher': 'researcher'}


def upgrade():
    op.create_table(
        'role_grant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name='fk_role_grant_staff_user_id_staff_user', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['area_id'], ['area.id'], name='fk_role_grant_area_id_area', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_role_grant'),
        sa.UniqueConstraint('staff_user_id', 'role', 'area_id', name='uq_role_grant_staff_user_id_role_area_id'),
    )
    op.create_index('ix_role_grant_staff_user_id', 'role_grant', ['staff_user_id'])
    op.create_table(
        'account_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name='fk_account_token_staff_user_id_staff_user', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_account_token'),
        sa.UniqueConstraint('token_hash', name='uq_account_token_token_hash'),
    )
    op.create_index('ix_account_token_staff_user_id', 'account_token', ['staff_user_id'])
    op.create_table(
        'login_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_key', sa.String(length=64), nullable=False),
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_login_failure'),
    )
    op.create_index('ix_login_failure_account_key', 'login_failure', ['account_key'])
    op.create_index('ix_login_failure_address_key', 'login_failure', ['address_key'])
    op.create_index('ix_login_failure_created_at', 'login_failure', ['created_at'])
    # Plain ALTER TABLE (no batch copy): on SQLite a batch copy drops and recreates the table,
    # and with foreign keys on that would cascade-delete the theme checks and audit rows under it.
    op.add_column('area', sa.Column('privacy_contact', sa.String(length=300), nullable=True))
    op.add_column('area', sa.Column('dpo_contact', sa.String(length=300), nullable=True))
    op.add_column('area', sa.Column('logo_path', sa.String(length=300), nullable=True))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in ('story', 'initiative'):
        if sqlite:  # SQLite adds a column with its reference in one statement, never later
            op.execute(f'ALTER TABLE {table} ADD COLUMN gemeente_id INTEGER '
                       f'CONSTRAINT fk_{table}_gemeente_id_area REFERENCES area (id)')
        else:
            op.add_column(table, sa.Column('gemeente_id', sa.Integer(), nullable=True))
            op.create_foreign_key(f'fk_{table}_gemeente_id_area', table, 'area', ['gemeente_id'], ['id'])
        op.create_index(f'ix_{table}_gemeente_id', table, ['gemeente_id'])
    _fill_gemeenten()
    _grants_from_old_roles()
    op.add_column('staff_user', sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('staff_user', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('staff_user', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    # SQLite >= 3.35 and PostgreSQL both drop a column in place.
    op.execute('ALTER TABLE staff_user DROP COLUMN role')
    op.execute('ALTER TABLE staff_user DROP COLUMN can_export')


def _fill_gemeenten():
    """Each story and initiative belongs to the city above its area; with one city, all do."""
    connection = op.get_bind()
    areas = {row.id: row.parent_id for row in connection.execute(sa.text('SELECT id, parent_id FROM area'))}

    def city_of(area_id):
        seen = set()
        while areas.get(area_id) is not None and area_id not in seen:
            seen.add(area_id)
            area_id = areas[area_id]
        return area_id

    cities = [row.id for row in connection.execute(sa.text("SELECT id FROM area WHERE level = 'city'"))]
    only_city = cities[0] if len(cities) == 1 else None
    for table in ('story', 'initiative'):
        rows = connection.execute(sa.text(f'SELECT id, area_id FROM {table}')).all()
        for row in rows:
            gemeente = city_of(row.area_id) if row.area_id is not None else only_city
            if gemeente is not None:
                connection.execute(
                    sa.text(f'UPDATE {table} SET gemeente_id = :g WHERE id = :id'),
                    {'g': gemeente, 'id': row.id},
                )


def _grants_from_old_roles():
    connection = op.get_bind()
    rows = connection.execute(sa.text('SELECT id, role, can_export, created_at FROM staff_user')).all()
    for row in rows:
        roles = {OLD_TO_NEW.get(row.role, 'coordinator')}
        if row.can_export:
            roles.add('researcher')
        for role in sorted(roles):
            connection.execute(
                sa.text(
                    'INSERT INTO role_grant (staff_user_id, role, area_id, created_at) '
                    'VALUES (:user, :role, NULL, :created)'
                ),
                {'user': row.id, 'role': role, 'created': row.created_at},
            )


def downgrade():
    op.add_column('staff_user', sa.Column('role', sa.String(length=20), nullable=False, server_default='staff'))
    op.add_column('staff_user', sa.Column('can_export', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute('ALTER TABLE staff_user DROP COLUMN totp_last_step')
    op.execute('ALTER TABLE staff_user DROP COLUMN totp_secret')
    op.execute('ALTER TABLE staff_user DROP COLUMN session_generation')
    connection = op.get_bind()
    for old, new in (('staff', 'reviewer'), ('councillor', 'councillor'), ('researcher', 'researcher'),
                     ('coordinator', 'coordinator'), ('coordinator', 'admin')):
        connection.execute(sa.text(
            'UPDATE staff_user SET role = :old WHERE id IN (SELECT staff_user_id FROM role_grant WHERE role = :new)'
        ), {'old': old, 'new': new})
    connection.execute(sa.text(
        "UPDATE staff_user SET can_export = :yes WHERE id IN (SELECT staff_user_id FROM role_grant WHERE role IN ('researcher', 'admin'))"
    ), {'yes': True})
    for table in ('initiative', 'story'):
        op.drop_index(f'ix_{table}_gemeente_id', table_name=table)
        if connection.dialect.name != 'sqlite':
            op.drop_constraint(f'fk_{table}_gemeente_id_area', table, type_='foreignkey')
        op.execute(f'ALTER TABLE {table} DROP COLUMN gemeente_id')
    for column in ('logo_path', 'dpo_contact', 'privacy_contact'):
        op.execute(f'ALTER TABLE area DROP COLUMN {column}')
    op.drop_table('login_failure')
    op.drop_table('account_token')
    op.drop_table('role_grant')
