"""The demo mailbox: what the portal would have sent, so a demo user can follow it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from portal.access import DEMO_ONLY, allow
from portal.db import db

from .models import OutboxMessage

bp = Blueprint("mail", __name__)


@bp.get("/demo/mailbox")
@allow(DEMO_ONLY)
def mailbox() -> str:
    messages = db.session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    return render_template("mail/mailbox.html", messages=messages)
