"""Organizations' credentials: `portal org-credentials`, hashed, revocable, two valid at once."""

from __future__ import annotations

import base64

import sqlalchemy as sa

from portal.exchange.commands import org_credentials_command
from portal.exchange.credentials import authenticate
from portal.exchange.models import OrgCredential

from .samples import VXU_8


def _create(app, identifier: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(org_credentials_command, [identifier])
    assert result.exit_code == 0, result.output
    username, password = result.stdout.split()
    return username, password


def basic(username: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_the_command_prints_a_credential_stored_only_as_a_hash(app, db, make) -> None:
    org = make.org(identifier="CAIR-0001")
    username, password = _create(app, "CAIR-0001")
    assert username.startswith("cair-0001-") and len(password) >= 32
    row = db.scalar(sa.select(OrgCredential).where(OrgCredential.username == username))
    assert row is not None and row.organization_id == org.id
    assert password not in row.password_hash and row.password_hash.startswith("$argon2")
    assert authenticate(db, username, password).id == org.id
    assert authenticate(db, username, password + "x") is None
    assert authenticate(db, "nobody", password) is None


def test_an_unknown_organization_is_refused(app, make) -> None:
    result = app.test_cli_runner().invoke(org_credentials_command, ["NOPE"])
    assert result.exit_code != 0 and "No organization" in result.output


def test_rotation_two_valid_at_once_then_the_old_one_revoked(app, db, make, client) -> None:
    make.org(identifier="CAIR-0002")
    old, new = _create(app, "CAIR-0002"), _create(app, "CAIR-0002")
    assert old[0] != new[0]
    for credential in (old, new):
        answer = client.post("/exchange/hl7", data=VXU_8, headers=basic(*credential), csrf=False)
        assert answer.status_code == 200 and b"MSA|" in answer.data
    result = app.test_cli_runner().invoke(org_credentials_command,
                                          ["CAIR-0002", "--revoke", old[0]])  # fmt: skip
    assert result.exit_code == 0, result.output
    refused = client.post("/exchange/hl7", data=VXU_8, headers=basic(*old), csrf=False)
    assert refused.status_code == 401 and refused.data == b""
    kept = client.post("/exchange/hl7", data=VXU_8, headers=basic(*new), csrf=False)
    assert kept.status_code == 200
    again = app.test_cli_runner().invoke(org_credentials_command,
                                         ["CAIR-0002", "--revoke", old[0]])  # fmt: skip
    assert again.exit_code != 0


def test_another_organizations_username_cannot_be_revoked_through_this_one(app, make) -> None:
    make.org(identifier="CAIR-0003")
    make.org(identifier="CAIR-0004")
    username, _ = _create(app, "CAIR-0003")
    result = app.test_cli_runner().invoke(org_credentials_command,
                                          ["CAIR-0004", "--revoke", username])  # fmt: skip
    assert result.exit_code != 0
