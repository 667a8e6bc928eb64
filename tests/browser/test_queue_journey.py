"""An agent signs in with the authenticator, lands on the queue, filters it, claims a request,
and finds a patient: checked with axe in English and Spanish, 360 px wide.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.requests.models import Request, RequestKind
from tests.browser.conftest import assert_no_sideways_scroll, expect_path, sign_in, switch_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")


@pytest.fixture
def work(db: Any, make: Any) -> dict[str, Any]:
    agent = make.user(role=Role.AGENT, full_name="Marisol Vega")
    family = make.user()
    child = make.patient(registry_id="CA00004242", first_name="Lucía", last_name="García-López",
                         birth_date=date(2019, 3, 14))  # fmt: skip
    made = []
    for kind, days in [
        (RequestKind.CORRECTION, 30),
        (RequestKind.LOCK, 1),
        (RequestKind.VERIFICATION, 2),
    ]:
        at = utcnow() - timedelta(days=days)
        made.append(
            Request(kind=kind, requester=family, patient=child, created_at=at, updated_at=at)
        )
    db.add_all(made)
    db.commit()
    return {"agent": agent, "requests": made, "child": child}


def _second_factor(page: Page, agent: Any) -> None:
    expect_path(page, "/account/second-factor")
    page.locator("input[name=code]").fill(pyotp.TOTP(agent.totp_secret).now())
    page.locator("main form [type=submit]").click()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_agent_lands_on_the_queue_filters_and_claims(
    phone_page: Page, assert_accessible: Any, work: dict[str, Any], lang: str
) -> None:
    page, agent = phone_page, work["agent"]
    page.goto("/login")
    switch_language(page, lang)
    sign_in(page, agent.email, PASSWORD)
    _second_factor(page, agent)
    expect_path(page, "/staff/queue")
    rows = page.locator("table.queue-table tbody tr")
    expect(rows).to_have_count(3)
    overdue = "Overdue" if lang == "en" else "Vencida"
    expect(rows.first).to_contain_text(overdue)  # the 30-day-old correction, oldest first
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"queue-{lang}-360.png"), full_page=True)

    page.locator("select[name=age]").select_option("overdue")
    page.locator("form.filters [type=submit]").click()
    expect(rows).to_have_count(1)
    assert_accessible(page)

    oldest = work["requests"][0]
    rows.first.locator("form button").click()
    expect_path(page, f"/staff/requests/{oldest.id}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_agent_finds_a_patient(
    phone_page: Page, assert_accessible: Any, work: dict[str, Any], lang: str
) -> None:
    page, agent = phone_page, work["agent"]
    page.goto("/login")
    switch_language(page, lang)
    sign_in(page, agent.email, PASSWORD)
    _second_factor(page, agent)
    page.goto("/staff/search")
    page.locator("main form [type=submit]").click()  # empty: a form error, said in words
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=last_name]").fill("garcía-lópez")
    page.locator("input[name=birth_date]").fill("2019-03-14")
    page.locator("main form [type=submit]").click()
    result = page.locator("main table a")
    expect(result).to_have_count(1)
    assert "Lucía" not in page.url and "2019" not in page.url  # no PHI in the address
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"search-{lang}-360.png"), full_page=True)
    result.click()
    expect_path(page, f"/staff/patients/{work['child'].id}")
