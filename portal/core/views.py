from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.db import db
from portal.i18n import SESSION_KEY

from .contact import tel_uri

bp = Blueprint("core", __name__)
bp.add_app_template_filter(tel_uri, "tel_uri")


@bp.get("/")
@allow(PUBLIC)
def home() -> str:
    return render_template("core/home.html")


@functools.cache
def _favicon() -> bytes:
    return (Path(current_app.static_folder or "") / "favicon.svg").read_bytes()


@bp.get("/favicon.ico")
@allow(PUBLIC)
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links; answer with the SVG icon.

    From memory, not send_file: browsers often drop an icon request half way, and the
    file a streamed response held open was then left for the garbage collector."""
    response = Response(_favicon(), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/healthz")
@allow(PUBLIC)
def healthz() -> tuple[dict[str, str], int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200


@bp.post("/language")
@allow(PUBLIC)
def set_language() -> object:
    from flask import current_app

    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
    return redirect(safe_next(request.form.get("next")) or url_for("core.home"))


def safe_next(target: str | None) -> str | None:
    """A local path to go back to, or None; a target naming a host or scheme is refused."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash; a control character cannot go in a header.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    return target
