"""`portal send-mail`: deliver the outbox, once or in a loop (run one such worker).

`portal purge` (portal/retention_command.py) deletes sent messages after the retention
period with the other kinds; the `send-mail --loop` worker also purges the outbox hourly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import click
from flask import Flask

from .models import Channel
from .outbox import deliver_pending, purge
from .senders import Sender, configured_senders

PURGE_EVERY = timedelta(hours=1)


def deliver_once(app: Flask, senders: dict[Channel, Sender]) -> int:
    from portal.db import db

    with app.app_context(), db.transaction() as session:
        # The demo mailbox reads the bodies of "sent" texts; everywhere else they go.
        return deliver_pending(session, senders, clear_bodies=not app.config["DEMO"])


def purge_once(app: Flask) -> int:
    from portal.db import db
    from portal.orm import utcnow

    retention = timedelta(days=app.config["OUTBOX_RETENTION_DAYS"])
    with app.app_context(), db.transaction() as session:
        return purge(session, now=utcnow(), retention=retention)


def run(
    app: Flask,
    senders: dict[Channel, Sender],
    *,
    loop: bool,
    interval: float,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    purged_at: float | None = None
    while True:
        sent = deliver_once(app, senders)
        if sent:
            click.echo(f"Sent {sent} message(s).")
        if not loop:
            return
        if purged_at is None or clock() - purged_at >= PURGE_EVERY.total_seconds():
            purged_at = clock()
            purge_once(app)
        (sleep or time.sleep)(interval)


@click.command("send-mail", help="Send queued emails (and texts, where a sender exists).")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every interval.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.5))
def send_mail(loop: bool, interval: float) -> None:
    from portal.cli import command_app

    app = command_app()
    senders = configured_senders(app.config)
    if Channel.EMAIL not in senders:
        click.echo("PORTAL_SMTP_URL is not set: emails stay in the outbox.", err=True)
    if not senders:
        raise click.ClickException("There is no way to send messages here; nothing was sent.")
    try:
        run(app, senders, loop=loop, interval=interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")
