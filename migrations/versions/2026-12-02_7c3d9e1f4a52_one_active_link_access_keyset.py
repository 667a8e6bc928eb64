"""one active link per account and record; access events indexed for keyset paging

Revision ID: 7c3d9e1f4a52
Revises: c3d9e2f4a7b1
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '7c3d9e1f4a52'
down_revision = 'c3d9e2f4a7b1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows the race left behind: keep the newest active link of each (account, record) and
    # close the others, so that the unique index can be built.
    op.execute(
        "UPDATE patient_links SET unlinked_at = created_at "
        "WHERE unlinked_at IS NULL AND id NOT IN ("
        " SELECT MAX(id) FROM patient_links WHERE unlinked_at IS NULL"
        " GROUP BY user_id, patient_id)"
    )
    with op.batch_alter_table('patient_links', schema=None) as batch_op:
        batch_op.create_index(
            'uq_patient_links_active_user_id_patient_id', ['user_id', 'patient_id'], unique=True,
            sqlite_where=sa.text('unlinked_at IS NULL'),
            postgresql_where=sa.text('unlinked_at IS NULL'),
        )
    with op.batch_alter_table('access_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_access_events_patient_id_occurred_at_id', ['patient_id', 'occurred_at', 'id'],
            unique=False,
        )
        batch_op.drop_index('ix_access_events_patient_id_occurred_at')


def downgrade() -> None:
    with op.batch_alter_table('access_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_access_events_patient_id_occurred_at', ['patient_id', 'occurred_at'], unique=False
        )
        batch_op.drop_index('ix_access_events_patient_id_occurred_at_id')
    with op.batch_alter_table('patient_links', schema=None) as batch_op:
        batch_op.drop_index('uq_patient_links_active_user_id_patient_id')
