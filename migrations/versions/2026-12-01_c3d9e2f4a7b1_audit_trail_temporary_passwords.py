"""audit trail (hash-chained, append-only on PostgreSQL), temporary staff passwords

Revision ID: c3d9e2f4a7b1
Revises: 5e1f0a7c9b21
Create Date: 2026-12-01 23:50:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm
from portal.audit import triggers


revision = 'c3d9e2f4a7b1'
down_revision = '5e1f0a7c9b21'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', portal.orm.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=64), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_audit_entries_patient_id_patients')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_audit_entries_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_entries_hash'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_patient_id'), ['patient_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_temporary', sa.Boolean(), server_default=sa.false(), nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        triggers.execute(op.execute, triggers.CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        triggers.execute(op.execute, triggers.DROP)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_temporary')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_patient_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
    op.drop_table('audit_entries')
    op.drop_table('audit_head')
