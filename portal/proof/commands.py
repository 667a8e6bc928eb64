"""`portal generate-card-key`: the operator's way to make the health-card signing key."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from .cards import generate_key, thumbprint


@click.command("generate-card-key", help="Write a new ES256 signing key (private JWK) to PATH.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def generate_card_key(path: Path) -> None:
    if path.exists():
        raise click.ClickException(f"{path} exists; a signing key is never overwritten.")
    key = generate_key()
    # Created 0600 from the start: the private key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(key, f)
    click.echo(f"Wrote {path} (kid {thumbprint(key)}).")
    click.echo(f"Set PORTAL_CARD_SIGNING_KEY={path}; keep the old key's public part in")
    click.echo("PORTAL_CARD_PREVIOUS_KEYS when you rotate, so printed cards keep verifying.")


@click.command(
    "rotate-card-key",
    help="Make a new health-card signing key current; older printouts keep verifying.",
)
@click.option(
    "--if-due",
    is_flag=True,
    help="Rotate only when the signing key is older than PORTAL_CARD_KEY_ROTATION_DAYS "
    "(for a daily timer).",
)
def rotate_card_key(if_due: bool) -> None:
    from portal import cli
    from portal.db import db
    from portal.orm import utcnow

    from .current import current_keyring
    from .rotation import card_key_box, current_key_age, rotate, rotation_due, stored_keys

    app = cli.command_app()
    with app.app_context(), db.transaction() as session:
        now = utcnow()
        age = current_key_age(current_keyring(), stored_keys(session), now)
        period = int(app.config["CARD_KEY_ROTATION_DAYS"])
        if if_due and not rotation_due(age, period):
            click.echo(f"Not due: the signing key is {age.days} days old (period {period}).")
            return
        kid = rotate(session, card_key_box(app.config.get("SECRET_KEY")), now)
    click.echo(f"New signing key {kid} signs from now on, on every app server.")
    click.echo("The previous key's public part stays in /.well-known/jwks.json, so printouts")
    click.echo("signed with it keep verifying; its private part has been destroyed")
    click.echo("(a key from PORTAL_CARD_SIGNING_KEY: delete its file once no server needs it).")
