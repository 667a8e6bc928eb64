"""Adding a child's record by automatic match: details, a code from the mailbox, My records."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portal.linking.models import LinkChallenge, PatientLink
from tests.browser.conftest import (
    assert_no_sideways_scroll,
    expect_path,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es"]
EMAIL_ON_FILE = "garcia.family@example.org"


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    settings["DEMO"] = True  # the demo mailbox shows the code the portal sent
    return settings


@pytest.fixture
def child(make: Any) -> Any:
    return make.patient(
        first_name="Lucía",
        last_name="García-López",
        birth_date=date(2019, 3, 14),
        email=EMAIL_ON_FILE,
        phone="5595550188",
    )


def _ask_for_a_code(page: Page, check: Any, lang: str) -> None:
    """From the header's "Add a record" link through the match form to the code page."""
    page.locator("header nav a[href='/records/add']").click()
    expect_path(page, "/records/add")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check(page)

    page.locator("main a[href='/records/add/match']").click()
    expect(page.locator("input[name=first_name]")).to_be_visible()
    check(page)
    # Typed as a parent might: no accents, no capitals, a space for the hyphen.
    page.locator("input[name=first_name]").fill("lucia")
    page.locator("input[name=last_name]").fill("garcia lopez")
    page.locator("input[name=birth_date]").fill("2019-03-14")
    page.locator("input[name=contact]").fill(" Garcia.Family@Example.org ")
    page.locator("main form button[type=submit]").click()

    expect_path(page, "/records/add/code", "the match form was refused")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    lead = page.locator("main p.lead")
    if lang == "en":
        expect(lead).to_have_text(
            "If the details match a record, we have sent a code to the contact on that record."
        )
    else:
        expect(lead).to_be_visible()
    expect(page.locator("input[name=code]")).to_be_visible()
    check(page)


def _code_from_mailbox(page: Page, check: Any) -> str:
    page.goto("/demo/mailbox")
    message = page.locator("main article", has_text=EMAIL_ON_FILE)
    expect(message).to_have_count(1)
    check(page)
    match = re.search(r"\b(\d{6})\b", message.locator("pre").inner_text())
    assert match, "the message to the email on file carries no 6-digit code"
    return match.group(1)


def _enter_code(page: Page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()


def _links(db: Any, user: Any) -> list[PatientLink]:
    db.expire_all()
    return db.scalars(sa.select(PatientLink).where(PatientLink.user_id == user.id)).all()


def _match_and_link(page: Page, check: Any, make: Any, db: Any, child: Any, lang: str) -> None:
    parent = make.user()
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)

    _ask_for_a_code(page, check, lang)
    code = _code_from_mailbox(page, check)
    page.goto("/records/add/code")
    _enter_code(page, code)

    expect_path(page, "/records", "the right code did not lead to My records")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    card = page.locator("main .record-card")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_contain_text("Lucía García-López")
    expect(card).to_contain_text("2019")
    check(page)
    assert [link.patient_id for link in _links(db, parent)] == [child.id]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_automatic_match_adds_the_child_to_my_records(
    page: Page, assert_accessible: Any, make: Any, db: Any, child: Any, lang: str
) -> None:
    _match_and_link(page, assert_accessible, make, db, child, lang)


def test_automatic_match_on_a_phone(
    phone_page: Page, assert_accessible: Any, make: Any, db: Any, child: Any
) -> None:
    def check(page: Page) -> None:
        assert_no_sideways_scroll(page)
        assert_accessible(page)

    _match_and_link(phone_page, check, make, db, child, "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_five_wrong_codes_end_the_code(
    page: Page, assert_accessible: Any, make: Any, db: Any, child: Any, lang: str
) -> None:
    parent = make.user()
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)
    _ask_for_a_code(page, assert_accessible, lang)
    right = _code_from_mailbox(page, assert_accessible)
    wrong = f"{(int(right) + 1) % 10**6:06d}"

    # A second tab holds the code form, as a parent who opened it twice would.
    other_tab = page.context.new_page()
    other_tab.goto("/records/add/code")
    expect(other_tab.locator("input[name=code]")).to_be_visible()

    page.goto("/records/add/code")
    for tries_left in (4, 3, 2, 1):
        _enter_code(page, wrong)
        error = page.locator("#code-error")
        expect(error).to_contain_text(str(tries_left))
        if lang == "en":
            expect(error).to_have_text(f"That code is not right. Tries left: {tries_left}.")
        expect(page.locator("input[name=code]")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    _enter_code(page, wrong)

    expect(page.locator("main [role=alert]")).to_be_visible()
    if lang == "en":
        expect(page.locator("main [role=alert]")).to_contain_text("This code no longer works")
    expect(page.locator("input[name=code]")).to_have_count(0)
    expect(page.locator("main a[href='/records/add/match']").first).to_be_visible()
    assert_accessible(page)

    # The right code, typed now in the other tab, links nothing.
    _enter_code(other_tab, right)
    expect_path(other_tab, "/records/add/match")
    other_tab.goto("/records")
    expect(other_tab.locator("main .record-card")).to_have_count(0)
    other_tab.close()
    assert _links(db, parent) == []
    db.expire_all()
    challenge = db.scalar(sa.select(LinkChallenge).where(LinkChallenge.user_id == parent.id))
    assert challenge.attempts == 5 and challenge.used_at is None
