"""request idempotency token (a form sent twice makes one request), one open lock/unlock per record

Revision ID: 7c4d2e9f1a30
Revises: 7c3d9e1f4a52
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "7c4d2e9f1a30"
down_revision = "7c3d9e1f4a52"
branch_labels = None
depends_on = None

OPEN_SHARING = "kind IN ('lock', 'unlock') AND status IN ('submitted', 'in_review', 'needs_info')"


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_requests_requester_id_idempotency_token"),
            ["requester_id", "idempotency_token"],
        )
        batch_op.create_index(
            "uq_requests_open_sharing_patient_id",
            ["patient_id"],
            unique=True,
            sqlite_where=sa.text(OPEN_SHARING),
            postgresql_where=sa.text(OPEN_SHARING),
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("uq_requests_open_sharing_patient_id")
        batch_op.drop_constraint(
            batch_op.f("uq_requests_requester_id_idempotency_token"), type_="unique"
        )
        batch_op.drop_column("idempotency_token")
