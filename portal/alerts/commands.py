"""`portal send-access-alerts`: run daily by cron."""

from __future__ import annotations

import click


@click.command(
    "send-access-alerts",
    help="Email the families who asked when an organization opened a record (daily).",
)
def send_access_alerts_command() -> None:
    from portal.cli import command_app
    from portal.db import db
    from portal.i18n import local_today
    from portal.orm import utcnow

    from .services import send_access_alerts

    app = command_app()
    with app.app_context(), db.transaction() as session:
        queued = send_access_alerts(session, utcnow(), local_today(),
                                    app.config["BABEL_DEFAULT_LOCALE"])  # fmt: skip
    click.echo(f"{queued} access alert email(s) queued.")
