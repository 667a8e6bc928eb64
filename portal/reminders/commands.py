"""`portal send-reminders`: run daily by cron."""

from __future__ import annotations

import click


@click.command("send-reminders", help="Queue today's due and overdue shot reminders (daily).")
def send_reminders_command() -> None:
    from portal.cli import command_app
    from portal.db import db
    from portal.i18n import local_today

    from .services import send_reminders

    app = command_app()
    with app.app_context(), db.transaction() as session:
        queued = send_reminders(session, local_today(), app.config["BABEL_DEFAULT_LOCALE"])
    click.echo(f"{queued} reminder email(s) queued.")
