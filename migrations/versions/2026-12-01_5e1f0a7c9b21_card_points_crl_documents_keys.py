"""card points, CRL entries, issuer documents, rotated card keys

Revision ID: 5e1f0a7c9b21
Revises: a1e1273ec5c8
Create Date: 2026-12-01 23:00:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = '5e1f0a7c9b21'
down_revision = 'a1e1273ec5c8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('card_points',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('last_point', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_card_points_patient_id_patients')),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_card_points'))
    )
    op.create_table('crl_entries',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('rid', sa.String(length=24), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.BigInteger(), nullable=False),
    sa.Column('revoked_at', portal.orm.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_crl_entries_patient_id_patients')),
    sa.PrimaryKeyConstraint('kid', 'rid', name=op.f('pk_crl_entries'))
    )
    with op.batch_alter_table('crl_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crl_entries_patient_id'), ['patient_id'], unique=False)
    op.create_table('issuer_documents',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('etag', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', portal.orm.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_issuer_documents'))
    )
    op.create_table('card_keys',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('public_jwk', sa.Text(), nullable=False),
    sa.Column('private_sealed', sa.Text(), nullable=True),
    sa.Column('created_at', portal.orm.UTCDateTime(), nullable=False),
    sa.Column('retired_at', portal.orm.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_card_keys'))
    )
    # Existing printouts: each record's point starts at its newest card's nbf.
    op.execute(
        "INSERT INTO card_points (patient_id, last_point) "
        "SELECT patient_id, MAX(nbf) FROM issued_cards GROUP BY patient_id"
    )


def downgrade() -> None:
    op.drop_table('card_keys')
    op.drop_table('issuer_documents')
    with op.batch_alter_table('crl_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crl_entries_patient_id'))
    op.drop_table('crl_entries')
    op.drop_table('card_points')
