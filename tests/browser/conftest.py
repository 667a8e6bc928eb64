"""Browser tests: the test app served on a free local port, driven by Debian's Chromium.

Playwright cannot download its own browsers here, so it drives /usr/bin/chromium.
Locally the tests skip (with the reason) when Chromium or axe-core is
missing; with CI=true they fail instead, so CI never goes green without them.
`bash scripts/test.sh` installs all three.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from flask import Flask
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 800}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> NoReturn:
    """Skip locally; in CI a missing browser is a failure, not a skip."""
    if in_ci():
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"{reason} (bash scripts/test.sh installs it)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _unavailable(f"axe-core is missing: {AXE.relative_to(ROOT)} (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is missing: {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass  # one line per request would drown the test output


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app on 127.0.0.1:<free port>; yields its base URL.

    The server thread uses the same database as the test (a SQLite file, or the
    PostgreSQL test database), so rows made with `make` are visible to it.
    """
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _open_page(browser: Any, base_url: str, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_violations: list[str] = []
    page_errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    # Inline script or style that the CSP blocks would silently break a page for people.
    assert csp_violations == [], f"the page broke its Content Security Policy: {csp_violations}"
    assert page_errors == [], f"JavaScript errors on the page: {page_errors}"


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh browser context at 1280x800 whose relative URLs go to the live server."""
    yield from _open_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh browser context 360 px wide, the narrowest phone we support."""
    yield from _open_page(browser, live_server, PHONE)


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[[Any], None]:
    """assert_accessible(page): axe-core finds no WCAG 2.1 A/AA violation on the page."""

    def check(page: Any) -> None:
        # The CSP (script-src 'self') blocks add_script_tag's inline script; evaluate is exempt.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')),
                }));
            }""",
            WCAG_TAGS,
        )
        if violations:
            lines = [
                f"- {v['id']} ({v['impact']}): {v['help']}; at {', '.join(v['targets'])}"
                for v in violations
            ]
            pytest.fail(
                f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
                + "\n".join(lines),
                pytrace=False,
            )

    return check


# --- Helpers for the signed-in journeys (linking, record, verify) -------------------------


def sign_in(page: Any, email: str, password: str) -> None:
    """Sign in through the real /login form, as a person would."""
    page.goto("/login")
    form = page.locator("main form:has(input[name=email])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    # The sign-out button in the header is there only for a signed-in visitor.
    expect(page.locator("header form[action='/logout'] button")).to_be_visible()


def switch_language(page: Any, lang: str) -> None:
    """Press the header's language button unless the page is already in `lang` (a code of
    portal/languages.py: the page's html lang is its tag, zh-Hant for zh_Hant)."""
    from portal.languages import language

    tag = language(lang).html_lang
    if page.locator("html").get_attribute("lang") != tag:
        page.locator(f"header form[action='/language'] button[value='{lang}']").click()
    expect(page.locator("html")).to_have_attribute("lang", tag)


def expect_path(page: Any, path: str, message: str | None = None) -> None:
    """Wait for the page to arrive at `path` (a click's navigation may still be running)."""
    expect(page, message).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))


def assert_no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways: {width} px wide at {viewport} px"


def pass_second_factor(page: Any, app: Flask, user: Any) -> None:
    """The authenticator step after the password: the code from the user's sealed secret."""
    import pyotp

    from portal.accounts.sealing import SecretBox

    expect_path(page, "/account/second-factor")
    secret = SecretBox(app.config["SECRET_KEY"]).open(user.totp_secret)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile("second-factor"))
