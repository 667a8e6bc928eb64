"""`portal purge`: the retention periods applied, one transaction per kind (run daily from cron)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

import click
from sqlalchemy.orm import Session

from portal import retention
from portal.linking.rules import LOCKOUT_DURATION, LOCKOUT_WINDOW

Purge = Callable[..., int]

# (kind printed, function, the setting holding its period in days)
KINDS: tuple[tuple[str, Purge, str], ...] = (
    ("sent mail", retention.purge_sent_mail, "OUTBOX_RETENTION_DAYS"),
    ("link attempts", retention.purge_link_attempts, "LINK_ATTEMPT_RETENTION_DAYS"),
    ("sessions", retention.purge_sessions, "SESSION_RETENTION_DAYS"),
    ("link codes", retention.purge_link_challenges, "CODE_RETENTION_DAYS"),
    ("access codes", retention.purge_access_codes, "CODE_RETENTION_DAYS"),
    ("teen invitations", retention.purge_teen_invitations, "CODE_RETENTION_DAYS"),
    ("reminder markers", retention.purge_reminder_markers, "REMINDER_MARKER_RETENTION_DAYS"),
)


def period(config: Mapping[str, Any], setting: str) -> timedelta:
    """The setting's days, never shorter than what the rules still read."""
    days = timedelta(days=config[setting])
    if setting == "SESSION_RETENTION_DAYS":  # a live session is never purged
        return max(days, timedelta(hours=config["SESSION_LIFETIME_HOURS"]))
    if setting == "LINK_ATTEMPT_RETENTION_DAYS":  # the lock-out reads this far back
        return max(days, LOCKOUT_WINDOW + LOCKOUT_DURATION)
    return days


def run(
    transaction: Callable[[], AbstractContextManager[Session]],
    config: Mapping[str, Any],
    *,
    now: datetime,
    dry_run: bool,
) -> list[tuple[str, int]]:
    done = []
    for kind, purge, setting in KINDS:
        with transaction() as session:
            count = purge(session, now=now, period=period(config, setting), count_only=dry_run)
        done.append((kind, count))
    return done


@click.command(
    "purge", help="Delete rows kept past their retention period (sent mail, link attempts, "
    "sessions, ended codes). Run it daily from cron."
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count what would go; delete nothing.")
def purge_command(dry_run: bool) -> None:
    from portal.cli import command_app
    from portal.db import db
    from portal.orm import utcnow

    app = command_app()
    with app.app_context():
        done = run(db.transaction, app.config, now=utcnow(), dry_run=dry_run)
    verb = "would be purged" if dry_run else "purged"
    for kind, count in done:
        click.echo(f"{kind}: {count} {verb}")
