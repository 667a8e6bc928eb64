"""/verify's California check: the school picks the requirement; the answer comes from the
card's own doses, in the page's language."""

from __future__ import annotations

from datetime import date

from portal.i18n import local_today
from tests.proof.test_verify_page import AUTHENTIC
from tests.records.test_pdf_school import BORN, READY

SHORT = [d for d in READY if d[0] not in ("94", "10")] + [("3", date(2020, 3, 14))]


def _card(make, issue, doses):  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=BORN)
    for cvx, day in doses:
        make.dose(patient, cvx_code=cvx, given_on=day)
    return patient, issue(patient)


def _check(client, proof, requirement=None, **kw):  # type: ignore[no-untyped-def]
    data = {"code": proof.short_code, "check_code": "Check"}
    if requirement:
        data["requirement"] = requirement
    return client.post("/verify", data=data, **kw)


def _long_today(app, lang):  # type: ignore[no-untyped-def]
    from flask_babel import force_locale, format_date

    with app.test_request_context(), force_locale(lang):
        return format_date(local_today(), "long")


def test_the_page_offers_the_requirements_on_each_form(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/verify").get_data(as_text=True)
    for form in ("code", "upload", "paste"):
        assert f'<label for="{form}-requirement">Check the shots against</label>' in page
    assert page.count('<option selected value="k12_entry">K-12 entry (including TK)') == 3
    assert page.count('value="childcare"') == 3


def test_k12_by_default_from_the_card_not_the_database(app, client, make, issue) -> None:  # type: ignore[no-untyped-def]
    patient, proof = _card(make, issue, SHORT)
    make.dose(patient, cvx_code="10", given_on=date(2023, 3, 20))  # after the printout
    page = _check(client, proof).get_data(as_text=True)
    assert AUTHENTIC in page  # a dose added since does not make the card out of date
    day = _long_today(app, "en")
    assert f"Meets California K-12 entry requirements as of {day}: no" in page
    assert "<li>Polio</li>" in page  # missing on the card, though the record has it now
    assert "<li>MMR (measles, mumps, rubella)</li>" in page
    assert "<li>Varicella (chickenpox)</li>" in page
    assert "<li>Hepatitis B</li>" not in page
    assert "The next missing dose may be given from" in page


def test_a_card_that_meets_and_the_requirement_picked(app, client, make, issue) -> None:  # type: ignore[no-untyped-def]
    _, proof = _card(make, issue, READY)
    day = _long_today(app, "en")
    page = _check(client, proof).get_data(as_text=True)
    assert AUTHENTIC in page
    assert f"Meets California K-12 entry requirements as of {day}: yes" in page
    assert "Missing, by the shots" not in page and "may be given" not in page
    page = _check(client, proof, "childcare").get_data(as_text=True)
    assert f"Meets California child care requirements as of {day}: no" in page
    assert "<li>Hib</li>" in page
    page = _check(client, proof, "grade7_12_entry").get_data(as_text=True)
    assert f"Meets California 7th to 12th grade entry requirements as of {day}: no" in page
    assert "<li>Tdap (whooping cough) on or after the 7th birthday</li>" in page
    assert "<li>Polio</li>" not in page


def test_a_requirement_off_the_list_is_a_form_error(client, make, issue) -> None:  # type: ignore[no-untyped-def]
    _, proof = _card(make, issue, READY)
    page = _check(client, proof, "college").get_data(as_text=True)
    assert AUTHENTIC not in page and "Meets California" not in page
    assert 'href="#code-requirement"' in page


def test_in_spanish(app, client, make, issue) -> None:  # type: ignore[no-untyped-def]
    _, proof = _card(make, issue, SHORT)
    client.set_cookie("lang", "es")
    page = _check(client, proof, headers={"Accept-Language": "es"}).get_data(as_text=True)
    day = _long_today(app, "es")
    assert f"Cumple con los requisitos de ingreso a K-12 de California al {day}: no" in page
    assert "<li>Varicela</li>" in page and "Falta, según las vacunas de esta tarjeta:" in page
