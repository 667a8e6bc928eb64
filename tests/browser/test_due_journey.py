"""A parent sees which child is overdue or due soon on My records, reads what is due on the
record page, and turns reminders on, on a 360 px phone, in English and Spanish.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.i18n import local_today
from tests.browser.conftest import assert_no_sideways_scroll, expect_path, sign_in, switch_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")
WORDS = {
    "en": ("A shot is overdue", "A shot is due soon", "What is due", "Dose overdue",
           "Reminders are on."),
    "es": ("Hay una vacuna atrasada", "Pronto toca una vacuna", "Qué vacunas tocan",
           "Dosis atrasada", "Los recordatorios están activados."),
}  # fmt: skip


@pytest.fixture
def family(app: Any, make: Any) -> tuple[Any, Any, Any]:
    with app.app_context():
        today = local_today()
    parent = make.user()
    late = make.patient(first_name="Camila", last_name="Ruiz", birth_date=today - timedelta(300))
    soon = make.patient(first_name="Lucas", last_name="Ruiz", birth_date=today - timedelta(40))
    make.dose(soon, cvx_code="08", given_on=today - timedelta(40))
    make.dose(soon, cvx_code="08", given_on=today - timedelta(9))
    return parent, make.link(parent, late), make.link(parent, soon)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_due_and_overdue_on_a_phone(
    phone_page: Page, assert_accessible: Any, family: tuple[Any, Any, Any], lang: str
) -> None:
    page = phone_page
    parent, late, _soon = family
    overdue, due_soon, heading, dose_overdue, reminders_on = WORDS[lang]
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)

    page.goto("/records")
    cards = page.locator("main .record-card")
    expect(cards.filter(has_text="Camila").locator(".badge-due")).to_have_text(overdue)
    expect(cards.filter(has_text="Lucas").locator(".badge-warn")).to_have_text(due_soon)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"due-my-records-{lang}-360.png"), full_page=True)

    page.locator("main .record-card h2 a", has_text="Camila").click()
    expect_path(page, f"/records/{late.id}")
    due = page.locator("section[aria-labelledby=due-heading]")
    expect(due.locator("h2")).to_have_text(heading)
    expect(due.locator(".due-list .badge-due").first).to_have_text(dose_overdue)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    due.screenshot(path=str(SHOTS / f"due-record-{lang}-360.png"))

    page.locator("section[aria-labelledby=reminders-heading] button").click()
    expect(page).to_have_url(re.compile(rf"/records/{late.id}#reminders-heading$"))
    expect(page.locator("section[aria-labelledby=reminders-heading]")).to_contain_text(
        reminders_on
    )
    assert_accessible(page)
