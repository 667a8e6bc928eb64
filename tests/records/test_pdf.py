"""The printable shot record: what it says, in which language, on how many pages, with its QR."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import segno
import sqlalchemy as sa
import zxingcpp
from flask_babel import force_locale
from PIL import Image

from portal.accounts.models import Role
from portal.proof.cards import make_qr
from portal.records.pdf import PrintedProof, build_shot_record_pdf, printable
from portal.records.qr import group_for_reading
from portal.records.services import load_patient, record_view
from portal.registry import AccessEvent, TbInterpretation
from portal.registry.vaccines import groups_for
from tests.records.pdftools import pdf_pages, pdf_png, pdf_text

LONG_NAME = (
    "Maximiliana Guadalupe Esperanza de los Ángeles",
    "Concepción Inmaculada del Carmen",
    "Fernández-Villaseñor y Montenegro-Alcántara Ñuñez",
)
CHUNK = "shc:/" + "".join(f"{(i * 37) % 78 + 10:02d}" for i in range(400))


def test_family_downloads_the_record(client, make, parent, link_for, db) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name="Sunrise Clinic")
    patient = make.patient(
        first_name="Lucía", last_name="Ñuñez-Şahin", birth_date=date(2019, 3, 14)
    )
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20), administering_org=clinic)
    make.dose(patient, cvx_code="21", given_on=date(2020, 6, 2), lot_number="GONE", deleted=True)
    make.tb_test(patient, result="0 mm", interpretation=TbInterpretation.NEGATIVE)
    link = link_for(parent, patient)

    response = client.post(f"/records/{link.id}/shot-record.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="shot-record-{patient.registry_id}-'
    )  # the date part: tests/records/test_print_view.py
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    assert "Lucía Ñuñez-Sahin" in text  # Ş is not in the font: printed as S, not a crash
    assert "March 14, 2019" in text and patient.registry_id in text
    assert "MMR (measles, mumps, rubella)" in text and "Mar 20, 2020" in text
    assert "Sunrise Clinic" in text
    assert "Skin test (TST)" in text and "Negative" in text
    assert "Jun 2, 2020" not in text  # the deleted dose
    assert "Page 1 of 2" in text and "Fresno" not in text
    # No phone number (the random verification code may hold "555", so the number itself).
    assert "555-0123" not in text and "5550123" not in text
    # Printing is an access event for staff and organizations, never for the family.
    assert db.scalar(sa.select(sa.func.count()).select_from(AccessEvent)) == 0


def test_spanish_record(client, make, login, link_for) -> None:  # type: ignore[no-untyped-def]
    user = make.user(role=Role.PARENT, locale="es")
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="94", given_on=date(2023, 9, 20))
    link = link_for(user, patient)
    login(client, user)

    text = pdf_text(client.post(f"/records/{link.id}/shot-record.pdf").data)

    assert "MMRV (sarampión, paperas, rubéola, varicela)" in text
    assert "Sarampión, paperas, rubéola (MMR)" in text and "Varicela" in text
    assert "14 de marzo de 2019" in text and "20 sept 2023" in text


def test_sixty_doses_and_a_long_name_flow_over_numbered_pages(
    client, make, parent, link_for, add_schedule
) -> None:  # type: ignore[no-untyped-def]
    first, middle, last = LONG_NAME
    patient = make.patient(
        first_name=first, middle_name=middle, last_name=last, birth_date=date(2008, 1, 5)
    )
    assert len(patient.full_name) >= 120
    doses = add_schedule(patient, 60)
    link = link_for(parent, patient)

    data = client.post(f"/records/{link.id}/shot-record.pdf").data

    pages = pdf_pages(data)
    assert pages >= 3
    assert patient.full_name in pdf_text(data, 1)  # wrapped, never cut, on the first page
    for page in range(1, pages + 1):
        text = pdf_text(data, page)
        assert f"Page {page} of {pages}" in text
        assert patient.registry_id in text
        if page > 1:  # the dose list runs on: its header is repeated on every page
            assert "Date given Vaccine Given by Lot number" in text
    # Every dose's date, once under each group it counts for.
    found = Counter(re.findall(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", pdf_text(data)))
    expected = Counter(
        f"{d.given_on:%b} {d.given_on.day}, {d.given_on.year}"
        for d in doses
        for _ in groups_for(d.cvx_code)
    )
    assert sum(expected.values()) == 68
    assert all(found[day] >= count for day, count in expected.items())


def test_characters_outside_the_font_are_replaced_not_fatal() -> None:
    assert printable("Ñuñez-Şahin") == "Ñuñez-Sahin"
    assert printable("Łukasz Dąbrowski") == "Lukasz Dabrowski"
    assert printable("李 Nguyễn") == "? Nguyen"
    assert printable("José ¿¡ü") == "José ¿¡ü"


def test_a_name_in_another_script_still_prints(app, db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(first_name="美玲", last_name="Ñuñez-Şahin")
    make.dose(patient)
    with app.test_request_context(), force_locale("en"):
        view = record_view(load_patient(db, patient.id), "en", date(2026, 11, 21))
        data = build_shot_record_pdf(view, printed_on=date(2026, 11, 21))

    assert "?? Ñuñez-Sahin" in pdf_text(data)


def _proof_pdf(app, db, make, chunks: list[str]) -> bytes:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient)
    proof = PrintedProof(
        qr_chunks=chunks,
        short_code="k7qf9m2xht4p",
        issued_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    )
    with app.test_request_context(), force_locale("en"):
        view = record_view(load_patient(db, patient.id), "en", date(2026, 11, 21))
        return build_shot_record_pdf(view, printed_on=date(2026, 11, 21), proof=proof)


def _decoded(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(pdf_png(data, 1, dpi=150)))
    return sorted(code.text for code in zxingcpp.read_barcodes(image))


def test_a_proof_prints_a_scannable_qr_with_its_short_code(app, db, make) -> None:  # type: ignore[no-untyped-def]
    data = _proof_pdf(app, db, make, [CHUNK])

    assert _decoded(data) == [CHUNK]
    text = pdf_text(data, 1)
    assert "Scan to verify" in text and "K7QF 9M2X HT4P" in text
    assert "http://localhost/verify" in text
    assert "Issued November 20, 2026" in text  # 03:00 UTC is still the 20th in California


def test_one_qr_per_chunk_on_the_first_page(app, db, make) -> None:  # type: ignore[no-untyped-def]
    chunks = [f"shc:/{i}/2/" + CHUNK[5:405] for i in (1, 2)]

    data = _proof_pdf(app, db, make, chunks)

    assert _decoded(data) == sorted(chunks)
    assert "part 2 of 2" in pdf_text(data, 1)


def test_no_qr_without_a_proof(app, db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    with app.test_request_context(), force_locale("en"):
        view = record_view(load_patient(db, patient.id), "en", date(2026, 11, 21))
        data = build_shot_record_pdf(view, printed_on=date(2026, 11, 21))

    assert _decoded(data) == [] and "Scan to verify" not in pdf_text(data)
    assert "No vaccine doses are recorded." in pdf_text(data)


def test_health_card_qr_puts_the_digits_in_numeric_mode() -> None:
    qr = make_qr(CHUNK)

    assert qr.error == "L" and len(qr.modules) == 17 + 4 * qr.version
    # The same text in one byte segment needs a much larger code.
    assert qr.version < segno.make(CHUNK, error="l", micro=False, mode="byte").version


@pytest.mark.parametrize(
    ("code", "grouped"), [("k7qf9m2x", "K7QF 9M2X"), ("AB-CD-EF", "ABCD EF"), ("", "")]
)
def test_short_code_grouped_for_reading_aloud(code: str, grouped: str) -> None:
    assert group_for_reading(code) == grouped


@pytest.mark.parametrize("tb_only", [False, True])
def test_a_record_without_doses_prints_and_says_why_it_has_no_qr(
    client, make, parent, link_for, tb_only
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient, deleted=True)
    if tb_only:
        make.tb_test(patient, result="0 mm", interpretation=TbInterpretation.NEGATIVE)
    link = link_for(parent, patient)

    response = client.post(f"/records/{link.id}/shot-record.pdf")

    assert response.status_code == 200 and _decoded(response.data) == []
    text = pdf_text(response.data)
    assert "No vaccine doses are recorded." in text and "Scan to verify" not in text
    assert "This printout has no QR code because no vaccine doses are recorded." in text
    assert ("Skin test (TST)" in text) is tb_only and "Page 1 of 1" in text


def test_printing_is_rate_limited_per_account(client, make, login) -> None:
    parent = make.user()
    patient = make.patient()
    make.dose(patient)
    link = make.link(parent, patient)
    login(client, parent)
    codes = [client.post(f"/records/{link.id}/shot-record.pdf").status_code for _ in range(21)]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
