"""Report a mistake from the record page: on a dose of this record, a detail, a missing dose."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.requests.models import RequestDocument, RequestKind

from .family_helpers import requests_in, token_of


@pytest.fixture
def family(make, login, client):  # type: ignore[no-untyped-def]
    parent = make.user()
    child = make.patient(first_name="Maya")
    dose = make.dose(child)
    link = make.link(parent, child)
    login(client, parent)
    return parent, child, link, dose


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _post(client, link, **fields):  # type: ignore[no-untyped-def]
    page = client.get(f"/records/{link.id}/report").get_data(as_text=True)
    data = {"token": token_of(page), "wrong": "", "right": "", **fields}
    return client.post(f"/records/{link.id}/report", data=data, content_type="multipart/form-data")


def test_the_record_page_links_to_the_report_and_the_sharing_page(client, family) -> None:
    _, _, link, _ = family
    page = client.get(f"/records/{link.id}").get_data(as_text=True)
    assert f'href="/records/{link.id}/report"' in page
    assert f'href="/records/{link.id}/sharing"' in page


def test_a_wrong_date_on_a_dose_is_filed_with_the_dose_and_the_evidence(client, db, family) -> None:
    parent, child, link, dose = family
    response = _post(
        client, link, about="dose", dose=str(dose.id), problem="wrong_date",
        wrong="March 20, 2020", right="March 2, 2020",
        evidence=(io.BytesIO(_png()), "card.png", "image/png"),
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    (request,) = requests_in(db)
    assert (request.kind, request.patient_id, request.requester_id) == (
        RequestKind.CORRECTION, child.id, parent.id,
    )  # fmt: skip
    assert request.details["immunization_id"] == dose.id
    assert request.details["problem"] == "wrong_date"
    assert request.details["right"] == "March 2, 2020"
    documents = db.scalars(sa.select(RequestDocument)).all()
    assert [(d.request_id, d.content_type) for d in documents] == [(request.id, "image/png")]
    assert [e.action for e in request.events] == ["submitted"]


def test_a_dose_of_another_record_is_a_form_error(client, db, make, family) -> None:
    _, _, link, _ = family
    elsewhere = make.dose(make.patient())
    response = _post(
        client, link, about="dose", dose=str(elsewhere.id), problem="wrong_date", right="x"
    )
    assert response.status_code == 200
    assert "Choose one of the options in the list." in response.get_data(as_text=True)
    assert requests_in(db) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"about": "everything", "right": "x"},
        {"about": "dose", "dose": "not-a-number", "problem": "wrong_date", "right": "x"},
        {"about": "dose", "dose": "", "problem": "gone", "right": "x"},
        {"about": "detail", "detail": "ssn", "wrong": "a", "right": "b"},
        {"about": "missing", "right": ""},
        {"about": "missing", "right": "x" * 2001},
    ],
)
def test_tampered_or_incomplete_reports_are_form_errors(client, db, family, fields) -> None:
    _, _, link, _ = family
    response = _post(client, link, **fields)
    assert response.status_code == 200
    assert "Please check the form" in response.get_data(as_text=True)
    assert requests_in(db) == []


def test_a_missing_dose_and_a_detail_need_no_dose(client, db, family) -> None:
    _, _, link, _ = family
    assert (
        _post(client, link, about="missing", right="MMR, May 1 2021, Fresno clinic").status_code
        == 302
    )
    assert (
        _post(client, link, about="detail", detail="name", wrong="Maia", right="Maya").status_code
        == 302
    )
    details = [r.details for r in requests_in(db)]
    assert details[0]["about"] == "missing" and "immunization_id" not in details[0]
    assert (details[1]["detail"], details[1]["wrong"]) == ("name", "Maia")


def test_a_double_click_makes_one_request(client, db, family) -> None:
    _, _, link, dose = family
    page = client.get(f"/records/{link.id}/report").get_data(as_text=True)
    data = {"token": token_of(page), "about": "missing", "right": "Hep B at birth"}
    for _ in range(2):
        assert client.post(f"/records/{link.id}/report", data=dict(data)).status_code == 302
    assert len(requests_in(db)) == 1


def test_an_upload_that_is_not_a_document_is_refused_and_files_nothing(client, db, family) -> None:
    _, _, link, _ = family
    response = _post(
        client, link, about="missing", right="x",
        evidence=(io.BytesIO(b"MZ" + b"\0" * 100), "card.png", "image/png"),
    )  # fmt: skip
    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG" in response.get_data(as_text=True)
    assert requests_in(db) == []


def test_someone_elses_record_cannot_be_reported(client, make, family) -> None:
    theirs = make.link(make.user(), make.patient())
    assert client.get(f"/records/{theirs.id}/report").status_code == 404
    assert client.post(f"/records/{theirs.id}/report", data={"token": "t" * 32}).status_code == 404
