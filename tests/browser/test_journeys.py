"""Journeys a visitor takes in a real browser: language, keyboard, a phone-sized screen, axe."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

ES_CATALOG = ROOT / "portal" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PAGES = {"home": "/", "sign-in": "/login", "not found": "/no-such-page"}


def test_home_page_switches_to_spanish_with_the_language_button(
    page: Page, assert_accessible
) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert urlsplit(page.url).path == "/"
    assert_accessible(page)

    page.goto("/login")  # the choice sticks for the rest of the visit
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The way back is offered in its own language, and leaves you on the same page.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/login"


@pytest.mark.skipif(not ES_CATALOG.exists(), reason="no Spanish catalog yet (portal/translations)")
def test_home_page_reads_in_spanish_after_the_switch(page: Page) -> None:
    page.goto("/")
    english_heading = page.locator("h1").inner_text()
    english_sign_in = page.locator("header nav").inner_text()

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).not_to_have_text(english_heading)
    expect(page.locator("header nav")).not_to_have_text(english_sign_in)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_passes_axe_on_a_desktop_screen(page: Page, assert_accessible, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if path == "/no-such-page" else 200)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(page: Page) -> None:
    page.goto("/")
    skip_link = page.locator("a.skip-link")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_scrolling_at_360_px(phone_page: Page, assert_accessible, path: str) -> None:
    phone_page.goto(path)
    expect(phone_page.locator("h1")).to_be_visible()

    scroll_width = phone_page.evaluate("document.scrollingElement.scrollWidth")

    assert scroll_width <= 360, f"{path} scrolls sideways at 360 px: {scroll_width} px wide"
    assert_accessible(phone_page)


def test_axe_check_reports_a_real_violation(page: Page, assert_accessible) -> None:
    """The harness itself: a page with an unlabelled image must not pass."""
    page.goto("/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/css/portal.css';
            document.querySelector('main').appendChild(img);
        }"""
    )

    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_accessible(page)
