"""An agent works one request in a real browser: claims it, uses a ready answer, corrects a
dose and approves; each page passes axe, in English and Spanish, on a 360 px phone.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.registry import Immunization
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus
from tests.browser.conftest import (
    PHONE,
    assert_no_sideways_scroll,
    pass_second_factor,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/portal-shots")




@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_agent_claims_answers_and_corrects_a_dose(
    page: Page, assert_accessible: Any, app: Flask, db: Any, make: Any, lang: str
) -> None:
    SHOTS.mkdir(exist_ok=True)
    family = make.user(locale="es")
    agent = make.user(role=Role.AGENT)
    child = make.patient(first_name="Lucía", last_name="García-López")
    dose = make.dose(child, cvx_code="03", given_on=date(2020, 3, 20))
    make.canned_reply()  # a fresh database has it from its migration
    now = utcnow()
    request = Request(
        kind=RequestKind.CORRECTION, requester=family, patient=child, created_at=now,
        updated_at=now, details={"description": "The MMR was on March 2, not March 20."},
    )  # fmt: skip
    db.add(request)
    db.add(RequestEvent(request=request, at=now, actor_id=family.id, action="submitted",
                        status=RequestStatus.SUBMITTED))  # fmt: skip
    db.commit()

    page.set_viewport_size(PHONE)
    sign_in(page, agent.email, PASSWORD)
    pass_second_factor(page, app, agent)
    switch_language(page, lang)
    page.goto(f"/staff/requests/{request.id}")
    expect(page.locator("h1")).to_contain_text(str(request.id))
    expect(page.locator("#record-heading")).to_be_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.locator("form[action$='/action']:has(input[value=claim]) button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.locator("select#reply").select_option(
        label="Ask for a clearer document" if lang == "en" else "Pedir un documento más claro"
    )
    page.locator("form.canned button").click()
    # The family's account is in Spanish: the ready text is Spanish whatever the page's language.
    expect(page.locator("#note-ask_info")).to_have_value(re.compile("^No pudimos leer"))
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"staff-request-{lang}.png"), full_page=True)

    page.locator("select#dose_id").select_option(str(dose.id))
    page.locator("input#given_on").fill("2020-03-02")
    page.locator("form[action$='/approve'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table:has(th:text-is('%s'))" % ("Before" if lang == "en" else "Antes")))\
        .to_contain_text("2020-03-20")  # fmt: skip
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"staff-request-approved-{lang}.png"), full_page=True)

    db.expire_all()
    assert db.get(Immunization, dose.id).given_on == date(2020, 3, 2)
    assert db.get(Request, request.id).status is RequestStatus.APPROVED


def test_filing_a_request_for_a_family_passes_axe(
    page: Page, assert_accessible: Any, app: Flask, make: Any
) -> None:
    agent = make.user(role=Role.AGENT)
    page.set_viewport_size(PHONE)
    sign_in(page, agent.email, PASSWORD)
    pass_second_factor(page, app, agent)
    for lang in ("en", "es"):
        switch_language(page, lang)
        page.goto("/staff/requests/new")
        assert_accessible(page)
        page.locator("main form [type=submit]").click()  # empty: the error state
        expect(page.locator(".error-summary")).to_be_visible()
        assert_accessible(page)
        assert_no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "staff-new-request-es.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_agent_verifies_a_parent_and_the_child_is_in_their_list(
    browser: Any, page: Page, assert_accessible: Any, app: Flask, db: Any, make: Any, lang: str
) -> None:
    parent = make.user()
    agent = make.user(role=Role.AGENT)
    child = make.patient(first_name="Mateo", last_name="Núñez", birth_date=date(2020, 5, 1))
    now = utcnow()
    request = Request(
        kind=RequestKind.VERIFICATION, requester=parent, created_at=now, updated_at=now,
        details={"first_name": "Mateo", "middle_name": "", "last_name": "Núñez",
                 "birth_date": "2020-05-01", "relationship": "parent", "note": ""},
    )  # fmt: skip
    db.add(request)
    db.commit()

    page.set_viewport_size(PHONE)
    sign_in(page, agent.email, PASSWORD)
    pass_second_factor(page, app, agent)
    switch_language(page, lang)
    page.goto(f"/staff/requests/{request.id}")
    page.locator("form[action$='/action']:has(input[value=claim]) button").click()
    page.locator("input#registry_id").fill(child.registry_id)
    page.locator("form[action$='/approve'] button[type=submit]").click()
    expect(page.locator("#record-heading")).to_be_visible()  # the record, to confirm
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"staff-confirm-link-{lang}.png"), full_page=True)
    page.locator("main form[action$='/approve'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.locator("form[action$='/access-code'] button").click()
    code = page.locator("p.access-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9-]{16,19}$"))
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    family = browser.new_page(base_url=page.url.split("/staff")[0])
    sign_in(family, parent.email, PASSWORD)
    family.goto("/records")
    expect(family.locator("main")).to_contain_text("Mateo Núñez")
    family.close()
