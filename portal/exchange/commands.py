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


@click.command("import-hl7",
               help="Load files of HL7 v2 messages (VXU^V04, one message per MSH) as the "
                    "organization --org, one transaction per message, then print a summary. "
                    "Resumable: a second run skips the messages a first one stored.")  # fmt: skip
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True))  # fmt: skip
@click.option("--org", "identifier", required=True, metavar="IDENTIFIER",
              help="The sending organization's identifier.")  # fmt: skip
def import_hl7_command(files: tuple[str, ...], identifier: str) -> None:
    from pathlib import Path

    from portal import cli
    from portal.db import db
    from portal.orm import utcnow
    from portal.registry import Organization

    from .batch import FileChanged, Summary, import_file, split_messages

    app = cli.command_app()
    summary = Summary()
    with app.app_context():
        with db.transaction() as session:
            organization = session.scalar(
                sa.select(Organization).where(Organization.identifier == identifier)
            )
            if organization is None:
                raise click.ClickException("No organization has that identifier.")
            org_id = organization.id
        for name in files:
            path = Path(name).resolve()
            messages = split_messages(path.read_bytes())
            steps = import_file(db.transaction, org_id, str(path), messages, summary, now=utcnow)
            with click.progressbar(length=len(messages), label=path.name, file=None) as bar:
                try:
                    for step in steps:
                        bar.update(step)
                except FileChanged:
                    raise click.ClickException(
                        f"{path.name} changed since an earlier import of it stopped; "
                        "its messages are not those recorded as done."
                    ) from None
    for line in summary.lines():
        click.echo(line)
