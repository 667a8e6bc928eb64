"""`portal demo`: a working portal on SQLite with synthetic data, in one command."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from portal import create_app
from portal.migrate import upgrade


def demo_settings(instance: Path) -> dict[str, object]:
    instance.mkdir(parents=True, exist_ok=True)
    secret_file = instance / "demo-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
    return {
        "DEMO": True,
        "DATABASE_URL": f"sqlite:///{instance / 'portal.db'}",
        "SECRET_KEY": secret_file.read_text().strip(),
        "ISSUER_URL": "http://127.0.0.1:5000",
    }


@click.command(help="Create (or reuse) instance/portal.db with synthetic data and serve it.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Start again from an empty database.")
@click.option("--no-serve", is_flag=True, help="Set up and print the logins, then stop.")
def demo(port: int, reset: bool, no_serve: bool) -> None:
    instance = Path.cwd() / "instance"
    if reset:
        for name in ("portal.db", "portal.db-wal", "portal.db-shm"):
            (instance / name).unlink(missing_ok=True)
    settings = demo_settings(instance)
    settings["ISSUER_URL"] = f"http://127.0.0.1:{port}"
    upgrade(str(settings["DATABASE_URL"]))
    app = create_app(settings)
    click.echo(f"Demo database: {instance / 'portal.db'}")
    if not no_serve:
        click.echo(f"Serving on http://127.0.0.1:{port}/  (Ctrl+C stops)")
        app.run(host="127.0.0.1", port=port, debug=False, use_reloader=False)
