"""Printed access codes: issued hashed, replaced by a newer one, single use, 30 days, the CLI."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from click.testing import CliRunner

from portal.linking import rules
from portal.linking.access_codes import issue_access_code
from portal.linking.models import AccessCode, AttemptOutcome, LinkAttempt, LinkMethod, PatientLink
from portal.orm import utcnow

CODE_SHAPE = re.compile(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}")
BORN = date(2019, 3, 14)


def _issue(db, patient, **kw):
    issued = issue_access_code(db, patient, **kw)
    db.commit()
    return issued


def _links(db, user):
    db.expire_all()
    return list(db.scalars(sa.select(PatientLink).where(PatientLink.user_id == user.id)))


def _redeem(client, code, birth_date=BORN, relationship="parent"):
    return client.post(
        "/records/add/access-code",
        data={"code": code, "birth_date": birth_date.isoformat(), "relationship": relationship},
    )


def test_an_issued_code_is_readable_and_only_its_hash_is_kept(make, db) -> None:
    patient = make.patient(birth_date=BORN)
    staff = make.user(role="agent")
    now = utcnow()
    issued = _issue(db, patient, issued_by=staff, now=now)
    assert CODE_SHAPE.fullmatch(issued.code)
    assert issued.expires_at == now + timedelta(days=30)
    row = db.scalars(sa.select(AccessCode)).one()
    assert row.code_hash == rules.hash_access_code(issued.code)
    assert issued.code not in row.code_hash
    assert row.issued_by_id == staff.id and row.patient_id == patient.id


def test_a_code_links_the_record_with_the_birth_date(client, make, login, db) -> None:
    patient = make.patient(birth_date=BORN)
    issued = _issue(db, patient)
    parent = make.user()
    login(client, parent)
    response = _redeem(client, issued.code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == "/records"
    [link] = _links(db, parent)
    assert link.patient_id == patient.id and link.method == LinkMethod.ACCESS_CODE
    row = db.scalars(sa.select(AccessCode)).one()
    assert row.used_at is not None and row.used_by_id == parent.id


def test_a_wrong_birth_date_fails_but_does_not_use_up_the_code(client, make, login, db) -> None:
    patient = make.patient(birth_date=BORN)
    issued = _issue(db, patient)
    parent = make.user()
    login(client, parent)
    response = _redeem(client, issued.code, birth_date=date(2019, 3, 15))
    assert response.status_code == 200
    assert b"The access code or the birth date is not right" in response.data
    assert _links(db, parent) == []
    attempt = db.scalars(sa.select(LinkAttempt)).one()
    assert attempt.outcome == AttemptOutcome.WRONG_BIRTH_DATE
    assert db.scalars(sa.select(AccessCode)).one().used_at is None
    _redeem(client, issued.code)
    assert len(_links(db, parent)) == 1


def test_a_code_works_once(app, make, login, db) -> None:
    issued = _issue(db, make.patient(birth_date=BORN))
    first, second = make.user(), make.user()
    first_client, second_client = app.test_client(), app.test_client()
    login(first_client, first)
    login(second_client, second)
    _redeem(first_client, issued.code)
    response = _redeem(second_client, issued.code)
    assert b"no longer works" in response.data
    assert len(_links(db, first)) == 1 and _links(db, second) == []


def test_a_code_expires_after_thirty_days(client, make, login, db) -> None:
    issued = _issue(db, make.patient(birth_date=BORN), now=utcnow() - timedelta(days=30, seconds=1))
    parent = make.user()
    login(client, parent)
    response = _redeem(client, issued.code)
    assert b"no longer works" in response.data
    assert _links(db, parent) == []


def test_a_new_code_replaces_the_old_one(client, make, login, db) -> None:
    patient = make.patient(birth_date=BORN)
    old = _issue(db, patient)
    new = _issue(db, patient)
    parent = make.user()
    login(client, parent)
    assert b"no longer works" in _redeem(client, old.code).data
    assert _links(db, parent) == []
    _redeem(client, new.code)
    assert len(_links(db, parent)) == 1


def test_a_malformed_code_is_caught_by_the_form(client, make, login, db) -> None:
    login(client, make.user())
    response = _redeem(client, "ABCD-EFGH")
    assert b"An access code has 16 letters and numbers." in response.data
    assert db.scalars(sa.select(LinkAttempt)).all() == []


def test_the_cli_prints_a_code_that_works(app, make, db, monkeypatch) -> None:
    from portal import cli

    patient = make.patient(birth_date=BORN)
    monkeypatch.setattr(cli, "app_from_environment", lambda: app)
    result = CliRunner().invoke(cli.main, ["issue-access-code", patient.registry_id])
    assert result.exit_code == 0, result.output
    code = CODE_SHAPE.search(result.output).group(0)
    assert "Expires:" in result.output
    db.expire_all()
    row = db.scalars(sa.select(AccessCode)).one()
    assert row.patient_id == patient.id
    assert row.code_hash == rules.hash_access_code(code)


def test_the_cli_refuses_an_unknown_record(app, monkeypatch, db) -> None:
    from portal import cli

    monkeypatch.setattr(cli, "app_from_environment", lambda: app)
    result = CliRunner().invoke(cli.main, ["issue-access-code", "CA-NOPE"])
    assert result.exit_code != 0
    assert "No record has that registry id" in result.output
    assert db.scalars(sa.select(AccessCode)).all() == []
