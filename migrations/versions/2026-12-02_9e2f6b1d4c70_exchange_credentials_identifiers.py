"""the exchange's tables: organizations' credentials (several valid at once), their
identifiers of patients, the order ids of doses they sent, refusals

Revision ID: 9e2f6b1d4c70
Revises: 8d1e5a7c3b20
Create Date: 2026-12-02 03:40:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = "9e2f6b1d4c70"
down_revision = "8d1e5a7c3b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", portal.orm.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", portal.orm.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_org_credentials_organization_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_credentials")),
        sa.UniqueConstraint("username", name=op.f("uq_org_credentials_username")),
    )
    op.create_index(op.f("ix_org_credentials_organization_id"), "org_credentials",
                    ["organization_id"], unique=False)
    op.create_table(
        "patient_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_patient_identifiers_organization_id_organizations")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"],
                                name=op.f("fk_patient_identifiers_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_identifiers")),
        sa.UniqueConstraint("organization_id", "identifier",
                            name=op.f("uq_patient_identifiers_organization_id_identifier")),
    )
    op.create_index(op.f("ix_patient_identifiers_patient_id"), "patient_identifiers",
                    ["patient_id"], unique=False)
    op.create_table(
        "dose_orders",
        sa.Column("immunization_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["immunization_id"], ["immunizations.id"],
                                name=op.f("fk_dose_orders_immunization_id_immunizations")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_dose_orders_organization_id_organizations")),
        sa.PrimaryKeyConstraint("immunization_id", name=op.f("pk_dose_orders")),
        sa.UniqueConstraint("organization_id", "order_id",
                            name=op.f("uq_dose_orders_organization_id_order_id")),
    )
    op.create_table(
        "dose_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("cvx_code", sa.String(length=4), nullable=False),
        sa.Column("refused_on", sa.Date(), nullable=False),
        sa.Column("reason_code", sa.String(length=20), nullable=False),
        sa.Column("reported_by_org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.orm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"],
                                name=op.f("fk_dose_refusals_patient_id_patients")),
        sa.ForeignKeyConstraint(["reported_by_org_id"], ["organizations.id"],
                                name=op.f("fk_dose_refusals_reported_by_org_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dose_refusals")),
    )
    op.create_index(op.f("ix_dose_refusals_patient_id"), "dose_refusals", ["patient_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dose_refusals_patient_id"), table_name="dose_refusals")
    op.drop_table("dose_refusals")
    op.drop_table("dose_orders")
    op.drop_index(op.f("ix_patient_identifiers_patient_id"), table_name="patient_identifiers")
    op.drop_table("patient_identifiers")
    op.drop_index(op.f("ix_org_credentials_organization_id"), table_name="org_credentials")
    op.drop_table("org_credentials")
