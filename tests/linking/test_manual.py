"""Manual verification: a request with a document whose type comes from its bytes; staff only."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from portal.accounts.models import Role
from portal.linking.documents import sniff_document
from portal.registry import AccessEvent
from portal.requests.models import (
    Request,
    RequestDocument,
    RequestEvent,
    RequestKind,
    RequestStatus,
)

from . import pdfs

PDF = pdfs.plain()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def _form(document: bytes, filename: str, mimetype: str = "application/pdf", **kw):
    data = {
        "first_name": "Lucía",
        "middle_name": "",
        "last_name": "Fernández",
        "birth_date": "2020-07-01",
        "relationship": "guardian",
        "note": "Custody order from Fresno County",
        "document": (io.BytesIO(document), filename, mimetype),
    }
    data.update(kw)
    return data


def _post(client, data):
    return client.post("/records/add/verification", data=data, content_type="multipart/form-data")


def test_accepted_types_come_from_the_bytes() -> None:
    assert sniff_document(PDF) == "application/pdf"
    assert sniff_document(_image("PNG")) == "image/png"
    assert sniff_document(_image("JPEG")) == "image/jpeg"
    assert sniff_document(EXE) is None
    assert sniff_document(b"%PDF-1.4 but never ends") is None
    assert sniff_document(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10) is None
    assert sniff_document(b"\xff\xd8\xff\xe0" + b"\x00" * 100) is None
    assert sniff_document(b"GIF89a" + b"\x00" * 100) is None


def test_a_png_request_reaches_the_queue(client, make, login, db, upload_dir) -> None:
    parent = make.user()
    login(client, parent)
    png = _image("PNG")
    response = _post(client, _form(png, "birth certificate.png", "image/png"))
    assert response.status_code == 302 and response.headers["Location"] == "/records"

    request = db.scalars(sa.select(Request)).one()
    assert request.kind == RequestKind.VERIFICATION
    assert request.status == RequestStatus.SUBMITTED
    assert request.requester_id == parent.id and request.patient_id is None
    assert request.details["last_name"] == "Fernández"
    assert request.details["birth_date"] == "2020-07-01"
    assert request.details["relationship"] == "guardian"
    [event] = db.scalars(sa.select(RequestEvent)).all()
    assert event.action == "submitted" and event.actor_id == parent.id
    [document] = db.scalars(sa.select(RequestDocument)).all()
    assert document.content_type == "image/png" and document.size == len(png)
    assert document.original_name == "birth certificate.png"
    assert "birth" not in document.stored_name
    assert (Path(upload_dir) / document.stored_name).read_bytes() == png

    page = client.get("/records").get_data(as_text=True)
    assert "Lucía Fernández" in page
    assert "Sent, waiting for the help desk" in page


def test_a_pdf_request_is_accepted(client, make, login, db) -> None:
    login(client, make.user())
    response = _post(client, _form(PDF, "custody.pdf"))
    assert response.status_code == 302
    document = db.scalars(sa.select(RequestDocument)).one()
    assert document.content_type == "application/pdf"
    assert document.stored_name.endswith(".pdf")


def test_a_renamed_program_is_refused_and_the_form_keeps_its_details(
    client, make, login, db
) -> None:
    login(client, make.user())
    response = _post(client, _form(EXE, "birth-certificate.pdf", "application/pdf"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This file is not a PDF, JPEG or PNG." in page
    assert 'value="Lucía"' in page and 'value="Fernández"' in page
    assert 'value="2020-07-01"' in page
    assert "Custody order from Fresno County" in page
    assert '<option selected value="guardian">' in page
    assert db.scalars(sa.select(Request)).all() == []


def test_a_missing_document_is_asked_for(client, make, login, db) -> None:
    login(client, make.user())
    data = _form(PDF, "x.pdf")
    del data["document"]
    response = _post(client, data)
    assert b"Choose a document to upload." in response.data
    assert db.scalars(sa.select(Request)).all() == []


def _submitted_document(client, make, login, db):
    login(client, make.user())
    _post(client, _form(PDF, "custody.pdf"))
    return db.scalars(sa.select(RequestDocument)).one()


def test_staff_download_the_document_as_an_attachment(app, client, make, login, db) -> None:
    document = _submitted_document(client, make, login, db)
    staff_client = app.test_client()
    login(staff_client, make.user(role=Role.AGENT))
    response = staff_client.get(f"/help-desk/documents/{document.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "custody" not in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    response.close()
    assert staff_client.get(f"/help-desk/documents/{document.id + 999}").status_code == 404


def test_viewing_a_document_of_a_known_record_is_logged(app, client, make, login, db) -> None:
    document = _submitted_document(client, make, login, db)
    patient = make.patient()
    document.request.patient_id = patient.id
    db.commit()
    staff = make.user(role=Role.SUPERVISOR)
    staff_client = app.test_client()
    login(staff_client, staff)
    staff_client.get(f"/help-desk/documents/{document.id}").close()
    event = db.scalars(sa.select(AccessEvent)).one()
    assert event.patient_id == patient.id and event.user_id == staff.id


def test_families_never_reach_a_document(app, client, make, login, db) -> None:
    document = _submitted_document(client, make, login, db)
    # Not even the parent who sent it, and not another parent.
    assert client.get(f"/help-desk/documents/{document.id}").status_code == 403
    other = app.test_client()
    login(other, make.user())
    assert other.get(f"/help-desk/documents/{document.id}").status_code == 403
    # Staff without the second factor are sent to it first.
    pending = app.test_client()
    login(pending, make.user(role=Role.AGENT), mfa=False)
    assert pending.get(f"/help-desk/documents/{document.id}").status_code == 302


def test_a_request_shows_only_to_the_family_that_sent_it(app, client, make, login) -> None:
    login(client, make.user())
    _post(client, _form(PDF, "custody.pdf"))
    other = app.test_client()
    login(other, make.user())
    page = other.get("/records").get_data(as_text=True)
    assert "Fernández" not in page and "No records yet" in page


def test_staff_viewing_a_document_is_on_the_request_timeline(app, client, make, login, db):
    """Most verification requests have no record yet, so the access log cannot hold the view."""
    document = _submitted_document(client, make, login, db)
    staff = make.user(role=Role.AGENT)
    staff_client = app.test_client()
    login(staff_client, staff)
    response = staff_client.get(f"/help-desk/documents/{document.id}")
    assert response.headers["Cache-Control"] == "no-store"
    response.close()
    db.expire_all()
    viewed = db.scalars(
        sa.select(RequestEvent).where(RequestEvent.action == "document_viewed")
    ).one()
    assert viewed.request_id == document.request_id and viewed.actor_id == staff.id
    assert viewed.public is False  # for the help desk's audit, not the family's timeline
    assert db.scalars(sa.select(AccessEvent)).all() == []  # no record to log it against
    assert staff_client.get(f"/help-desk/documents/{document.id + 999}").status_code == 404
    assert db.scalar(sa.select(sa.func.count()).select_from(RequestEvent)) == 2


def _stored_files(upload_dir) -> set[str]:
    return {p.name for p in Path(upload_dir).iterdir()}


def test_a_request_that_fails_leaves_no_file_behind(client, make, login, db, upload_dir,
                                                     monkeypatch):  # fmt: skip
    from portal.linking import verify_views

    def broken(*_args, **_kw):
        raise RuntimeError("the request fails after the document was written")

    monkeypatch.setattr(verify_views, "flash", broken)
    login(client, make.user())
    before = _stored_files(upload_dir)
    assert _post(client, _form(PDF, "custody.pdf")).status_code == 500
    assert db.scalars(sa.select(Request)).all() == []
    assert _stored_files(upload_dir) == before


def test_a_request_that_commits_keeps_its_file(client, make, login, db, upload_dir) -> None:
    login(client, make.user())
    before = _stored_files(upload_dir)
    _post(client, _form(PDF, "custody.pdf"))
    document = db.scalars(sa.select(RequestDocument)).one()
    assert _stored_files(upload_dir) - before == {document.stored_name}
    client.get("/records")  # later requests (and their rollbacks at teardown) leave it alone
    assert (Path(upload_dir) / document.stored_name).read_bytes() == PDF
