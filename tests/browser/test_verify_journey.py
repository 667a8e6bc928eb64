"""A school checks a printout on /verify: pasted text, a photo, a typed code, a reprint."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.proof.cards import decode_qr_image
from portal.proof.cards.shortcode import ALPHABET
from tests.browser.conftest import switch_language
from tests.records.pdftools import pdf_png, pdf_text

pytestmark = pytest.mark.browser

# Strings with a Spanish translation in portal/translations/es.
HEADINGS = {
    "authentic": {
        "en": "Genuine: this shot record is authentic and up to date",
        "es": "Válida: esta cartilla de vacunas es auténtica y está al día",
    },
    "out of date": {
        "en": "Genuine, but not the newest printout of this record",
        "es": "Válida, pero no es la copia impresa más reciente de este registro",
    },
    "no code": {
        "en": "No record matches this verification code",
        "es": "Ningún registro coincide con este código de verificación",
    },
}
BIRTH_DATE = {"en": "March 14, 2019", "es": "14 de marzo de 2019"}
PRIVATE = ("12 Elm St", "Fresno", "93701", "555", "Ana Lopez")  # address, phone, guardian
DOSES = [("110", date(2019, 5, 14)), ("03", date(2020, 3, 14)), ("21", date(2020, 3, 14))]


@pytest.fixture
def printed(make: Any, client: Any, login: Any) -> dict[str, Any]:
    """A family prints the record (through the portal, as a test client): its PDF and QR text."""
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López", birth_date=date(2019, 3, 14))
    for cvx, given_on in DOSES:
        make.dose(child, cvx_code=cvx, given_on=given_on)
    link = make.link(parent, child)
    login(client, parent)

    def print_record() -> bytes:
        response = client.post(f"/records/{link.id}/shot-record.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        return response.data

    pdf = print_record()
    png = pdf_png(pdf, page=1, dpi=150)
    texts = decode_qr_image(png)
    assert len(texts) == 1 and texts[0].startswith("shc:/")
    code = re.search(r"\b([A-Z0-9]{4}(?:[ -][A-Z0-9]{4}){3})\b", pdf_text(pdf, page=1))
    assert code, "no verification code printed on page 1"
    return {"text": texts[0], "png": png, "code": code.group(1), "reprint": print_record}


def _submit(page: Page, button: str) -> None:
    page.locator(f"main form input[name={button}]").click()


def _check_result(page: Page, check: Any, lang: str, status: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("main h1")).to_have_text(HEADINGS[status][lang])
    check(page)


def _shows_the_card(page: Page) -> None:
    """The signed name, birth date and doses; nothing the card must not carry."""
    lang = page.locator("html").get_attribute("lang")
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text("Lucía García-López")
    expect(facts).to_contain_text(BIRTH_DATE[lang])
    groups = page.locator("main table.by-vaccine tbody th[scope=row]")
    expect(groups).to_have_count(5)  # DTaP-HepB-IPV counts in 3 rows, then MMR, varicella
    rows = page.locator("main details.verify-doses table tbody tr")
    expect(rows).to_have_count(len(DOSES))
    for cvx, _ in DOSES:
        expect(rows.locator(".code", has_text=re.compile(rf"^{cvx}$"))).to_have_count(1)
    expect(rows.first).to_contain_text("2019")
    main = page.locator("main").inner_text()
    for private in PRIVATE:
        assert private not in main, f"the verifier shows {private!r}"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_school_checks_a_printed_record(
    page: Page, assert_accessible: Any, printed: dict[str, Any], lang: str
) -> None:
    page.goto("/verify")
    switch_language(page, lang)
    assert_accessible(page)

    page.locator("textarea[name=text]").fill(printed["text"])
    _submit(page, "check_text")
    _check_result(page, assert_accessible, lang, "authentic")
    _shows_the_card(page)

    page.goto("/verify")
    page.locator("input[name=image]").set_input_files(
        files=[{"name": "record.png", "mimeType": "image/png", "buffer": printed["png"]}]
    )
    _submit(page, "check_image")
    _check_result(page, assert_accessible, lang, "authentic")
    _shows_the_card(page)

    # One symbol of the printed code mistyped: a well-formed code that matches nothing.
    code = printed["code"]
    typo = next(c for c in ALPHABET if c != code[-1])
    page.goto("/verify")
    page.locator("input[name=code]").fill(code[:-1] + typo)
    _submit(page, "check_code")
    _check_result(page, assert_accessible, lang, "no code")
    expect(page.locator("main table")).to_have_count(0)
    assert "García" not in page.locator("main").inner_text()

    printed["reprint"]()
    page.goto("/verify")
    page.locator("textarea[name=text]").fill(printed["text"])
    _submit(page, "check_text")
    _check_result(page, assert_accessible, lang, "out of date")
    expect(page.locator("main .verify-status")).to_have_class(re.compile(r"\bverify-out-of-date\b"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_phone_shows_part_of_a_split_card_and_a_corrected_one_accessibly(
    phone_page: Page, assert_accessible: Any, make: Any, db: Any, app: Any, lang: str
) -> None:
    """At 360 px: one part of a two-part QR asks for the other; a card whose record was
    corrected since says not to accept it, and its rows per vaccine fit the width."""
    from datetime import timedelta

    from portal.orm import utcnow
    from portal.proof.crl import revoke_cards_before
    from portal.proof.issuance import issue_proof
    from tests.browser.conftest import assert_no_sideways_scroll

    child = make.patient(first_name="Mateo", last_name="Hernández", birth_date=date(2009, 3, 14))
    cycle = ["20", "10", "08", "49", "133", "03", "21", "116", "110", "120", "94", "115"]
    for i in range(45):
        given_on = date(2009, 5, 1) + timedelta(97 * i)
        make.dose(child, cvx_code=cycle[i % 12], given_on=given_on)
    keyring = app.extensions["portal.proof.keyring"]
    sign = {"issuer_url": keyring.issuer, "key": keyring.signing_key}
    sign["rid_secret"] = keyring.rid_secret
    split = issue_proof(db, child, now=utcnow(), **sign)
    db.commit()
    assert len(split.qr_chunks) == 2

    phone_page.goto("/verify")
    switch_language(phone_page, lang)
    phone_page.locator("textarea[name=text]").fill(split.qr_chunks[0])
    _submit(phone_page, "check_text")
    heading = {"en": "Part 1 of 2: scan the other part too",
               "es": "Parte 1 de 2: escanee también la otra parte"}[lang]  # fmt: skip
    expect(phone_page.locator("main h1")).to_have_text(heading)
    assert_accessible(phone_page)

    revoke_cards_before(db, child, utcnow())
    db.commit()
    phone_page.goto("/verify")
    phone_page.locator("textarea[name=text]").fill("\n".join(split.qr_chunks))
    _submit(phone_page, "check_text")
    heading = {"en": "Corrected since: do not accept this printout",
               "es": "Corregida después: no acepte esta copia impresa"}[lang]  # fmt: skip
    expect(phone_page.locator("main h1")).to_have_text(heading)
    expect(phone_page.locator("main table.by-vaccine tbody tr").first).to_be_visible()
    assert_accessible(phone_page)
    assert_no_sideways_scroll(phone_page)


SCHOOL_CHECK = {
    "k12_entry": {
        "en": "Meets California K-12 entry requirements as of",
        "es": "Cumple con los requisitos de ingreso a K-12 de California al",
    },
    "childcare": {
        "en": "Meets California child care requirements as of",
        "es": "Cumple con los requisitos de cuidado infantil de California al",
    },
}
NO = {"en": ": no", "es": ": no"}
POLIO_MISSING = {"en": "Polio", "es": "Polio"}
HIB = {"en": "Hib", "es": "Hib"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_school_picks_the_requirement_on_a_phone(
    phone_page: Page, assert_accessible: Any, printed: dict[str, Any], lang: str
) -> None:
    """The card holds one DTaP-HepB-IPV, MMR and varicella: short of every requirement."""
    from tests.browser.conftest import assert_no_sideways_scroll

    page = phone_page
    page.goto("/verify")
    switch_language(page, lang)
    select = page.locator("select#code-requirement")
    expect(select).to_have_value("k12_entry")
    page.locator("input[name=code]").fill(printed["code"])
    select.select_option("childcare")
    _submit(page, "check_code")
    expect(page.locator("main h1")).to_have_text(HEADINGS["authentic"][lang])
    school = page.locator("main section.school-check")
    heading = school.locator("h2")
    expect(heading).to_contain_text(SCHOOL_CHECK["childcare"][lang])
    expect(heading).to_contain_text(NO[lang])
    missing = school.locator("li")
    expect(missing).to_have_count(4)  # polio, DTaP, hep B, Hib; MMR and varicella are met
    expect(missing.filter(has_text=re.compile(rf"^{HIB[lang]}$"))).to_have_count(1)
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    school.screenshot(path=f"/tmp/verify-school-{lang}.png")

    page.goto("/verify")
    page.locator("input[name=code]").fill(printed["code"])
    _submit(page, "check_code")  # K-12 entry unless the school picks another
    expect(school.locator("h2")).to_contain_text(SCHOOL_CHECK["k12_entry"][lang])
    expect(missing.filter(has_text=re.compile(rf"^{POLIO_MISSING[lang]}$"))).to_have_count(1)
    expect(missing.filter(has_text=re.compile(rf"^{HIB[lang]}$"))).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=f"/tmp/verify-page-{lang}.png", full_page=True)
