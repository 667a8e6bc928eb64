"""Each of the seven languages in a browser: a parent signs in, switches to it, opens
"My records" and a record; the pages carry the language's html lang, its own words, and
pass axe. The header's switcher names every language in itself and fits a 360 px phone.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from portal.languages import LANGUAGES
from portal.translate import TRANSLATIONS
from tests.browser.conftest import (
    PHONE,
    assert_no_sideways_scroll,
    expect_path,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")


@pytest.mark.parametrize("lang", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_my_records_and_a_record_in_each_language(
    page: Page, assert_accessible: Any, make: Any, lang: Any
) -> None:
    words = Translations.load(str(TRANSLATIONS), [lang.code])
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López")
    make.dose(child)
    link = make.link(parent, child)
    SHOTS.mkdir(exist_ok=True)

    sign_in(page, parent.email, PASSWORD)
    switch_language(page, lang.code)
    page.goto("/records")

    expect(page.locator("html")).to_have_attribute("lang", lang.html_lang)
    expect(page.locator("main h1")).to_have_text(words.gettext("My records"))
    if lang.code != "en":  # the heading is the language's own, not English left in place
        assert words.gettext("My records") != "My records", f"{lang.code} lacks 'My records'"
    switcher = page.locator("header .language-list")
    expect(switcher.locator(f"[lang='{lang.html_lang}'][aria-current]")).to_have_text(lang.endonym)
    for other in LANGUAGES:
        expect(switcher.locator(f"[lang='{other.html_lang}']")).to_have_text(other.endonym)
    assert_accessible(page)

    page.locator("main .record-card h2 a", has_text="Lucía García-López").click()
    expect_path(page, f"/records/{link.id}")
    expect(page.locator("html")).to_have_attribute("lang", lang.html_lang)
    expect(page.locator("h1")).to_have_text(
        words.gettext("Shot record for %(name)s") % {"name": "Lucía García-López"}
    )
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"language-{lang.code}.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page)
    expect(switcher).to_be_visible()
    page.screenshot(path=SHOTS / f"language-{lang.code}-phone.png", full_page=True)
