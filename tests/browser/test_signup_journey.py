"""Sign up, confirm the email from the demo mailbox, sign in: the first thing a parent does."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

EMAIL = "new.parent@example.org"
PASSWORD = "Lantern-harbor-quietly-4821"


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    settings["DEMO"] = True  # the demo mailbox shows the confirmation email
    return settings


def _path(href: str) -> str:
    """The link's path and query: mail links carry the public URL, not the test server's."""
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_sign_up_confirm_the_email_and_sign_in(page: Page, assert_accessible) -> None:
    page.goto("/signup")
    assert urlsplit(page.url).path == "/signup"
    assert_accessible(page)
    form = page.locator("main form:has(input[name=email])")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.get_by_label(re.compile(r"confirm|again|repeat", re.IGNORECASE)).fill(PASSWORD)
    form.locator("[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path != "/signup", "the sign-up form was refused"
    assert_accessible(page)

    page.goto("/demo/mailbox")
    message = page.locator("article", has_text=EMAIL).first
    expect(message).to_be_visible()
    assert_accessible(page)
    links = message.locator("a[href*=confirm]")
    link = (links.first if links.count() else message.locator("a").first).get_attribute("href")
    assert link, "the confirmation email carries no link"

    page.goto(_path(link))
    # Confirming may take a button press (so that mail scanners opening links confirm nothing).
    confirm = page.locator("main form [type=submit]")
    if confirm.count() == 1:
        confirm.click()
    assert_accessible(page)

    page.goto("/login")
    form = page.locator("main form:has(input[name=email])")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()

    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert urlsplit(page.url).path != "/login"
    assert_accessible(page)
