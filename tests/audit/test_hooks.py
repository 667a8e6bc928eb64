"""Today's staff actions each write one audit entry, in the transaction of the action."""

from __future__ import annotations

import re

from portal.accounts.commands import create_staff
from portal.accounts.models import Role
from portal.audit import AuditAction
from portal.linking.access_codes import issue_access_code
from portal.linking.commands import issue_access_code_command
from tests.linking.test_manual import _submitted_document

from .conftest import entries, verify


def _actions(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(e.action, e.actor_id, e.patient_id) for e in entries(db)]


def test_a_staff_member_opening_a_record(app, make, login, db) -> None:
    agent, patient = make.user(role=Role.AGENT), make.patient()
    client = app.test_client()
    login(client, agent)
    assert client.get(f"/staff/patients/{patient.id}").status_code == 200
    assert client.get("/staff/patients/987654").status_code == 404
    assert _actions(db) == [(AuditAction.RECORD_VIEWED, agent.id, patient.id)]


def test_a_staff_member_opening_a_verification_document(app, client, make, login, db) -> None:
    document = _submitted_document(client, make, login, db)
    staff = make.user(role=Role.SUPERVISOR)
    staff_client = app.test_client()
    login(staff_client, staff)
    staff_client.get(f"/help-desk/documents/{document.id}").close()
    (entry,) = entries(db)
    assert (entry.action, entry.actor_id, entry.request_id) == (
        AuditAction.DOCUMENT_VIEWED, staff.id, document.request_id,
    )  # fmt: skip
    assert (entry.subject_type, entry.subject_id) == ("request_documents", document.id)


def test_an_access_code_issued_by_staff_keeps_the_code_out(db, make) -> None:
    agent, patient = make.user(role=Role.AGENT), make.patient()
    issued = issue_access_code(db, patient, agent)
    db.commit()
    (entry,) = entries(db)
    assert (entry.action, entry.actor_id, entry.patient_id) == (
        AuditAction.ACCESS_CODE_ISSUED, agent.id, patient.id,
    )  # fmt: skip
    assert issued.code not in repr((entry.before, entry.after))


def test_the_command_line_issues_codes_and_creates_staff_as_nobody(app, db, make, monkeypatch):
    patient = make.patient()
    db.commit()
    from portal import cli

    monkeypatch.setattr(cli, "app_from_environment", lambda: app)
    runner = app.test_cli_runner()
    code = runner.invoke(issue_access_code_command, [patient.registry_id])
    assert code.exit_code == 0, code.output
    staff = runner.invoke(create_staff, ["new@example.org", "--role", "agent"])
    assert staff.exit_code == 0, staff.output
    password = re.search(r"once\): (\S+)", staff.output).group(1)
    rows = entries(db)
    assert [(e.action, e.actor_id) for e in rows] == [
        (AuditAction.ACCESS_CODE_ISSUED, None),
        (AuditAction.STAFF_CREATED, None),
    ]
    assert rows[1].after == {"email": "new@example.org", "role": "agent", "organization": None}
    assert password not in repr(rows[1].after)
    assert verify(app).output.strip() == "audit: 2 entries, chain intact"
