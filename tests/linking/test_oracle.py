"""No oracle: whatever the registry holds, a stranger gets the very same answers and writes.

Four families try the automatic match: one whose details match a record, one
whose details match nobody, one who types a contact the record does not hold,
and one whose details fit two records (duplicates). Each gets the same status,
headers, cookie shape and pages, at every step, and the same rows are written
(the one sent message aside).
"""

from __future__ import annotations

import re
import time
from datetime import date
from http.cookies import SimpleCookie
from typing import Any

import pytest
import sqlalchemy as sa

from portal.models import metadata
from tests.linking.conftest import code_in, outbox, without_csrf

BORN = date(2019, 3, 14)
ON_FILE = "ana.garcia@example.org"
SCENARIOS = {
    "match": {"first_name": "jose", "last_name": "garcia lopez", "contact": ON_FILE},
    "no match": {"first_name": "josefina", "last_name": "garcia lopez", "contact": ON_FILE},
    "contact not on file": {
        "first_name": "jose",
        "last_name": "garcia lopez",
        "contact": "ana.g@example.net",
    },
    "two records": {"first_name": "luis", "last_name": "perez", "contact": "perez@example.org"},
}
FLOOR = 0.15


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {**settings, "LINK_MATCH_FLOOR_SECONDS": FLOOR}


# Compared by name only: the clock moves between the journeys.
CLOCK_HEADERS = {"Date", "Retry-After", "X-RateLimit-Reset"}


def _records(make) -> None:
    make.patient(first_name="José", last_name="García-López", birth_date=BORN, email=ON_FILE)
    for _ in range(2):
        make.patient(first_name="Luis", last_name="Pérez", birth_date=BORN,
                     email="perez@example.org")  # fmt: skip


def _row_counts(db) -> dict[str, int]:
    db.expire_all()
    return {
        table.name: db.scalar(sa.select(sa.func.count()).select_from(table))
        for table in metadata.sorted_tables
        if table.name != "outbox"
    }


def _cookie_shape(app, response) -> list[tuple]:
    """Each cookie set, but for its value: name, attributes, and what the session holds.

    The session cookie is compressed, so its length wanders by a few characters with
    the random tokens inside; what it carries (keys, and the size of each value) is
    what must not depend on the registry.
    """
    serializer = app.session_interface.get_signing_serializer(app)
    shape = []
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            attributes = tuple(sorted((k, str(v)) for k, v in morsel.items() if v))
            held = serializer.loads(morsel.value) if morsel.value else {}
            contents = sorted((key, len(str(value))) for key, value in held.items())
            shape.append((name, attributes, contents))
    return shape


def _answer(app, response) -> tuple:
    headers = sorted(
        (k, "" if k in CLOCK_HEADERS else v) for k, v in response.headers if k != "Set-Cookie"
    )
    body = without_csrf(response.data)
    return (response.status_code, headers, _cookie_shape(app, response), body)


def _journey(app, make, login, db, number: int, details: dict[str, str], wrong: str):
    """Every answer a family gets from asking for a code to running out of tries."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{number}"
    login(client, make.user(email=f"parent{number}@example.org"))
    before = _row_counts(db)
    form = {"relationship": "parent", "birth_date": BORN.isoformat(), **details}
    answers = [_answer(app, client.post("/records/add/match", data=form))]
    writes = {t: n - before[t] for t, n in _row_counts(db).items() if n != before[t]}
    answers.append(_answer(app, client.get("/records/add/code")))
    answers += [
        _answer(app, client.post("/records/add/code", data={"code": wrong})) for _ in range(5)
    ]
    answers.append(_answer(app, client.get("/records/add/code")))
    return answers, writes


def test_every_outcome_of_a_match_answers_and_writes_alike(app, make, login, db) -> None:
    _records(make)
    # A wrong code for the match that cannot be its right one; the others get the same.
    probe = app.test_client()
    login(probe, make.user())
    probe.post("/records/add/match", data={"relationship": "parent", "birth_date": "2019-03-14",
                                           **SCENARIOS["match"]})  # fmt: skip
    wrong = f"{(int(code_in(outbox(db)[-1])) + 1) % 1_000_000:06d}"

    results = {
        name: _journey(app, make, login, db, number, details, wrong)
        for number, (name, details) in enumerate(SCENARIOS.items(), start=10)
    }

    reference_answers, reference_writes = results["match"]
    assert reference_answers[0][0] == 302 and reference_answers[1][0] == 200
    assert b"Tries left: 4." in reference_answers[2][3]
    assert b"This code no longer works" in reference_answers[6][3]
    assert reference_writes == {"link_challenges": 1, "link_attempts": 1}
    for name, (answers, writes) in results.items():
        for step, (answer, reference) in enumerate(zip(answers, reference_answers, strict=True)):
            assert answer == reference, f"{name} differs from a match at step {step}"
        assert writes == reference_writes, name
    # Only the match sent a code (the probe's and the journey's), to the address on file.
    assert [m.recipient for m in outbox(db)] == [ON_FILE, ON_FILE]


def test_the_code_message_goes_to_the_contact_as_the_registry_should_hold_it(
    client, make, login, db
) -> None:
    """An address on file with stray spaces or capitals still gets a deliverable recipient."""
    make.patient(first_name="Ana", last_name="Soto", birth_date=BORN,
                 email="  Ana.Soto@Example.ORG ")  # fmt: skip
    login(client, make.user())
    client.post(
        "/records/add/match",
        data={"relationship": "parent", "first_name": "Ana", "last_name": "Soto",
              "birth_date": BORN.isoformat(), "contact": "ana.soto@example.org"},
    )  # fmt: skip
    [message] = outbox(db)
    assert message.recipient == "ana.soto@example.org"
    assert re.fullmatch(r"\d{6}", code_in(message))


def _match_form(name: str) -> dict[str, str]:
    return {"relationship": "parent", "birth_date": BORN.isoformat(), **SCENARIOS[name]}


def test_a_match_answers_no_sooner_than_the_floor_whatever_it_found(app, make, login) -> None:
    _records(make)
    for number, name in enumerate(SCENARIOS, start=20):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{number}"
        login(client, make.user())
        started = time.monotonic()
        response = client.post("/records/add/match", data=_match_form(name))
        assert response.status_code == 302
        assert time.monotonic() - started >= FLOOR, name


def test_every_write_is_made_before_the_wait(app, make, login, monkeypatch) -> None:
    """What is left for the commit after the wait is the same on both paths: nothing."""
    from portal.db import db as portal_db
    from portal.linking import web

    unwritten: list[int] = []

    class Clock:
        monotonic = staticmethod(time.monotonic)

        @staticmethod
        def sleep(_seconds: float) -> None:
            unwritten.append(len(portal_db.session.new) + len(portal_db.session.dirty))

    monkeypatch.setattr(web, "time", Clock)
    _records(make)
    for name in ("match", "no match"):
        client = app.test_client()
        login(client, make.user())
        client.post("/records/add/match", data=_match_form(name))
    assert unwritten == [0, 0]
