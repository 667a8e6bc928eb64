"""The linking blueprint and what its views share: client, rate-limit keys, lock-out page."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_babel import format_datetime
from flask_login import current_user

from portal.accounts.limits import user_key as account_key  # noqa: F401  (re-exported)
from portal.db import db
from portal.orm import utcnow

from .attempts import Client, lockout_ends, record_attempt
from .models import AttemptOutcome, LinkMethod

bp = Blueprint("linking", __name__)

# A match answers no sooner than this after the request began. Its two outcomes do the
# same work but for queueing the message (a fraction of a millisecond, yet measurable over
# many tries); waiting out the floor leaves nothing in the timing to tell them apart.
MATCH_FLOOR_SECONDS = 0.2


def client() -> Client:
    return Client(
        user=current_user._get_current_object(),
        secret=current_app.secret_key.encode(),  # type: ignore[union-attr]
        address=request.remote_addr,
    )


def upload_dir() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def when(moment: datetime | None) -> str | None:
    """A lock-out's end, in the family's time zone and language."""
    return format_datetime(moment, "medium") if moment else None


def render_lockout(until: datetime | None = None) -> tuple[str, int]:
    """The page for too many tries: when it ends, and how to get help meanwhile."""
    return render_template("linking/locked.html", until=when(until)), 429


def wait_out_the_floor(started: float) -> None:
    """Hold the answer until MATCH_FLOOR_SECONDS after `started` (a time.monotonic())."""
    floor = current_app.config.get("LINK_MATCH_FLOOR_SECONDS", MATCH_FLOOR_SECONDS)
    left = started + floor - time.monotonic()
    if left > 0:
        time.sleep(left)


def lockout_response(method: LinkMethod, *, log: bool = True) -> tuple[str, int] | None:
    """The lock-out page when the account or its address is locked out, or None.

    A try refused by the lock-out is logged too (`log=False` when the try that
    caused the lock-out was just logged as a failure).
    """
    now = utcnow()
    who = client()
    until = lockout_ends(db.session, who.user, now, who.address_hash)
    if until is None:
        return None
    if log and request.method == "POST":
        record_attempt(db.session, who, method=method, outcome=AttemptOutcome.LOCKED_OUT, now=now)
    return render_lockout(until)


# The rate limiter answers before the view runs; the endpoint tells which way was tried.
_METHODS = {
    "linking.match": LinkMethod.CONTACT_CODE,
    "linking.enter_code": LinkMethod.CONTACT_CODE,
    "linking.access_code": LinkMethod.ACCESS_CODE,
    "linking.accept_invitation": LinkMethod.INVITATION,
}


@bp.errorhandler(429)
def too_many(_exc: Exception) -> tuple[str, int]:
    method = _METHODS.get(request.endpoint or "")
    if method and request.method == "POST" and current_user.is_authenticated:
        record_attempt(
            db.session, client(), method=method, outcome=AttemptOutcome.LOCKED_OUT, now=utcnow()
        )
    return render_lockout()
