"""`portal import-hl7`: a file of 50 messages, some bad, counted; interrupted and resumed,
every message stored once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.exchange import batch
from portal.exchange.commands import import_hl7_command
from portal.exchange.models import ImportProgress
from portal.registry import Immunization, Patient

from .samples import VXU_8

BIRTH = date(2019, 1, 1)


def message(i: int, kind: str = "good") -> str:
    lines = VXU_8.rstrip("\r").split("\r")
    born = (BIRTH + timedelta(days=7 * i)).strftime("%Y%m%d")
    lines[0] = lines[0].replace("MSG-0001", f"MSG-{i:04}")
    lines[1] = lines[1].replace("MRN-77", f"MRN-{i}").replace("|20200115|", f"|{born}|")
    lines[4] = lines[4].replace("DOSE-1", f"DOSE-{i}")
    if kind == "unreadable":  # an HL7 version this registry does not read: AR
        lines[0] = lines[0].replace("|2.5.1|", "|2.3|")
    elif kind == "error":  # a vaccine code CDC's CVX table does not have: AE, not stored
        lines[5] = lines[5].replace("|08^Hep B, adolescent or pediatric^CVX|", "|9999^X^CVX|")
    elif kind == "warning":  # NK1-1 (required) missing: a warning, the message stored
        lines[3] = lines[3].replace("NK1|1|", "NK1||")
    return "\r".join(lines) + "\r"


KINDS = {3: "unreadable", 7: "error", 5: "warning"}


def write_file(path, n: int = 50):  # type: ignore[no-untyped-def]
    text = "\r\n".join(message(i, KINDS.get(i % 10, "good")).rstrip("\r").replace("\r", "\n")
                       for i in range(n))  # fmt: skip
    path.write_bytes(text.encode() + b"\r\n")
    return path


def run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(import_hl7_command, list(args))


def test_split_accepts_cr_lf_and_crlf_and_skips_batch_envelopes() -> None:
    one, two = message(1), message(2)
    data = ("FHS|^~\\&\r\nBHS|^~\\&\n" + one.replace("\r", "\n") + "\n" + two
            + "BTS|2\rFTS|1\r\n").encode()  # fmt: skip
    assert batch.split_messages(data) == [one.encode(), two.encode()]


def test_a_file_of_fifty_is_counted(app, db, make, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make.org(identifier="SUNRISE")
    db.commit()
    result = run(app, "--org", "SUNRISE", str(write_file(tmp_path / "doses.hl7")))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "accepted: 35" in lines and "accepted with warnings: 5" in lines
    assert "rejected: 10" in lines
    # by error code (HL7 table 0357, then CDC table 0533 where the ERR has one)
    assert "  203 Unsupported version id: 5" in lines
    assert "  103 Table value not found / 5: 5" in lines
    assert "  101 Required field missing: 5" in lines
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Patient)) == 40


def test_an_unknown_organization_is_refused(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run(app, "--org", "NOPE", str(write_file(tmp_path / "d.hl7", 2)))
    assert result.exit_code != 0 and "No organization has that identifier" in result.output


def test_interrupted_then_resumed_stores_every_message_once(
    app, db, make, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    make.org(identifier="SUNRISE")
    db.commit()
    path = write_file(tmp_path / "doses.hl7")
    real = batch.submit_module.submit
    calls = {"n": 0}

    def failing(*args, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 20:
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(batch.submit_module, "submit", failing)
    first = run(app, "--org", "SUNRISE", str(path))
    assert first.exit_code != 0
    db.expire_all()
    [progress] = db.scalars(sa.select(ImportProgress))
    assert progress.done == 20
    stored_first = db.scalar(sa.select(sa.func.count()).select_from(Patient))
    monkeypatch.setattr(batch.submit_module, "submit", real)
    second = run(app, "--org", "SUNRISE", str(path))
    assert second.exit_code == 0, second.output
    assert "skipped (done before): 20" in second.output.splitlines()
    db.expire_all()
    assert 0 < stored_first < 40
    assert db.scalar(sa.select(sa.func.count()).select_from(Patient)) == 40
    assert db.scalar(sa.select(sa.func.count()).select_from(Immunization)) == 40
    third = run(app, "--org", "SUNRISE", str(path))
    assert "skipped (done before): 50" in third.output.splitlines()
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Immunization)) == 40


def test_a_changed_file_is_not_resumed_blindly(app, db, make, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make.org(identifier="SUNRISE")
    db.commit()
    path = write_file(tmp_path / "doses.hl7", 5)
    assert run(app, "--org", "SUNRISE", str(path)).exit_code == 0
    path.write_bytes(path.read_bytes().replace(b"MRN-4", b"MRN-99"))
    result = run(app, "--org", "SUNRISE", str(path))
    assert result.exit_code != 0 and "changed since" in result.output


@pytest.mark.parametrize("kind", ["good", "unreadable", "error", "warning"])
def test_each_kind_answers_as_the_test_expects(app, db, make, tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    make.org(identifier="SUNRISE")
    db.commit()
    path = tmp_path / "one.hl7"
    path.write_text(message(1, kind))
    result = run(app, "--org", "SUNRISE", str(path))
    expected = {"good": "accepted: 1", "warning": "accepted with warnings: 1"}
    assert expected.get(kind, "rejected: 1") in result.output.splitlines(), result.output
