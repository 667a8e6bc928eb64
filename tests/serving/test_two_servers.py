"""Two app servers (two gunicorn masters) on one PostgreSQL and one Redis: nothing that one
needs lives in the other's memory.

- limits count in Redis: failed sign-ins alternated between the servers reach the limit at
  the same total as on one;
- sessions are rows in the database (the cookie, signed with the shared secret key, holds
  only the session's token): a session made on A is valid on B, and a sign-out on B ends it
  on A;
- the outbox, the reminders and the access alerts are claimed FOR UPDATE SKIP LOCKED: two
  `portal send-mail` (two `send-reminders`, two `send-access-alerts`) started at once send
  each message exactly once;
- the CRL a server keeps in memory is keyed by its ETag, read from the database on every
  request: a card revoked (here by a third process) shows revoked on both at once.
"""

from __future__ import annotations

import os
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.mail.models import OutboxMessage
from portal.mail.outbox import queue_email
from portal.orm import utcnow
from portal.proof.crl import revoke_cards_before
from portal.proof.models import IssuedCard
from portal.reminders.models import ReminderSent
from portal.reminders.services import set_opt_in
from tests.factories import PASSWORD

from .conftest import REDIS_URL, ROOT, Client, in_one_limit_window, unavailable

PORTAL = [sys.executable, "-c", "from portal.cli import main; main()"]


@pytest.fixture(autouse=True, scope="module")
def _postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("two servers share one PostgreSQL (SKIP LOCKED); SQLite is one process's")


