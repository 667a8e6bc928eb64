"""A parent opens a child's shot record and downloads the printable PDF with its signed QR.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from portal.proof.cards import decode_qr_image
from portal.registry import TbTestType
from tests.browser.conftest import (
    PHONE,
    assert_no_sideways_scroll,
    expect_path,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD
from tests.records.pdftools import pdf_png, pdf_text

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")
BIRTH = date(2019, 3, 14)
# (CVX, age in days): 15 doses of a first-years schedule. 110 (DTaP-HepB-IPV) is a combination.
DOSES = [
    ("08", 0), ("110", 61), ("116", 61), ("133", 61), ("49", 61), ("110", 122),
    ("116", 122), ("133", 122), ("49", 122), ("110", 183), ("133", 183), ("140", 200),
    ("03", 366), ("21", 366), ("83", 366),
]  # fmt: skip
# HepB, DTaP, polio, rotavirus, pneumococcal, Hib, flu, MMR, varicella, hepatitis A.
GROUPS = 10
COMBINATION_ROWS = 3 * 3  # three doses of 110, each listed under DTaP, HepB and polio


@pytest.fixture
def family(make: Any) -> tuple[Any, Any]:
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López", birth_date=BIRTH)
    for cvx, days in DOSES:
        make.dose(child, cvx_code=cvx, given_on=BIRTH + timedelta(days=days))
    make.tb_test(
        child, test_type=TbTestType.SKIN, placed_on=date(2024, 8, 1), read_on=date(2024, 8, 3)
    )
    return parent, make.link(parent, child)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_record_page_and_printable_pdf(
    page: Page, assert_accessible: Any, family: tuple[Any, Any], lang: str
) -> None:
    parent, link = family
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)

    page.goto("/records")
    page.locator("main .record-card h2 a", has_text="Lucía García-López").click()

    expect_path(page, f"/records/{link.id}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_contain_text("Lucía García-López")
    gap = page.evaluate(
        "() => document.querySelector('main h1').getBoundingClientRect().top"
        " - document.querySelector('header').getBoundingClientRect().bottom"
    )
    assert gap >= 16, f"the page title is squeezed against the header ({gap} px)"
    shots = page.locator("section[aria-labelledby=shots-heading]")
    expect(shots.locator("h3")).to_have_count(GROUPS)
    expect(shots.locator("table tbody tr")).to_have_count(len(DOSES) + 2 * 3)
    expect(shots.locator(".combo-note")).to_have_count(COMBINATION_ROWS)
    if lang == "en":
        expect(shots).to_contain_text("15 doses are recorded.")
    tb_rows = page.locator("section[aria-labelledby=tb-heading] table tbody tr")
    expect(tb_rows).to_have_count(1)
    expect(tb_rows).to_contain_text("2024")

    timeline = page.locator("section[aria-labelledby=timeline-heading] svg[role=img]")
    expect(timeline).to_have_count(1)
    # A short name, and the long explanation as its description rather than part of the name.
    heading = page.locator("#timeline-heading").inner_text()
    expect(timeline).to_have_accessible_name(heading)
    expect(timeline).to_have_accessible_description(re.compile(r"\w+( \w+){10}"))
    if lang == "en":
        expect(timeline).to_have_accessible_name("Shots by age")
    # One mark per dose per group it counts for: the same rows as the tables.
    expect(timeline.locator("g > title")).to_have_count(len(DOSES) + 2 * 3)
    hint = page.locator(".timeline-scroll-hint")
    expect(hint).to_be_hidden()  # the whole timeline fits: nothing to scroll to
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"record-{lang}.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page)
    # On a phone the timeline scrolls inside its own box, and the page says so.
    expect(hint).to_be_visible()
    assert page.evaluate(
        "() => { const s = document.querySelector('.timeline-scroll');"
        " return s.scrollWidth > s.clientWidth + 100; }"
    )
    page.screenshot(path=SHOTS / f"record-{lang}-phone.png", full_page=True)
    jump = page.locator("nav.jump-list a")
    expect(jump).to_have_count(GROUPS)
    jump.nth(GROUPS - 2).click()
    expect(page.locator(f"#group-{GROUPS - 1}")).to_be_in_viewport()
    page.goto(f"/records/{link.id}")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator(f"main form[action='/records/{link.id}/shot-record.pdf'] button").click()
    download = download_info.value
    # Per record and day, by registry id, never by name.
    assert re.fullmatch(
        rf"shot-record-{link.patient.registry_id}-\d{{4}}-\d{{2}}-\d{{2}}\.pdf",
        download.suggested_filename,
    ), download.suggested_filename
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert urlsplit(page.url).path == f"/records/{link.id}", "printing left the record page"

    first_page = pdf_png(pdf, page=1, dpi=150)
    (SHOTS / f"pdf-page1-{lang}.png").write_bytes(first_page)
    texts = decode_qr_image(first_page)
    assert len(texts) == 1 and texts[0].startswith("shc:/"), texts
    printed = pdf_text(pdf, page=1)
    assert "García-López" in printed
    assert "12 Elm St" not in printed and "5595550123" not in printed
