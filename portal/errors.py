"""Error pages: a plain-language page with an error id the help desk can look up."""

from __future__ import annotations

import uuid

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


def error_id() -> str:
    if "error_id" not in g:
        g.error_id = uuid.uuid4().hex[:12]
    return g.error_id


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
    current_app.logger.exception("error %s on %s %s", error_id(), request.method, request.endpoint)
    return handle_http(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
