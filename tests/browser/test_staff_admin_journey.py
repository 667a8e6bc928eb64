"""A supervisor creates an agent; the agent replaces the temporary password, then enrols the
authenticator; the supervisor finds both in the audit trail. axe on each page, in English
and in Spanish (Spanish at 360 px)."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import Role
from portal.accounts.sealing import SecretBox
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_no_sideways_scroll,
    expect_path,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
NEW = "rio grande valley mornings"


def _check_both_languages(page: Page, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    for lang, size in (("es", PHONE), ("en", DESKTOP)):
        switch_language(page, lang)
        page.set_viewport_size(size)
        assert_accessible(page)
        if lang == "es":
            assert_no_sideways_scroll(page)


def _code(page: Page, secret: str) -> None:
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile("second-factor"))


def test_supervisor_creates_an_agent_who_signs_in_and_shows_in_the_audit_trail(
    browser, live_server, app, make, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    boss = make.user(role=Role.SUPERVISOR, email="boss@example.org", full_name="Bea Boss")
    make.user(role=Role.AGENT, email="old.agent@example.org", full_name="Omar Old")
    patient = make.patient(registry_id="CA00007777")
    box = SecretBox(app.config["SECRET_KEY"])

    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, boss.email, PASSWORD)
    _code(page, box.open(boss.totp_secret))

    page.goto("/staff/accounts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    _check_both_languages(page, assert_accessible)

    page.goto("/staff/accounts/new")
    page.locator("main form [type=submit]").click()  # empty: the error state
    expect(page.locator(".error-summary")).to_be_visible()
    _check_both_languages(page, assert_accessible)
    page.locator("input[name=email]").fill("nia@example.org")
    page.locator("input[name=full_name]").fill("Nia Reyes")
    page.locator("select[name=role]").select_option("agent")
    page.locator("main form [type=submit]").click()
    password = page.locator(".temporary-password").inner_text()
    assert len(password) >= 12
    assert_accessible(page)

    agent_context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    agent = agent_context.new_page()
    sign_in(agent, "nia@example.org", password)
    expect_path(agent, "/account/new-password")
    _check_both_languages(agent, assert_accessible)
    switch_language(agent, "en")
    agent.locator("input[name=password]").fill(NEW)
    agent.locator("input[name=confirm]").fill(NEW)
    agent.locator("main form [type=submit]").click()
    expect_path(agent, "/account/second-factor")
    _code(agent, agent.locator(".totp-secret").inner_text().replace(" ", ""))
    agent.goto(f"/staff/patients/{patient.id}")
    expect(agent.locator("main")).to_contain_text("CA00007777")

    page.goto("/staff/audit")
    page.locator("input[name=staff_email]").fill("nia@example.org")
    page.locator("main form [type=submit]").click()
    table = page.locator("main table")
    expect(table).to_contain_text("Opened a record")
    expect(table).to_contain_text("Replaced a temporary password")
    expect(table).to_contain_text("CA00007777")
    _check_both_languages(page, assert_accessible)
    page.screenshot(path="/tmp/audit_search_es.png", full_page=True)
    context.close()
    agent_context.close()
