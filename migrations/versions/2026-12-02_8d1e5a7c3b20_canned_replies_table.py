"""canned replies kept by the supervisor (a table, seeded with the checked-in ones in
English and Spanish); an index on requests.closed_at for the supervisor's figures

Revision ID: 8d1e5a7c3b20
Revises: 7c3d9e2f4a10
Create Date: 2026-12-02 03:00:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = "8d1e5a7c3b20"
down_revision = "7c3d9e2f4a10"
branch_labels = None
depends_on = None

# The replies portal/requests/canned.py held as Babel strings, with the Spanish of the
# catalog at this revision, so a fresh database offers the same ready answers.
SEED = [
    (
        "Ask for a clearer document",
        "Pedir un documento más claro",
        "We could not read the document you sent. Please send a clearer photo or scan "
        "of the whole page, with the names and dates easy to read.",
        "No pudimos leer el documento que envió. Envíe una foto o un escaneo más claro de "
        "la página completa, donde los nombres y las fechas se lean bien.",
    ),
    (
        "Ask for proof of parenthood",
        "Pedir prueba de que es el padre o la madre",
        "Please send a document that shows you are the child's parent or legal "
        "guardian, such as the birth certificate or a court order.",
        "Envíe un documento que muestre que usted es el padre, la madre o el tutor legal "
        "del niño, como el acta de nacimiento o una orden judicial.",
    ),
    (
        "Ask for the provider's record",
        "Pedir el registro del proveedor",
        "Please send a copy of the shot record from the doctor's office or clinic that "
        "gave the dose, showing the vaccine and the date it was given.",
        "Envíe una copia del registro de vacunas del consultorio o la clínica que aplicó "
        "la dosis, donde se vean la vacuna y la fecha en que se aplicó.",
    ),
    (
        "No matching record",
        "No hay registro que coincida",
        "We could not find a record in the registry that matches the details you gave. "
        "Please check the child's full name and birth date, or ask the doctor's office "
        "to report the shots to the registry.",
        "No encontramos en el registro ninguno que coincida con los datos que nos dio. "
        "Revise el nombre completo y la fecha de nacimiento del niño, o pida al "
        "consultorio médico que informe las vacunas al registro.",
    ),
    (
        "The record is already correct",
        "El registro ya está correcto",
        "We checked the record against the provider's report and it is correct as it "
        "is, so we did not change it.",
        "Comparamos el registro con el informe del proveedor y está correcto como está, "
        "así que no lo cambiamos.",
    ),
]


def upgrade() -> None:
    replies = op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=80), nullable=False),
        sa.Column("title_es", sa.String(length=80), nullable=False),
        sa.Column("text_en", sa.String(length=1000), nullable=False),
        sa.Column("text_es", sa.String(length=1000), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", portal.orm.UTCDateTime(), nullable=False),
        sa.Column("updated_at", portal.orm.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        replies,
        [
            {"title_en": te, "title_es": ts, "text_en": xe, "text_es": xs, "active": True,
             "created_at": now, "updated_at": now}
            for te, ts, xe, xs in SEED
        ],
    )  # fmt: skip
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index("ix_requests_closed_at", ["closed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_closed_at")
    op.drop_table("canned_replies")
