"""request views: which agent has a request open ("being viewed by" in the queue)

Revision ID: 7c3d9e2f4a10
Revises: 7c4d2e9f1a30
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa
import portal.orm


revision = '7c3d9e2f4a10'
down_revision = '7c4d2e9f1a30'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('request_views',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', portal.orm.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_views_request_id_requests')),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_request_views_staff_id_users')),
    sa.PrimaryKeyConstraint('request_id', 'staff_id', name=op.f('pk_request_views'))
    )


def downgrade() -> None:
    op.drop_table('request_views')
