"""`portal send-mail`: deliver the outbox, once or in a loop (run one such worker)."""

from __future__ import annotations

import time
from collections.abc import Callable

import click
from flask import Flask

from .models import Channel
from .outbox import deliver_pending
from .senders import Sender, configured_senders


def deliver_once(app: Flask, senders: dict[Channel, Sender]) -> int:
    from portal.db import db

    with app.app_context(), db.transaction() as session:
        return deliver_pending(session, senders)


def run(
    app: Flask,
    senders: dict[Channel, Sender],
    *,
    loop: bool,
    interval: float,
    sleep: Callable[[float], None] | None = None,
) -> None:
    while True:
        sent = deliver_once(app, senders)
        if sent:
            click.echo(f"Sent {sent} message(s).")
        if not loop:
            return
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