@pytest.fixture(scope="module")
def two(gunicorn, database_url, card_key, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Servers A and B, started once for the module (each start costs seconds on CI)."""
    import redis

    from .conftest import Server, _wait_until_up, free_port

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        unavailable(f"no Redis at {REDIS_URL}")
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_DATABASE_URL=database_url,
        PORTAL_REDIS_URL=REDIS_URL,
        PORTAL_SECRET_KEY="serving-test-secret-key-0123456789-abcdef",  # shared by A and B
        PORTAL_CARD_SIGNING_KEY=card_key,  # so is the signing key
        PORTAL_ISSUER_URL="https://myshots.example.gov",
    )
    app = f"portal:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"
    logs = tmp_path_factory.mktemp("two-servers")
    servers = []
    for name in "ab":
        port = free_port()
        access, errors = logs / f"access-{name}.log", logs / f"error-{name}.log"
        process = subprocess.Popen(
            [*gunicorn, "-b", f"127.0.0.1:{port}", "-w", "1", "--access-logfile", str(access),
             "--error-logfile", str(errors), app],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        servers.append(Server(process, port, access, errors))
    try:
        for server in servers:
            _wait_until_up(server)
        a, b = servers
        assert a.process.pid != b.process.pid and a.port != b.port  # two masters, two ports
        yield a, b
    finally:
        for server in servers:
            server.stop()
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()


def test_failed_sign_ins_alternated_between_two_servers_share_one_limit(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    clients = [Client(a.port), Client(b.port)]
    tokens = [c.csrf_token("/login") for c in clients]
    in_one_limit_window(8)
    answers = []
    for i in range(7):  # the per-email limit is 5 a minute
        form = {"csrf_token": tokens[i % 2], "email": "same@example.org", "password": "x" * 10}
        answers.append(clients[i % 2].post("/login", form).status)
    assert answers == [200] * 5 + [429] * 2  # the 6th, on B, counts A's three


def test_a_session_made_on_one_server_is_valid_and_ended_on_the_other(two, db, make) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    user = make.user(email="parent@example.org")
    db.commit()
    on_a = Client(a.port)
    form = {"csrf_token": on_a.csrf_token("/login"), "email": user.email, "password": PASSWORD}
    assert on_a.post("/login", form).status == 302
    on_b = Client(b.port, cookies=on_a.cookies)  # one browser, the load balancer's choice
    page = on_b.get("/records")
    assert page.status == 200, page.status
    assert "/login" not in page.headers.get("Location", "")

    assert on_b.post("/logout", {"csrf_token": on_b.csrf_token("/records")}).status == 302
    old_cookie = dict(on_a.cookies)
    on_b.cookies.clear()
    # The cookie from before the sign-out, replayed on A: its session row has ended.
    replay = Client(a.port, cookies=old_cookie).get("/records")
    assert replay.status == 302 and "/login" in replay.headers["Location"]


class _Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.subjects: list[str] = []
        self.lock = threading.Lock()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: each message's Subject is recorded, once per DATA."""

    server: _Sink

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(part.decode("utf-8", "replace"))
                subject = next((d[9:].strip() for d in data if d.startswith("Subject: ")), "")
                with self.server.lock:
                    self.server.subjects.append(subject)
                self.wfile.write(b"250 kept\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def sink() -> Iterator[_Sink]:
    server = _Sink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _at_once(env: dict[str, str], *args: str) -> list[subprocess.CompletedProcess[str]]:
    processes = [
        subprocess.Popen(
            [*PORTAL, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    done = []
    for p in processes:
        out, err = p.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def _sent_counts(results: list[subprocess.CompletedProcess[str]]) -> list[int]:
    import re

    counts = []
    for r in results:
        assert r.returncode == 0, r.stderr[-2000:]
        found = re.search(r"Sent (\d+) message", r.stdout)
        counts.append(int(found.group(1)) if found else 0)
    return counts


def test_two_send_mail_workers_send_each_message_once(production_env, db, sink) -> None:  # type: ignore[no-untyped-def]
    n = 120  # more than one pass takes (100): both workers have work to do
    for i in range(n):
        queue_email(db, to=f"p{i}@example.org", subject=f"message {i}", body="hello")
    db.commit()
    env = {**production_env, "PORTAL_REDIS_URL": REDIS_URL, "PORTAL_SMTP_ALLOW_PLAIN": "true",
           "PORTAL_SMTP_URL": f"smtp://127.0.0.1:{sink.server_address[1]}"}  # fmt: skip
    counts = _sent_counts(_at_once(env, "send-mail"))
    assert sorted(sink.subjects) == sorted(f"message {i}" for i in range(n))  # each once
    assert sum(counts) == n
    db.expire_all()
    left = db.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None)))
    assert left == 0


def test_two_reminder_runs_at_once_queue_each_reminder_once(production_env, db, make) -> None:  # type: ignore[no-untyped-def]
    born = utcnow().date() - timedelta(days=200)  # the 2- and 4-month shots are overdue
    links = []
    for i in range(30):
        child = make.patient(birth_date=born)
        make.dose(child, cvx_code="08", given_on=born)
        links.append(make.link(make.user(email=f"r{i}@example.org"), child))
    for link in links:
        set_opt_in(db, link.id, True)
    db.commit()
    env = {**production_env, "PORTAL_REDIS_URL": REDIS_URL}
    results = _at_once(env, "send-reminders")
    queued = []
    for r in results:
        assert r.returncode == 0, r.stderr[-2000:]  # neither fails on the unique marker
        queued.append(int(r.stdout.split()[0]))
    assert sum(queued) == len(links)
    db.expire_all()
    recipients = db.scalars(sa.select(OutboxMessage.recipient)).all()
    assert sorted(recipients) == sorted(f"r{i}@example.org" for i in range(30))
    assert db.scalar(sa.select(sa.func.count(sa.distinct(ReminderSent.link_id)))) == 30


def test_two_access_alert_runs_at_once_email_each_account_once(production_env, db, make) -> None:  # type: ignore[no-untyped-def]
    from portal.alerts.services import set_opt_in as alerts_on
    from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome

    now = utcnow()
    owner, other = make.org(), make.org()
    for i in range(30):
        child = make.patient(owner=owner)
        link = make.link(make.user(email=f"a{i}@example.org"), child)
        alerts_on(db, link.id, True, now - timedelta(days=1))
        db.add(AccessEvent(patient=child, organization=other, occurred_at=now - timedelta(hours=1),
                           action=AccessAction.QUERY, outcome=AccessOutcome.ALLOWED,
                           channel=AccessChannel.HL7))  # fmt: skip
    db.commit()
    env = {**production_env, "PORTAL_REDIS_URL": REDIS_URL}
    queued = []
    for r in _at_once(env, "send-access-alerts"):
        assert r.returncode == 0, r.stderr[-2000:]
        queued.append(int(r.stdout.split()[0]))
    assert sum(queued) == 30
    db.expire_all()
    recipients = db.scalars(sa.select(OutboxMessage.recipient)).all()
    assert sorted(recipients) == sorted(f"a{i}@example.org" for i in range(30))


def test_a_revoked_card_shows_revoked_on_both_servers_at_once(two, db, make) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    patient = make.patient()
    kid = "k" * 43
    card = IssuedCard(patient_id=patient.id, kid=kid, rid="r1", nbf=1, short_code_hash="h1",
                      jws="x")  # fmt: skip
    db.add(card)
    db.commit()
    crl = f"/.well-known/crl/{kid}.json"
    assert Client(a.port).get(crl).status == 404  # nothing revoked under the key yet

    revoke_cards_before(db, patient, utcnow(), point=100)  # a third process: the test's
    db.commit()
    first = [Client(s.port).get(crl) for s in (a, b)]
    assert [f.status for f in first] == [200, 200]
    assert first[0].body == first[1].body and '"r1.100"' in first[0].body  # both now cached

    card2 = IssuedCard(patient_id=patient.id, kid=kid, rid="r2", nbf=150, short_code_hash="h2",
                       jws="x")  # fmt: skip
    db.add(card2)
    db.commit()
    revoke_cards_before(db, patient, utcnow(), point=200)  # only A's memory saw version 1
    db.commit()
    second = [Client(s.port).get(crl) for s in (b, a)]
    assert [s.status for s in second] == [200, 200]
    for answer in second:
        assert '"r2.200"' in answer.body and '"ctr":2' in answer.body, answer.body
    assert second[0].headers["ETag"] != first[0].headers["ETag"]


def test_the_two_servers_are_two_processes(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    assert Path(f"/proc/{a.process.pid}").exists() and Path(f"/proc/{b.process.pid}").exists()
    for server in two:
        assert Client(server.port).get("/healthz").status == 200
    time.sleep(0.3)
    assert a.access_log.read_text() and b.access_log.read_text()
