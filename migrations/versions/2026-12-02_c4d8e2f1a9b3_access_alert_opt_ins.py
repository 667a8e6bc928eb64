"""access_alert_opt_ins: a family's opt-in per linked record to an email when an organization
other than the owner opens it (at most daily), and how far the log was looked at

Revision ID: c4d8e2f1a9b3
Revises: b7c1d2e3f4a5
Create Date: 2026-12-02 07:40:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = "c4d8e2f1a9b3"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_alert_opt_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.orm.UTCDateTime(), nullable=False),
        sa.Column("seen_through", portal.orm.UTCDateTime(), nullable=False),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["patient_links.id"],
                                name=op.f("fk_access_alert_opt_ins_link_id_patient_links")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_alert_opt_ins")),
        sa.UniqueConstraint("link_id", name=op.f("uq_access_alert_opt_ins_link_id")),
    )


def downgrade() -> None:
    op.drop_table("access_alert_opt_ins")
