"""The printout's California K-12 entry line, read back from the PDF in both languages."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date

from portal.accounts.models import Role
from portal.i18n import local_today
from tests.records.pdftools import pdf_text

BORN = date(2019, 3, 14)
# 10 IPV, 20 DTaP, 8 hep B, 110 DTaP-HepB-IPV, 94 MMRV
READY = [("110", date(2019, 5, 14)), ("110", date(2019, 7, 14)), ("110", date(2019, 9, 14)),
         ("20", date(2020, 6, 14)), ("94", date(2020, 3, 14)), ("94", date(2023, 3, 20)),
         ("20", date(2023, 3, 20)), ("10", date(2023, 3, 20))]  # fmt: skip


def _print(client, make, user, link_for, login, doses, lang):  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=BORN)
    for cvx, day in doses:
        make.dose(patient, cvx_code=cvx, given_on=day)
    link = link_for(user, patient)
    login(client, user)
    response = client.post(f"/records/{link.id}/shot-record.pdf", data={"lang": lang})
    assert response.status_code == 200
    return pdf_text(response.data, 1)


def _today(app, lang):  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale(lang):
        return format_date(local_today(), "long")


def test_a_child_who_meets_k12_entry(app, client, make, link_for, login) -> None:  # type: ignore[no-untyped-def]
    user = make.user(role=Role.PARENT)
    text = _print(client, make, user, link_for, login, READY, "en")
    day = _today(app, "en")
    assert f"Meets California K-12 entry requirements as of {day}: yes" in text
    assert "Missing" not in text and "may be given" not in text


def test_a_child_who_does_not_in_english_and_spanish(app, client, make, link_for, login) -> None:  # type: ignore[no-untyped-def]
    short = [d for d in READY if d[0] not in ("94", "10")] + [("3", date(2020, 3, 14))]
    user = make.user(role=Role.PARENT)
    text = _print(client, make, user, link_for, login, short, "en")
    assert f"Meets California K-12 entry requirements as of {_today(app, 'en')}: no" in text
    assert "Missing: Polio; MMR (measles, mumps, rubella); Varicella (chickenpox)" in text
    assert "The next missing dose may be given from" in text

    text = _print(client, make, user, link_for, login, short, "es")
    assert f"as of {_today(app, 'en')}" not in text
    assert f"{_today(app, 'es')}: no" in text
    assert "Cumple con los requisitos de ingreso a K-12 de California" in text
    assert "Falta: Polio; MMR (sarampión, paperas, rubéola); Varicela" in text
