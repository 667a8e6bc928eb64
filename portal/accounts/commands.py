"""`portal create-staff`."""

from __future__ import annotations

import click


@click.command("create-staff", help="Create a help-desk agent or supervisor account.")
@click.argument("email")
def create_staff(email: str) -> None:
    raise click.ClickException("not built yet")
