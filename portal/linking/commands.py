"""`portal issue-access-code REGISTRY_ID`: a printed access code for a record."""

from __future__ import annotations

import click
import sqlalchemy as sa


@click.command("issue-access-code", help="Issue a printed access code for a record.")
@click.argument("registry_id")
def issue_access_code_command(registry_id: str) -> None:
    from portal import cli
    from portal.db import db
    from portal.registry import Patient

    from .access_codes import issue_access_code

    app = cli.app_from_environment()
    with app.app_context(), db.transaction() as session:
        patient = session.scalar(sa.select(Patient).where(Patient.registry_id == registry_id))
        if patient is None:
            raise click.ClickException("No record has that registry id.")
        issued = issue_access_code(session, patient)
    click.echo(f"Access code: {issued.code}")
    click.echo(f"Expires: {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    click.echo("Any earlier code for this record no longer works.")
