"""The printout in each of the seven languages: its letters print, in an embedded font."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from portal.accounts.models import Role
from portal.languages import LANGUAGES, register_tagalog
from tests.records.pdftools import _poppler, pdf_png, pdf_text

# The font each language's printout must embed (portal/records/fonts.py); Helvetica is the
# PDF's standard font, which every reader has and no file embeds.
EMBEDDED = {"vietnamese": "DejaVuSans", "cjk": "WenQuanYiZenHei"}


def _fonts(data: bytes) -> list[list[str]]:
    out = _poppler("pdffonts", "-", data=data).decode().splitlines()[2:]
    return [line.split() for line in out]


@pytest.mark.parametrize("lang", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_each_languages_printout_holds_its_letters_in_its_font(
    client, make, login, link_for, lang
) -> None:  # type: ignore[no-untyped-def]
    register_tagalog()
    user = make.user(role=Role.PARENT, locale=lang.code)
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="94", given_on=date(2023, 9, 20))
    link = link_for(user, patient)
    login(client, user)

    data = client.post(f"/records/{link.id}/shot-record.pdf").data
    text = pdf_text(data)
    fonts = _fonts(data)
    if os.environ.get("PORTAL_PDF_PICTURES"):  # a folder: each language's page one to look at
        picture = Path(os.environ["PORTAL_PDF_PICTURES"], f"{lang.code}.png")
        picture.write_bytes(pdf_png(data, dpi=60))

    # The birth date in the language's own words ("2019年3月14日", "14 tháng 3, 2019").
    born = format_date(date(2019, 3, 14), "long", locale=lang.code)
    assert " ".join(born.split()) in text
    if lang.pdf_font in EMBEDDED:
        wanted = EMBEDDED[lang.pdf_font]
        names = [row[0] for row in fonts if wanted in row[0]]
        assert names, f"{wanted} is not in the PDF: {fonts}"
        # pdffonts' columns: name type encoding emb sub uni object-id
        assert all(row[-5] == "yes" for row in fonts if wanted in row[0]), fonts
    else:
        assert {row[0] for row in fonts} <= {"Helvetica", "Helvetica-Bold", "Courier-Bold"}, fonts


def test_without_the_font_the_printout_falls_back_clearly(  # type: ignore[no-untyped-def]
    app, db, make, monkeypatch, caplog
) -> None:
    from flask_babel import force_locale

    from portal.records import fonts
    from portal.records.pdf import build_shot_record_pdf
    from portal.records.services import load_patient, record_view

    monkeypatch.setattr(fonts, "WQY", Path("/nonexistent/wqy-zenhei.ttc"))
    monkeypatch.setattr(fonts, "_FACES", {})  # forget the faces already loaded
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient)
    with app.test_request_context(), force_locale("ko"):
        view = record_view(load_patient(db, patient.id), "ko", date(2026, 11, 21))
        data = build_shot_record_pdf(view, printed_on=date(2026, 11, 21))

    assert "fonts-wqy-zenhei" in caplog.text  # the warning names the package to install
    assert {row[0] for row in _fonts(data)} <= {"Helvetica", "Helvetica-Bold", "Courier-Bold"}
    assert "2019? 3? 14?" in pdf_text(data)  # readable digits, '?' for the missing letters
