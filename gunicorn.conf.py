"""gunicorn's settings for the portal (gunicorn reads ./gunicorn.conf.py by default).

The access log keeps gunicorn's usual fields but never the one-time token that
confirmation, reset and invitation links carry in their path (portal/access_log.py).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from portal.access_log import redact_value


class RedactingLogger(Logger):
    """Every field of an access-log line (request line, path, referrer, ...) is redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        found = super().atoms(resp, req, environ, request_time)
        return {key: redact_value(value) for key, value in found.items()}


logger_class = RedactingLogger
