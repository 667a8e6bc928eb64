"""hl7_import_progress: how far `portal import-hl7` got in each file (resumable)

Revision ID: b7c1d2e3f4a5
Revises: 5e2a9c7d1b40
Create Date: 2026-12-02 04:10:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = "b7c1d2e3f4a5"
down_revision = "5e2a9c7d1b40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hl7_import_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=1024), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", portal.orm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_hl7_import_progress_organization_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hl7_import_progress")),
        sa.UniqueConstraint("organization_id", "source",
                            name=op.f("uq_hl7_import_progress_organization_id_source")),
    )


def downgrade() -> None:
    op.drop_table("hl7_import_progress")
