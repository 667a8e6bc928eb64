"""request idempotency token: a form sent twice makes one request

Revision ID: 7c4d2e9f1a30
Revises: 5e1f0a7c9b21
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "7c4d2e9f1a30"
down_revision = "5e1f0a7c9b21"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_requests_requester_id_idempotency_token"),
            ["requester_id", "idempotency_token"],
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_requests_requester_id_idempotency_token"), type_="unique"
        )
        batch_op.drop_column("idempotency_token")
