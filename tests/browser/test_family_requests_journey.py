"""A parent reports a mistake and asks for a lock, then follows both under "My requests",
in English and in Spanish on a 360 px phone, each page checked with axe.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, expect_path, sign_in, switch_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")
BIRTH = date(2019, 3, 14)
WORDS = {
    "en": {"report": "Report a mistake", "lock": "Lock or unlock this record",
           "ask": "Ask to lock this record", "open": "A request is already open",
           "withdraw": "Withdraw the request", "withdrawn": "You withdrew the request"},
    "es": {"report": "Informar de un error", "lock": "Bloquear o desbloquear este registro",
           "ask": "Pedir que se bloquee este registro", "open": "Ya hay una solicitud abierta",
           "withdraw": "Retirar la solicitud", "withdrawn": "Usted retiró la solicitud"},
}  # fmt: skip


@pytest.fixture
def family(make: Any) -> tuple[Any, Any]:
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López", birth_date=BIRTH)
    for cvx, days in (("08", 0), ("03", 400), ("21", 400)):
        make.dose(child, cvx_code=cvx, given_on=BIRTH + timedelta(days=days))
    return parent, make.link(parent, child)


def _check(page: Page, assert_accessible: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"family-requests-{name}.png"), full_page=True)
    assert_accessible(page)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_report_lock_follow_and_withdraw(
    phone_page: Page, assert_accessible: Any, family: tuple[Any, Any], lang: str
) -> None:
    page, words = phone_page, WORDS[lang]
    parent, link = family
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)

    page.goto(f"/records/{link.id}")
    page.get_by_role("link", name=words["report"]).click()
    expect_path(page, f"/records/{link.id}/report")
    page.locator("main form [type=submit]").click()  # empty: the errors show
    expect(page.locator(".error-summary")).to_be_visible()
    _check(page, assert_accessible, f"report-errors-{lang}")
    page.locator("input[name=about][value=dose]").check()
    page.locator("select[name=dose]").select_option(index=1)
    page.locator("select[name=problem]").select_option("wrong_date")
    page.locator("textarea[name=wrong]").fill("2020-04-18")
    page.locator("textarea[name=right]").fill("2020-04-08")
    _check(page, assert_accessible, f"report-{lang}")
    page.locator("main form [type=submit]").click()
    expect_path(page, "/requests")

    page.goto(f"/records/{link.id}")
    page.get_by_role("link", name=words["lock"]).click()
    expect_path(page, f"/records/{link.id}/sharing")
    _check(page, assert_accessible, f"sharing-{lang}")
    page.get_by_role("button", name=words["ask"]).click()
    expect_path(page, "/requests")
    expect(page.locator("main section.card")).to_have_count(2)
    _check(page, assert_accessible, f"mine-{lang}")

    page.goto(f"/records/{link.id}/sharing")
    expect(page.get_by_role("heading", name=words["open"])).to_be_visible()
    _check(page, assert_accessible, f"sharing-pending-{lang}")

    page.goto("/requests")
    page.get_by_role("link", name=words["withdraw"]).first.click()
    _check(page, assert_accessible, f"withdraw-{lang}")
    page.get_by_role("button", name=words["withdraw"]).click()
    expect_path(page, "/requests")
    expect(page.get_by_text(words["withdrawn"])).to_be_visible()
