"""The record page's kept sections (records/page_cache.py): a kept copy is always what
rendering would give, and any change to what the page shows is seen at once."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.registry import Immunization
from tests.conftest import CsrfClient

CSRF = re.compile(rb'name="csrf_token" value="[^"]+"')


def _page(client, link_id: int) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(f"/records/{link_id}")
    assert response.status_code == 200
    return CSRF.sub(b'value="CSRF"', response.data)


@pytest.fixture
def record(make, parent, link_for):  # type: ignore[no-untyped-def]
    patient = make.patient(first_name="Lucía", birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20), lot_number="MMR-77")
    make.dose(patient, cvx_code="110", given_on=date(2019, 5, 15), lot_number="COMBO-1")
    return patient, link_for(parent, patient)


def test_a_second_view_is_the_same_page_from_the_kept_sections(app, client, record) -> None:  # type: ignore[no-untyped-def]
    _, link = record
    kept = app.extensions["portal.record_sections"]

    first = _page(client, link.id)
    second = _page(client, link.id)

    assert second == first
    assert len(kept) == 1 and b"MMR-77" in first


def test_a_changed_dose_shows_on_the_next_view(app, client, db, record) -> None:  # type: ignore[no-untyped-def]
    patient, link = record
    before = _page(client, link.id)
    db.execute(
        sa.update(Immunization)
        .where(Immunization.patient_id == patient.id, Immunization.lot_number == "MMR-77")
        .values(lot_number="MMR-78")
    )
    db.commit()

    after = _page(client, link.id)

    assert b"MMR-77" in before and b"MMR-77" not in after and b"MMR-78" in after
    assert len(app.extensions["portal.record_sections"]) == 2


def test_each_language_is_kept_apart(app, client, db, parent, record) -> None:  # type: ignore[no-untyped-def]
    _, link = record
    english = _page(client, link.id)
    parent.locale = "es"
    db.commit()

    spanish = _page(client, link.id)

    assert b"Date given" in english and b"Date given" not in spanish
    assert "Fecha de aplicación".encode() in spanish
    assert len(app.extensions["portal.record_sections"]) == 2


def test_the_page_is_the_same_with_nothing_kept(settings, client, record, login, parent) -> None:  # type: ignore[no-untyped-def]
    _, link = record
    kept_page = [_page(client, link.id) for _ in range(2)]
    uncached = create_app({**settings, "RECORD_PAGE_CACHE": 0})
    uncached.test_client_class = CsrfClient
    other = uncached.test_client()
    login(other, parent)

    pages = [_page(other, link.id) for _ in range(2)]

    assert pages == kept_page
    assert len(uncached.extensions["portal.record_sections"]) == 0
    assert len(uncached.extensions["portal.record_views"]) == 0


def test_the_rows_made_as_markup_escape_the_records_text(client, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name='<b>Smith & "Sons"</b> Clinic')
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="110", given_on=date(2019, 5, 15), lot_number="<i>L1</i>",
              administering_org=clinic)  # fmt: skip
    link = link_for(parent, patient)

    page = _page(client, link.id)

    assert b"<b>Smith" not in page and b"<i>L1" not in page
    assert b"&lt;b&gt;Smith &amp; &#34;Sons&#34;&lt;/b&gt; Clinic" in page
    assert b"&lt;i&gt;L1&lt;/i&gt;" in page
