"""Error pages: a plain-language page with an error id the help desk can look up.

The id on the page is the id in the log line. Log lines name the endpoint, never
the path (a reset or invitation link carries its token there), and a database
error is logged without the values it quotes from the row.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Something in the request was not right"), _l("Please go back and try again.")),
    401: (_l("Please sign in"), _l("You need to sign in to see this page.")),
    403: (_l("You cannot open this page"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("We could not find that page. Check the address.")),
    405: (_l("Something in the request was not right"), _l("Please go back and try again.")),
    413: (_l("The file is too large"), _l("Please choose a file smaller than 10 MB.")),
    429: (_l("Too many tries"), _l("Please wait a little while before you try again.")),
    500: (_l("Something went wrong on our side"), _l("Please try again in a few minutes.")),
}


class PortalFlask(Flask):
    def log_exception(self, exc_info: Any) -> None:
        """Flask calls this for an error outside the view (e.g. the commit after it), before
        the error page: Flask's own line names the path and has no error id."""
        log_error(exc_info)


def error_id() -> str:
    if "error_id" not in g:
        g.error_id = uuid.uuid4().hex[:12]
    return g.error_id


def log_error(exc_info: Any) -> None:
    current_app.logger.error(
        "error %s on %s %s", error_id(), request.method, request.endpoint, exc_info=exc_info
    )


def render_error(code: int, description: str | None = None) -> tuple[str, int]:
    title, text = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title,
            text=description or text,
            error_id=error_id(),
        ),
        code,
    )


def handle_http(exc: HTTPException) -> object:
    code = exc.code or 500
    if request.accept_mimetypes.best == "application/json":
        return {"error": code, "error_id": error_id()}, code
    # Our own descriptions are plain language; werkzeug's defaults are not shown to people.
    custom = exc.description if getattr(exc, "portal_message", False) else None
    return render_error(code, custom)


def handle_unexpected(exc: Exception) -> object:
    # The id ties the page to the log line; the log never carries form data or PHI.
    log_error(exc)
    return handle_http(InternalServerError())


# --- Database errors in the log -----------------------------------------------------


def _driver_summary(error: BaseException) -> str:
    """What a driver's error is, from its codes only: its message may quote the row
    (PostgreSQL's "DETAIL: Key (email)=(...) already exists")."""
    code = getattr(error, "sqlstate", None) or getattr(error, "sqlite_errorname", None)
    constraint = getattr(getattr(error, "diag", None), "constraint_name", None)
    parts = [f"code {code}" if code else "", f"constraint {constraint}" if constraint else ""]
    return "; ".join(p for p in parts if p) or "details withheld from the log"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and the ones that led to it, oldest first, as Python prints them."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def database_safe_traceback(error: BaseException) -> str:
    """The traceback with every database error's message replaced by its codes (and, for
    SQLAlchemy's, the statement, which holds placeholders, never values)."""
    drivers = {id(e.orig) for e in _chain(error) if isinstance(e, sa.exc.DBAPIError)}
    blocks = []
    for link in _chain(error):
        if isinstance(link, sa.exc.StatementError):
            message = f"{_driver_summary(link.orig)}\n[SQL: {link.statement}]"
        elif id(link) in drivers:
            message = _driver_summary(link)
        else:
            message = str(link)
        kind = type(link)
        stack = "".join(traceback.format_tb(link.__traceback__))
        blocks.append(
            f"Traceback (most recent call last):\n{stack}{kind.__module__}.{kind.__qualname__}: "
            f"{message}\n"
        )
    return "\nwhich led to:\n\n".join(blocks).rstrip("\n")


class DatabaseValuesFilter(logging.Filter):
    """Pre-formats the traceback of a record whose error involves the database, so that
    handlers print the scrubbed text (logging uses exc_text when it is set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and any(isinstance(e, sa.exc.DBAPIError) for e in _chain(error)):
            record.exc_text = database_safe_traceback(error)
        return True


# One filter for the "portal" logger that every app in the process shares (tests make many).
_DATABASE_VALUES = DatabaseValuesFilter()


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
    app.logger.addFilter(_DATABASE_VALUES)
