"""The supervisor's figures and ready answers in a real browser: the chart and its table,
a ready answer added (after a missing Spanish text), edited and retired, the agent's
request page offering it in the family's language, the changes in the audit trail. axe on
each page, English on a desktop and Spanish on a 360 px phone.

Screenshots go to /tmp/portal-shots/ (outside the repository) for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.requests.models import Request, RequestKind, RequestStatus
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_no_sideways_scroll,
    pass_second_factor,
    sign_in,
    switch_language,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/portal-shots")




def _both_languages(page: Page, assert_accessible: Any, shot: str) -> None:
    for lang, size in (("es", PHONE), ("en", DESKTOP)):
        switch_language(page, lang)
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"{shot}-{lang}.png"), full_page=True)


def test_supervisor_reads_the_figures_and_keeps_the_ready_answers(
    browser: Any, live_server: str, app: Flask, db: Any, make: Any, assert_accessible: Any
) -> None:
    SHOTS.mkdir(exist_ok=True)
    boss = make.user(role=Role.SUPERVISOR, email="boss@example.org")
    agent = make.user(role=Role.AGENT, email="agent@example.org")
    family = make.user(locale="es")
    now = utcnow()
    ages = {RequestKind.LOCK: (0, 0, 3), RequestKind.CORRECTION: (1, 8, 20, 40),
            RequestKind.VERIFICATION: (4,)}  # fmt: skip
    for kind, days in ages.items():
        for day in days:
            at = now - timedelta(days=day, minutes=5)
            db.add(Request(kind=kind, requester=family, created_at=at, updated_at=at))
    worked = Request(kind=RequestKind.VERIFICATION, requester=family, assignee=agent,
                     status=RequestStatus.IN_REVIEW, created_at=now, updated_at=now)  # fmt: skip
    db.add(worked)
    db.add(Request(kind=RequestKind.LOCK, requester=family, status=RequestStatus.APPROVED,
                   created_at=now - timedelta(days=3), updated_at=now,
                   closed_at=now - timedelta(days=1)))  # fmt: skip
    db.commit()
    old = make.canned_reply(title_en="No matching record", title_es="No hay registro")

    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, boss.email, PASSWORD)
    pass_second_factor(page, app, boss)

    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help-desk figures")
    chart = page.get_by_role("img", name="Open requests by kind and age")
    expect(chart).to_be_visible()
    expect(page.locator(".figure-line")).to_contain_text("9 open requests")
    table = page.locator("table").first
    expect(table.locator("tr", has_text="Correct the record")).to_contain_text("4")
    expect(table.locator("tfoot")).to_contain_text("9")
    _both_languages(page, assert_accessible, "overview")

    page.get_by_role("link", name="Ready answers").click()
    page.get_by_role("link", name="Add a ready answer").click()
    page.get_by_label("Title (English)").fill("Ask for page two")
    page.get_by_label("Text (English)").fill("Please send the second page.")
    page.get_by_label("Title (Español)").fill("Pedir la página dos")
    page.locator("main form [type=submit]").click()
    half_written = "Enter the text too, or leave both empty."  # Spanish title, no text
    expect(page.locator(".error-summary")).to_contain_text(half_written)
    expect(page.get_by_label("Title (English)")).to_have_value("Ask for page two")
    assert_accessible(page)  # (a language switch would reload the form: the crawl checks es)
    page.screenshot(path=str(SHOTS / "reply-error-en.png"), full_page=True)
    page.get_by_label("Text (Español)").fill("Envíe la segunda página.")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Ask for page two")

    page.get_by_role("button", name=f"Retire {old.title('en')}").click()
    expect(page.locator(".flash-success")).to_contain_text("retired")
    _both_languages(page, assert_accessible, "replies")

    page.get_by_role("link", name="Audit trail").first.click()
    expect(page.locator("main")).to_contain_text("Added a ready answer")
    expect(page.locator("main")).to_contain_text("Retired a ready answer")
    assert_accessible(page)
    context.close()

    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    sign_in(page, agent.email, PASSWORD)
    pass_second_factor(page, app, agent)
    page.goto(f"/staff/requests/{worked.id}")
    options = page.locator("select#reply option")
    expect(options).to_have_text(["Ask for page two"])  # the retired one is not offered
    page.locator("form.canned button").click()
    expect(page.locator("#note-ask_info")).to_have_value("Envíe la segunda página.")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    context.close()
