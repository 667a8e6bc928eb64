"""retention indexes: `portal purge` deletes by time, so each purged table gets an index on
the column it deletes by (link_attempts.at, user_sessions.created_at, and expires_at of
link_challenges, access_codes and teen_invitations, patient_links.unlinked_at for the
reminder markers of ended links)

Revision ID: e1f7a3c9d5b2
Revises: c4d8e2f1a9b3
Create Date: 2026-12-02 13:15:00
"""

from alembic import op

revision = "e1f7a3c9d5b2"
down_revision = "c4d8e2f1a9b3"
branch_labels = None
depends_on = None

_INDEXES = (
    ("link_attempts", "at"),
    ("user_sessions", "created_at"),
    ("link_challenges", "expires_at"),
    ("access_codes", "expires_at"),
    ("teen_invitations", "expires_at"),
    ("patient_links", "unlinked_at"),
)


def upgrade() -> None:
    for table, column in _INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(_INDEXES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
