"""The print route: the printout's language, its file name, a GET of its address, and the
new card committed before the drawing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

import portal.records.views as views
from portal.accounts.models import Role
from portal.db import engine_for
from portal.i18n import local_today
from portal.proof.models import IssuedCard
from tests.records.pdftools import pdf_text


@pytest.fixture
def spanish_family(make, login, client):  # type: ignore[no-untyped-def]
    user = make.user(role=Role.PARENT, locale="es")
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="94", given_on=date(2023, 9, 20))
    link = make.link(user, patient)
    login(client, user)
    return patient, link


def _cards(db) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(sa.select(sa.func.count()).select_from(IssuedCard))


def test_a_spanish_page_prints_an_english_record_when_asked(client, spanish_family) -> None:
    _, link = spanish_family

    response = client.post(f"/records/{link.id}/shot-record.pdf", data={"lang": "en"})

    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "March 14, 2019" in text and "Page 1 of 2" in text
    assert "MMRV (measles, mumps, rubella, chickenpox)" in text
    assert "marzo" not in text and "Página" not in text


def test_an_english_page_prints_a_spanish_record_when_asked(client, make, parent) -> None:
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="94", given_on=date(2023, 9, 20))
    link = make.link(parent, patient)

    text = pdf_text(client.post(f"/records/{link.id}/shot-record.pdf", data={"lang": "es"}).data)

    assert "14 de marzo de 2019" in text and "Página 1 de 2" in text
    assert "MMRV (sarampión, paperas, rubéola, varicela)" in text
    # The page the parent goes back to is still in English.
    assert 'lang="en"' in client.get(f"/records/{link.id}").get_data(as_text=True)


def test_no_language_chosen_prints_in_the_pages_language(client, spanish_family) -> None:
    _, link = spanish_family
    for data in ({}, {"lang": ""}):
        text = pdf_text(client.post(f"/records/{link.id}/shot-record.pdf", data=data).data)
        assert "14 de marzo de 2019" in text


@pytest.mark.parametrize(
    "value", ["fr", "EN", "en-US", " es", "x" * 500, MultiDict([("lang", "de"), ("lang", "en")])]
)
def test_a_language_outside_the_list_is_a_400_and_prints_nothing(
    client, db, spanish_family, value
) -> None:
    _, link = spanish_family
    data = value if isinstance(value, MultiDict) else {"lang": value}
    if isinstance(data, MultiDict):
        data.add("csrf_token", client.csrf_token())

    response = client.post(f"/records/{link.id}/shot-record.pdf", data=data)

    assert response.status_code == 400
    assert not response.data.startswith(b"%PDF")
    assert _cards(db) == 0  # no card was signed or stored for a refused print


def test_a_json_body_prints_nothing(client, db, spanish_family) -> None:
    _, link = spanish_family
    response = client.post(
        f"/records/{link.id}/shot-record.pdf",
        json={"lang": "en"},
        headers={"X-CSRFToken": client.csrf_token()},
        csrf=False,
    )
    assert response.status_code == 400 and _cards(db) == 0


def test_someone_elses_link_is_a_404_whatever_the_language(client, make, parent) -> None:
    other = make.link(make.user(), make.patient())
    for data in ({}, {"lang": "es"}, {"lang": "fr"}):
        assert client.post(f"/records/{other.id}/shot-record.pdf", data=data).status_code == 404


def test_file_name_is_the_registry_id_and_the_printing_date(app, client, spanish_family) -> None:
    patient, link = spanish_family
    with app.test_request_context():
        today = local_today()

    response = client.post(f"/records/{link.id}/shot-record.pdf")

    expected = f"shot-record-{patient.registry_id}-{today.isoformat()}.pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert patient.last_name not in response.headers["Content-Disposition"]


def test_a_get_of_the_pdf_address_explains_and_links_back(client, db, make, parent) -> None:
    patient = make.patient()
    make.dose(patient)
    link = make.link(parent, patient)

    response = client.get(f"/records/{link.id}/shot-record.pdf")

    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "print button on the record page" in page
    assert f'href="/records/{link.id}"' in page
    assert patient.last_name not in page
    assert _cards(db) == 0  # a GET never issues a card


def test_a_get_of_someone_elses_pdf_address_is_a_404(client, make, parent) -> None:
    other = make.link(make.user(), make.patient())
    assert client.get(f"/records/{other.id}/shot-record.pdf").status_code == 404


def test_a_get_of_the_pdf_address_signed_out_asks_to_sign_in(client, make) -> None:
    link = make.link(make.user(), make.patient())
    response = client.get(f"/records/{link.id}/shot-record.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_card_is_committed_before_the_drawing(
    client, make, parent, monkeypatch, database_url
) -> None:
    """While the PDF is drawn, another connection already sees the new card: no write
    lock (SQLite) or row lock (PostgreSQL) is held through the render."""
    patient = make.patient()
    make.dose(patient)
    link = make.link(parent, patient)
    seen: list[int] = []
    real = views.build_shot_record_pdf

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        with engine_for(database_url).connect() as other:
            seen.append(other.scalar(sa.select(sa.func.count()).select_from(IssuedCard)))
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "build_shot_record_pdf", spy)

    assert client.post(f"/records/{link.id}/shot-record.pdf").status_code == 200
    assert seen == [1]
