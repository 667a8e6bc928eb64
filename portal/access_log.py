"""Request logs without the tokens that some paths carry.

Confirmation, reset and invitation links put a one-time token in the path
(`/confirm/<token>`, `/reset/<token>`, `/records/invitation/<token>`). The
links stay as they are (they are in emails already sent); the servers' access
logs drop the token instead: gunicorn through the logger class in
`gunicorn.conf.py`, the demo's werkzeug server through RedactingRequestHandler.
The referring page (a browser sends it for the stylesheet of a reset page) and
every other field go through the same redaction. The app's own error lines name
the endpoint, never the path (portal/errors.py).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.serving import WSGIRequestHandler

REDACTED = "[redacted]"
# The token is the path segment after the prefix; /reset/sent is a page, not a token.
_TOKEN_PATH = re.compile(
    r"(/(?:confirm|reset|records/invitation)/)(?!sent(?:[/?#\s\"]|$))[^/?#\s\"]+"
)


def redact(text: str) -> str:
    """`text` with every token of a confirmation, reset or invitation path replaced."""
    return _TOKEN_PATH.sub(lambda m: m.group(1) + REDACTED, text)


def redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactingRequestHandler(WSGIRequestHandler):
    """The demo's werkzeug request handler: its log lines go through `redact`."""

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 (werkzeug's name)
        super().log(type, "%s", redact(message % args if args else message))
