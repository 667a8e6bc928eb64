"""The `portal` command."""

from __future__ import annotations

import click
from flask import Flask

from portal import create_app


@click.group(help="The immunization registry portal.")
def main() -> None:
    pass


def app_from_environment() -> Flask:
    """Commands other than `demo` run against PORTAL_DATABASE_URL, like the web app."""
    return create_app()


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
    from portal.migrate import upgrade

    app = app_from_environment()
    upgrade(app.config["DATABASE_URL"], revision)
    click.echo("Schema is up to date.")


def register_commands() -> None:
    """Each feature adds its commands from its own module."""
    from portal.accounts.commands import create_staff
    from portal.demo.command import demo
    from portal.linking.commands import issue_access_code_command
    from portal.mail.commands import send_mail
    from portal.proof.commands import generate_card_key, rotate_card_key
    from portal.translate import translate

    main.add_command(demo)
    main.add_command(create_staff)
    main.add_command(issue_access_code_command)
    main.add_command(send_mail)
    main.add_command(generate_card_key)
    main.add_command(rotate_card_key)
    main.add_command(translate)


register_commands()
