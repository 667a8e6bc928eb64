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
