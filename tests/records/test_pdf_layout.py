"""The printout's layout: page one is the CDPH 286 grid with the QR; rows and headings
never break badly across pages. Read back as text, page by page, as a person sees it."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from portal.proof.cards import decode_qr_image
from portal.records.pdf import build_shot_record_pdf
from portal.records.services import load_patient, record_view
from portal.registry.vaccines import groups_for
from tests.records.pdftools import pdf_pages, pdf_png, pdf_text

PRINTED = date(2026, 11, 21)
CARD_ROWS = [
    "Polio",
    "Diphtheria, tetanus, whooping cough (DTaP/Tdap/Td)",
    "Hepatitis B (HepB)",
    "Measles, mumps, rubella (MMR)",
    "Hib (Haemophilus influenzae type b)",
    "Chickenpox (varicella)",
]


def _medium(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _pdf(app, db, patient, lang: str = "en", view_change=None) -> bytes:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale(lang):
        view = record_view(load_patient(db, patient.id), lang, PRINTED)
        if view_change:
            view = view_change(view)
        return build_shot_record_pdf(view, printed_on=PRINTED)


def test_page_one_has_the_card_rows_in_order_even_when_empty(app, db, make) -> None:
    patient = make.patient(birth_date=date(2025, 10, 1), guardian_name="Rosa Díaz")
    make.dose(patient, cvx_code="08", given_on=date(2025, 10, 1))
    make.dose(patient, cvx_code="116", given_on=date(2025, 12, 2))

    text = pdf_text(_pdf(app, db, patient), 1)

    positions = [text.index(row) for row in CARD_ROWS]
    assert positions == sorted(positions)
    assert text.index("Rotavirus") > positions[-1]  # the others after the card's rows
    assert text.count("none recorded") == 5  # every card row but hepatitis B
    for fact in ("Female", patient.registry_id, "Rosa Díaz", "October 1, 2025"):
        assert fact in text
    assert all(f"Dose {n}" in text for n in range(1, 7))


def test_a_combination_is_named_once_and_marked_in_each_row(app, db, make) -> None:
    patient = make.patient(birth_date=date(2019, 3, 14))
    for day in (date(2019, 5, 14), date(2019, 7, 14)):
        make.dose(patient, cvx_code="110", given_on=day)  # DTaP + hepatitis B + polio
    make.dose(patient, cvx_code="94", given_on=date(2023, 9, 20))  # MMRV

    text = pdf_text(_pdf(app, db, patient), 1)

    assert text.count("DTaP + hepatitis B + polio (combination)") == 1
    assert text.count("MMRV (measles, mumps, rubella, chickenpox)") == 1
    assert len(re.findall(r"May 14, 2019 ?a", text)) == 3  # polio, DTaP and hep B rows
    assert len(re.findall(r"Sep 20, 2023 ?b", text)) == 2  # MMR and varicella rows


def test_a_17_year_old_with_45_doses_fits_page_one_with_its_qr(
    client, make, parent, add_schedule
) -> None:
    patient = make.patient(birth_date=date(2009, 5, 17))
    doses = add_schedule(patient, 45)
    link = make.link(parent, patient)

    data = client.post(f"/records/{link.id}/shot-record.pdf").data

    first = pdf_text(data, 1)
    grid = first[first.index(CARD_ROWS[0]) : first.index("Is this record genuine?")]
    found = Counter(re.findall(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", grid))
    expected = Counter(_medium(d.given_on) for d in doses for _ in groups_for(d.cvx_code))
    assert found == expected  # every dose's date, once in each row it counts for
    assert "Verification code" in first and "Short code" not in first
    chunks = decode_qr_image(pdf_png(data, 1, dpi=150))
    assert chunks and all(c.startswith("shc:/") for c in chunks)
    if len(chunks) > 1:
        assert f"part {len(chunks)} of {len(chunks)}" in first
    # The dose-by-dose list starts on page two: each dose once, with who gave it.
    rest = " ".join(pdf_text(data, p) for p in range(2, pdf_pages(data) + 1))
    assert sum(rest.count(d.lot_number) for d in doses) == 45


def test_a_list_row_never_breaks_across_pages(app, db, make) -> None:
    patient = make.patient(birth_date=date(2000, 1, 1))
    for i in range(90):
        clinic = make.org(name=f"Community Health Center of the Central Valley Unit{i:03d}end")
        make.dose(
            patient,
            cvx_code="140",
            given_on=date(2000, 1, 1) + timedelta(days=30 * i),
            administering_org=clinic,
            lot_number=f"LOT{i:03d}",
        )

    data = _pdf(app, db, patient)

    pages = [pdf_text(data, p) for p in range(2, pdf_pages(data) + 1)]
    assert len(pages) >= 3
    for i in range(90):
        # The clinic's name wraps over lines; its start, its end and the lot share a page.
        holding = [p for p in pages if f"LOT{i:03d}" in p]
        assert len(holding) == 1, i
        assert f"Unit{i:03d}end" in holding[0]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_heading_never_ends_a_page(app, db, make, lang) -> None:
    """Print the same record with 30 to 90 doses in the list: wherever the list ends, the
    'TB tests' heading is on the page that shows the TB table's header."""
    patient = make.patient(birth_date=date(2000, 1, 1))
    for i in range(90):
        make.dose(patient, cvx_code="140", given_on=date(2000, 1, 1) + timedelta(days=30 * i))
    make.tb_test(patient, result="0 mm")
    heading, table_head = {
        "en": ("TB tests", "Placed"),
        "es": ("Pruebas de tuberculosis (TB)", "Colocada"),
    }[lang]
    checked_at_page_end = 0
    for count in range(30, 91, 2):

        def keep(view, count=count):  # type: ignore[no-untyped-def]
            return dataclasses.replace(view, doses=view.doses[:count])

        data = _pdf(app, db, patient, lang, keep)
        last = pdf_pages(data)
        text = pdf_text(data, last)
        before = pdf_text(data, last - 1)
        assert heading not in before or table_head in before, count
        if heading in text:
            assert table_head in text, count
            checked_at_page_end += text.index(heading) < 80  # the heading went over
    assert checked_at_page_end  # the sweep did reach the bottom of a page


def test_a_grid_taller_than_a_page_goes_on_by_whole_rows(app, db, make) -> None:
    """No child's record comes near it, but an adult's decades of flu shots may: the grid
    then continues on the next page, its header repeated, instead of failing; a row
    taller than a page (425 flu shots) goes on between its lines of dates."""
    birth = date(1950, 1, 1)
    patient = make.patient(birth_date=birth)
    days = [birth + timedelta(days=30 * i + 1) for i in range(600)]
    for i, day in enumerate(days):
        cvx = ("140", "03", "08", "10", "21", "83", "133", "165")[i % 8] if i < 200 else "140"
        make.dose(patient, cvx_code=cvx, given_on=day)

    data = _pdf(app, db, patient)

    pages = [pdf_text(data, p) for p in range(1, pdf_pages(data) + 1)]
    list_starts = next(i for i, text in enumerate(pages) if "Every dose, with who gave it" in text)
    assert list_starts >= 3
    grid = pages[:list_starts]
    assert all("Dose 6" in text for text in grid)  # the header on every page of the grid
    assert all("Flu (influenza)" in text for text in grid[1:])
    found = Counter(re.findall(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", " ".join(grid)))
    assert found == Counter(_medium(day) for day in days) + Counter(
        {_medium(birth): len(grid), _medium(PRINTED): len(grid)}  # the footers
    )
