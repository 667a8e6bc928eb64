"""`portal audit verify`: walk the hash chain, exit 1 naming the first entry changed or removed."""

from __future__ import annotations

import click


@click.group("audit", help="The staff audit trail.")
def audit_command() -> None:
    pass


@audit_command.command("verify", help="Check that no audit entry was changed or removed.")
def verify_command() -> None:
    from portal.cli import command_app
    from portal.db import db

    from .service import verify

    with command_app().app_context():
        report = verify(db.session)
        db.session.rollback()
    if not report.intact:
        click.echo(f"audit: {report.problem} (after {report.entries} intact entries)", err=True)
        raise SystemExit(1)
    click.echo(f"audit: {report.entries} entries, chain intact")
