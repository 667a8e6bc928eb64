"""`portal demo`: a working portal on SQLite with synthetic data, in one command."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from portal import create_app
from portal.access_log import RedactingRequestHandler
from portal.db import db, engine_for
from portal.migrate import upgrade
from portal.orm import utcnow
from portal.registry import Immunization, Organization, Patient
from portal.requests import workdays
from portal.requests.models import OPEN_STATUSES, Request

from . import organizations as orgs
from .dataset import build_dataset
from .exchange import send_queries, send_through_exchange
from .featured import DIEGO
from .loader import LoadResult, load_demo
from .requests import seed_requests

SECRET_FILE = "demo-secret-key"  # noqa: S105 (a file name) - also the mark of a demo's instance folder


def demo_instance(instance: Path) -> bool:
    """Whether `portal demo` made this instance folder: its database and its secret key."""
    return (instance / "portal.db").is_file() and (instance / SECRET_FILE).is_file()


def demo_settings(instance: Path) -> dict[str, object]:
    instance.mkdir(parents=True, exist_ok=True)
    secret_file = instance / SECRET_FILE
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
        # A pooled connection would keep writing to the deleted file (tests run twice in one
        # process).
        engine_for(f"sqlite:///{instance / 'portal.db'}").dispose()
        for name in ("portal.db", "portal.db-wal", "portal.db-shm"):
            (instance / name).unlink(missing_ok=True)
    settings = demo_settings(instance)
    settings["ISSUER_URL"] = f"http://127.0.0.1:{port}"
    upgrade(str(settings["DATABASE_URL"]))
    app = create_app(settings)
    today = date.today()
    dataset = build_dataset(today)
    with app.app_context():
        sent = send_through_exchange(app, dataset, _exchange_credentials)
        with db.transaction() as session:
            result = load_demo(
                session,
                dataset,
                link_age=app.config["GUARDIAN_LINK_AGE"],
                secret_key=app.config["SECRET_KEY"],
                exchanged=frozenset(sent.created),
            )
            seed_requests(session, now=utcnow())
            credentials = _exchange_credentials(
                session, app.config["SECRET_KEY"], EXCHANGE_DEMO_ORGANIZATIONS
            )
        if sent.created:  # the story's queries, once every record is there
            sent.qbp = send_queries(app, dataset, sent.credentials)
        totals = _totals(db.session)
        code_example = _access_code_example(db.session, today)
        work = _open_work(db.session)
    click.echo(f"Demo database: {instance / 'portal.db'}")
    click.echo(
        f"{totals} (this run added {result.added['patients'] + len(sent.created)} "
        f"patients; {sent.vxu} VXU and {sent.qbp} QBP messages through the exchange)."
    )
    _print_logins(result, port)
    _print_roles(work, port)
    _print_credentials(credentials, port)
    if code_example is not None:
        click.echo(
            f"To try a printed access code: in this folder run `portal issue-access-code "
            f"{code_example.registry_id}` ({code_example.first_name} {code_example.last_name}, "
            f'born {code_example.birth_date.isoformat()}), then "Add a record" with the code.'
        )
    if not no_serve:
        click.echo(f"Serving on http://127.0.0.1:{port}/  (Ctrl+C stops)")
        # Its request log drops the tokens of confirmation, reset and invitation links.
        app.run(host="127.0.0.1", port=port, debug=False, use_reloader=False,
                request_handler=RedactingRequestHandler)  # fmt: skip


# A clinic, a pharmacy and a school, each with a credential of its own for the exchange.
EXCHANGE_DEMO_ORGANIZATIONS = (
    orgs.SUNRISE_PEDIATRICS, orgs.BLOSSOM_TRAIL_PHARMACY, orgs.ELEMENTARY_SCHOOL,
)  # fmt: skip


def _exchange_credentials(
    session: sa.orm.Session, secret: str, identifiers: tuple[str, ...]
) -> list[tuple[str, str, str]]:
    """One credential each, its password derived from the demo's secret: a rerun finds it
    and prints the same (a --reset, with a new secret, new ones)."""
    import hashlib
    import hmac

    from portal.exchange.credentials import authenticate, create_credential, new_username
    from portal.exchange.models import OrgCredential

    out = []
    for identifier in identifiers:
        org = session.scalar(sa.select(Organization).where(Organization.identifier == identifier))
        if org is None:
            continue
        digest = hmac.new(secret.encode(), f"exchange:{identifier}".encode(), hashlib.sha256)
        password = digest.hexdigest()[:32]
        username = new_username(identifier, "demo")
        if authenticate(session, username, password) is None:
            if session.scalar(
                sa.select(OrgCredential.id).where(OrgCredential.username == username)
            ):
                continue  # revoked on purpose: not printed, not made again
            create_credential(session, org, now=utcnow(), token="demo", password=password)  # noqa: S106
        out.append((org.name, username, password))
    return out


def _print_credentials(credentials: list[tuple[str, str, str]], port: int) -> None:
    click.echo(f"HL7 exchange (POST http://127.0.0.1:{port}/exchange/hl7, HTTP Basic; "
               "organization, USERNAME PASSWORD):")  # fmt: skip
    for name, username, password in credentials:
        click.echo(f"  {name}: {username} {password}")


def _totals(session: sa.orm.Session) -> str:
    def count(model: type) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    return (
        f"Registry: {count(Organization)} organizations, {count(Patient)} patients, "
        f"{count(Immunization)} doses"
    )


def _access_code_example(session: sa.orm.Session, today: date) -> sa.Row[Any] | None:
    """A child nobody has linked, other than the one the contact-code hint names."""
    from portal.linking.models import PatientLink

    linked = sa.select(PatientLink.patient_id)
    eighteen_years_ago = today.replace(year=today.year - 18, day=min(today.day, 28))
    return session.execute(
        sa.select(Patient.registry_id, Patient.first_name, Patient.last_name, Patient.birth_date)
        .where(Patient.id.not_in(linked), Patient.registry_id != DIEGO)
        .where(Patient.birth_date > eighteen_years_ago)
        .order_by(Patient.registry_id)
        .limit(1)
    ).first()


def _print_logins(result: LoadResult, port: int) -> None:
    click.echo("Demo sign-ins (role, email, password; staff also their authenticator secret):")
    for login in result.logins:
        click.echo(login.line())
    hint = result.hint
    click.echo(
        f"To try linking a child: {hint.first_name} {hint.last_name}, "
        f"born {hint.birth_date.isoformat()}, email on file {hint.email}."
    )
    click.echo(
        f"The one-time code arrives in the demo mailbox: http://127.0.0.1:{port}/demo/mailbox"
    )


def _open_work(session: sa.orm.Session) -> tuple[int, int, int]:
    """Open requests, how many are overdue, how many nobody has claimed."""
    now = utcnow()
    rows = session.execute(
        sa.select(Request.kind, Request.created_at, Request.assignee_id).where(
            Request.status.in_(OPEN_STATUSES)
        )
    ).all()
    overdue = sum(workdays.is_overdue(kind, at, now) for kind, at, _ in rows)
    return len(rows), overdue, sum(assignee is None for *_, assignee in rows)


def _print_roles(work: tuple[int, int, int], port: int) -> None:
    open_, overdue, waiting = work
    base = f"http://127.0.0.1:{port}"
    click.echo("What each sign-in can do:")
    click.echo(
        "  parent: four children in My records (one locked, one overdue, one due soon); "
        "the record, its printout."
    )
    click.echo("  patient: her own record as an adult.")
    click.echo(
        f"  agent: the request queue at {base}/staff/queue ({open_} open, {overdue} overdue, "
        f"{waiting} not claimed): filter, claim, take the next; find a patient at "
        f"{base}/staff/search."
    )
    click.echo(
        "  supervisor: everything the agent can, and act on a request another agent holds; "
        f"the figures at {base}/staff/overview, the ready answers at {base}/staff/replies, "
        f"staff accounts at {base}/staff/accounts, the audit trail at {base}/staff/audit."
    )
    click.echo(f"  school_verifier: check a printout at {base}/verify.")
