"""The `portal` command."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask

from portal import create_app


@click.group(help="The immunization registry portal.")
def main() -> None:
    pass


def app_from_environment() -> Flask:
    """Commands other than `demo` run against PORTAL_DATABASE_URL, like the web app.

    Without it, in the folder where `portal demo` made its database, they act on the
    demo's database with the demo's settings (as the README's "Things to try" runs
    them); anywhere else they say what to set. A command serves no requests, so it
    counts no rate limits and needs no Redis.
    """
    if not os.environ.get("PORTAL_DATABASE_URL"):
        from portal.demo.command import demo_instance, demo_settings

        instance = Path.cwd() / "instance"
        if not demo_instance(instance):
            raise click.ClickException(
                "PORTAL_DATABASE_URL is not set. Set it to the portal's database (for example "
                "postgresql+psycopg://portal@db.internal/portal), or run the command in the "
                f"folder where `portal demo` made instance/portal.db (not found in {Path.cwd()})."
            )
        click.echo(f"Using the demo database {instance / 'portal.db'}.", err=True)
        return create_app(demo_settings(instance))
    return create_app({"SINGLE_PROCESS": True})


def command_app() -> Flask:
    """The app a command works on: the one a test runner passes in, else the environment's."""
    from flask.cli import ScriptInfo

    info = click.get_current_context().find_object(ScriptInfo)
    return info.load_app() if info is not None else app_from_environment()


@main.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Bring the schema of PORTAL_DATABASE_URL up to date.")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    import os

    from portal.config import from_environment
    from portal.migrate import upgrade

    # Only the database: the README's production steps migrate before the secrets are set.
    url = from_environment(os.environ).get("DATABASE_URL")
    if not url:
        raise click.UsageError("Set PORTAL_DATABASE_URL to the database to bring up to date.")
    upgrade(url, revision)
    click.echo("Schema is up to date.")


def register_commands() -> None:
    """Each feature adds its commands from its own module."""
    from portal.accounts.commands import create_staff
    from portal.alerts.commands import send_access_alerts_command
    from portal.audit.commands import audit_command
    from portal.demo.command import demo
    from portal.exchange.commands import import_hl7_command, org_credentials_command
    from portal.linking.commands import issue_access_code_command
    from portal.mail.commands import send_mail
    from portal.proof.commands import generate_card_key, rotate_card_key
    from portal.reminders.commands import send_reminders_command
    from portal.retention_command import purge_command
    from portal.translate import translate

    main.add_command(demo)
    main.add_command(create_staff)
    main.add_command(issue_access_code_command)
    main.add_command(send_mail)
    main.add_command(purge_command)
    main.add_command(send_reminders_command)
    main.add_command(send_access_alerts_command)
    main.add_command(generate_card_key)
    main.add_command(rotate_card_key)
    main.add_command(translate)
    main.add_command(audit_command)
    main.add_command(org_credentials_command)
    main.add_command(import_hl7_command)


register_commands()
