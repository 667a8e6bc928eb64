"""reminders: a family's opt-in per linked record, and what was sent (per group, stage and
dose) so the daily run sends each reminder once

Revision ID: 5e2a9c7d1b40
Revises: 9e2f6b1d4c70
Create Date: 2026-12-02 04:00:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = "5e2a9c7d1b40"
down_revision = "9e2f6b1d4c70"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_opt_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.orm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["patient_links.id"],
                                name=op.f("fk_reminder_opt_ins_link_id_patient_links")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_opt_ins")),
        sa.UniqueConstraint("link_id", name=op.f("uq_reminder_opt_ins_link_id")),
    )  # fmt: skip
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("vaccine_group", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("due_from", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["patient_links.id"],
                                name=op.f("fk_reminders_sent_link_id_patient_links")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint("link_id", "vaccine_group", "stage", "dose_number", "due_from",
                            name=op.f("uq_reminders_sent_once")),
    )  # fmt: skip
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminders_sent_link_id"), ["link_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminders_sent_link_id"))
    op.drop_table("reminders_sent")
    op.drop_table("reminder_opt_ins")
