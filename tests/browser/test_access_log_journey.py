"""A parent opens "Who looked at this record" from the record page, on a phone, in both languages.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import Role
from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome, OrgKind
from tests.browser.conftest import assert_no_sideways_scroll, expect_path, sign_in, switch_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")
T0 = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def family(make: Any, db: Any) -> tuple[Any, Any]:
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López")
    orgs = [
        make.org(name="Sunrise Pediatrics", kind=OrgKind.PROVIDER),
        make.org(name="Blossom Trail Pharmacy", kind=OrgKind.PHARMACY),
        make.org(name="Roosevelt Elementary", kind=OrgKind.SCHOOL),
    ]
    agent = make.user(role=Role.AGENT)
    events = [
        AccessEvent(patient=child, occurred_at=T0 + timedelta(days=i), organization=orgs[i % 3],
                    action=(AccessAction.SUBMIT, AccessAction.QUERY, AccessAction.VERIFY)[i % 3],
                    channel=(AccessChannel.HL7, AccessChannel.HL7, AccessChannel.VERIFIER)[i % 3],
                    outcome=AccessOutcome.DENIED if i % 3 == 1 else AccessOutcome.ALLOWED,
                    reason="not shared" if i % 3 == 1 else None)
        for i in range(55)
    ]  # fmt: skip
    events.append(
        AccessEvent(patient=child, occurred_at=T0 + timedelta(days=60), user_id=agent.id,
                    action=AccessAction.VIEW, channel=AccessChannel.PORTAL,
                    outcome=AccessOutcome.ALLOWED)
    )  # fmt: skip
    db.add_all(events)
    db.commit()
    return parent, make.link(parent, child)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_who_looked_on_a_phone(
    phone_page: Page, assert_accessible: Any, family: tuple[Any, Any], lang: str
) -> None:
    page = phone_page
    parent, link = family
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang)
    page.goto(f"/records/{link.id}")
    page.locator("main a.access-link, main .access-link a").click()

    expect_path(page, f"/records/{link.id}/access")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(50)
    help_desk = "The registry's help desk" if lang == "en" else "La mesa de ayuda del registro"
    expect(rows.first).to_contain_text(help_desk)
    refused = "locked (not shared)" if lang == "en" else "bloqueado (no compartido)"
    expect(page.locator("main tr.refused").first).to_contain_text(refused)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"access-log-{lang}-360.png"), full_page=False)

    page.locator("main nav.pager a[rel=next]").click()
    expect(rows).to_have_count(6)
    assert "2026" not in page.url and "Luc" not in page.url
    assert_accessible(page)
    page.locator("main nav.pager a[rel=prev]").click()
    expect(rows).to_have_count(50)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / f"access-log-{lang}-desktop.png"))
    with page.expect_download() as download:
        page.locator("main a[href$='/access.csv']").first.click()
    assert download.value.suggested_filename.startswith("access-log-CA")


def test_the_empty_state_on_a_phone(phone_page: Page, assert_accessible: Any, make: Any) -> None:
    parent = make.user()
    link = make.link(parent, make.patient())
    sign_in(phone_page, parent.email, PASSWORD)
    phone_page.goto(f"/records/{link.id}/access")
    expect(phone_page.locator("main h2#empty-heading")).to_contain_text(
        "No organization has looked at this"
    )
    assert_no_sideways_scroll(phone_page)
    assert_accessible(phone_page)
    phone_page.screenshot(path=str(SHOTS / "access-log-empty-360.png"))
