"""`portal org-credentials ORG_IDENTIFIER [--revoke USERNAME]`."""

from __future__ import annotations

import click
import sqlalchemy as sa


@click.command("org-credentials",
               help="Create a credential for an organization's system and print it as "
                    "USERNAME PASSWORD (shown once), or revoke one with --revoke.")  # fmt: skip
@click.argument("identifier")
@click.option("--revoke", "revoke", metavar="USERNAME", help="Revoke this credential instead.")
def org_credentials_command(identifier: str, revoke: str | None) -> None:
    from portal import cli
    from portal.db import db
    from portal.orm import utcnow
    from portal.registry import Organization

    from .credentials import create_credential, revoke_credential

    app = cli.command_app()
    with app.app_context(), db.transaction() as session:
        organization = session.scalar(
            sa.select(Organization).where(Organization.identifier == identifier)
        )
        if organization is None:
            raise click.ClickException("No organization has that identifier.")
        if revoke is not None:
            if not revoke_credential(session, organization, revoke, now=utcnow()):
                raise click.ClickException(
                    "That organization has no valid credential of that name."
                )
            click.echo(f"Revoked {revoke}.", err=True)
            return
        issued = create_credential(session, organization, now=utcnow())
    click.echo(f"{issued.username} {issued.password}")
