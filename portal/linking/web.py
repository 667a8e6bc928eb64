"""The linking blueprint and what its views share: client, rate-limit keys, lock-out page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_babel import format_datetime
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .attempts import Client

bp = Blueprint("linking", __name__)


def client() -> Client:
    return Client(
        user=current_user._get_current_object(),
        secret=current_app.secret_key.encode(),  # type: ignore[union-attr]
        address=request.remote_addr,
    )


def account_key() -> str:
    """Rate-limit key per account (the address until the account is known)."""
    user_id = getattr(current_user, "id", None)
    return f"account:{user_id}" if user_id is not None else get_remote_address()


def upload_dir() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def when(moment: datetime | None) -> str | None:
    """A lock-out's end, in the family's time zone and language."""
    return format_datetime(moment, "medium") if moment else None


def render_lockout(until: datetime | None = None) -> tuple[str, int]:
    """The page for too many tries: when it ends, and how to get help meanwhile."""
    return render_template("linking/locked.html", until=when(until)), 429


@bp.errorhandler(429)
def too_many(_exc: Exception) -> tuple[str, int]:
    return render_lockout()
