"""Every page passes axe, for every role, in English and in Spanish.

The pages are every GET rule of `app.url_map` (see crawl.py), their path parameters
filled from one small data set. A page added later is crawled without being listed
here; one whose parameters cannot be filled fails with "no way to fill parameters".
Each role opens the pages its access rule allows, in English, then presses the
header's language button and opens them again in Spanish; each form with a field to
type into is also sent empty once, so that its error state is checked by axe too.
Error pages and states that no plain GET reaches (a bad link, a lock-out, too many
tries) are checked by the last test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.accounts.models import Role, User, UserSession
from portal.accounts.sealing import SecretBox
from portal.accounts.tokens import confirm_token, reset_token
from portal.linking.attempts import Client, record_attempt
from portal.linking.documents import PDF
from portal.linking.invitations import create_invitation
from portal.linking.manual import VerificationDetails, submit_verification
from portal.linking.models import AttemptOutcome, LinkMethod, PatientLink, Relationship
from portal.linking.rules import LOCKOUT_FAILURES
from portal.mail.outbox import queue_email, queue_sms
from portal.orm import utcnow
from portal.registry import OrgKind, Patient, TbTestType
from portal.requests.filing import Upload
from portal.requests.rules import RequestAction
from portal.requests.services import take_action
from tests.browser.conftest import DESKTOP, PHONE, expect_path, sign_in, switch_language
from tests.browser.crawl import Crawler, Target, allowed, page_targets
from tests.factories import PASSWORD

LANGUAGES = ["en", "es"]

# GET endpoints that are not HTML pages, so there is nothing for axe to read.
NOT_PAGES = {
    "static": "stylesheets and other files",
    "core.healthz": "JSON for the load balancer",
    "core.favicon": "the site icon, an SVG at the address browsers ask for",
    "proof.jwks": "the issuer's public keys, JSON under /.well-known",
    "proof.crl": "revocation lists, JSON under /.well-known",
    "linking.document": "a family's verification document, sent to staff as a download",
    "records.access_csv": "the family's access log as a CSV download",
    "exchange.soap": "organizations' SOAP service: its GET serves only the WSDL (?wsdl), XML",
}
# A parameter that means the same thing wherever it appears.
BY_PARAMETER = {
    # The record about to leave the guardian: its pages show the 60-day warning and
    # offer the invitation (the other child's link answers 404 on /invite).
    "link_id": lambda site: site.teen_link.id,
    "patient_id": lambda site: site.adult.id,
    # The parent's request the help desk asked a question about: answer and withdraw show.
    "request_id": lambda site: site.asked_request_id,
    # A ready answer the supervisor keeps: its edit page.
    "reply_id": lambda site: site.reply_id,
}
# Parameters whose meaning depends on the endpoint.
BY_ENDPOINT = {
    "accounts.confirm": lambda site: {"token": site.confirm_token},
    "accounts.reset_password": lambda site: {"token": site.reset_token},
    "linking.accept_invitation": lambda site: {"token": site.invitation_token},
}
# Role name -> the Site attribute holding its account (None: signed out).
ROLES = {
    "signed out": None,
    "parent": "parent",
    "school verifier": "school_verifier",
    "agent": "agent",
    "supervisor": "supervisor",
}
# Each role sends its forms empty in one language (which halves the time), taking turns so
# that both languages' error messages are checked, on the public forms and the account's.
SEND_FORMS_IN = {
    "signed out": "en",
    "parent": "es",
    "school verifier": "en",
    "agent": "es",
    "supervisor": "en",
}


@dataclass
class Site:
    parent: User
    teen_link: PatientLink
    adult: Patient
    school_verifier: User
    agent: User
    supervisor: User  # not enrolled: the crawl sees the authenticator set-up page
    newcomer: User  # has not confirmed the email address yet
    confirm_token: str
    reset_token: str
    invitation_token: str
    asked_request_id: int
    reply_id: int


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    settings["DEMO"] = True  # /demo/mailbox exists
    settings["LINK_MATCH_FLOOR_SECONDS"] = 0
    return settings


def _turning_18_in(days: int) -> date:
    birthday = date.today() + timedelta(days=days)
    if birthday.month == 2 and birthday.day == 29:
        birthday += timedelta(days=1)
    return birthday.replace(year=birthday.year - 18)


@pytest.fixture
def site(app: Flask, db: Any, make: Any, settings: dict[str, Any]) -> Site:
    parent = make.user(full_name="Ana López")
    teen = make.patient(first_name="Sofía", last_name="Núñez", birth_date=_turning_18_in(30))
    child = make.patient(first_name="Lucía", last_name="García-López")
    for patient in (teen, child):
        for cvx, days in (("08", 0), ("03", 400), ("21", 400)):
            make.dose(patient, cvx_code=cvx, given_on=patient.birth_date + timedelta(days=days))
    make.tb_test(teen, test_type=TbTestType.SKIN, read_on=date(2024, 8, 3))
    teen_link = make.link(parent, teen)
    make.link(parent, child)
    adult = make.patient(first_name="Rosa", last_name="Ibarra", birth_date=date(1984, 6, 2))
    make.dose(adult, cvx_code="140", given_on=date(2024, 10, 1))
    school = make.org(kind=OrgKind.SCHOOL, name="Roosevelt Elementary")
    other_guardian_link = make.link(make.user(), teen, relationship_=Relationship.GUARDIAN)

    now = utcnow()
    details = VerificationDetails(
        "Mateo", None, "Núñez", date(2020, 5, 1), Relationship.PARENT, "New baby"
    )
    document = Upload("birth-certificate.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", PDF)
    upload_dir = Path(settings["UPLOAD_DIR"])
    asked = submit_verification(db, parent, details, document, upload_dir=upload_dir, now=now)
    # The parent opens an invitation that another guardian sent, so the form itself shows
    # (the one who sent it is shown "this is your own invitation" instead).
    _, invitation_token = create_invitation(db, other_guardian_link, "sofia@example.org", now=now)
    link_text = f"Open this link: http://localhost/records/invitation/{invitation_token}"
    queue_email(db, to="sofia@example.org", subject="Take over your shot record", body=link_text)
    queue_sms(db, to="5595550123", body="Immunization Registry: your code is 123456.")
    db.commit()

    agent = make.user(role=Role.AGENT, full_name="Alex Agent")
    with app.app_context():
        take_action(db, asked, RequestAction.CLAIM, actor=agent, now=now)
        take_action(db, asked, RequestAction.ASK_INFO, actor=agent, note="Page 2?", now=now)
    db.commit()

    secret = app.config["SECRET_KEY"]
    newcomer = make.user(email_confirmed_at=None)
    return Site(
        parent=parent,
        teen_link=teen_link,
        adult=adult,
        school_verifier=make.user(role=Role.SCHOOL_VERIFIER, organization=school),
        agent=agent,
        supervisor=make.user(role=Role.SUPERVISOR, totp_secret=None, totp_confirmed_at=None),
        newcomer=newcomer,
        confirm_token=confirm_token(secret, newcomer),
        reset_token=reset_token(secret, make.user()),
        invitation_token=invitation_token,
        asked_request_id=asked.id,
        reply_id=make.canned_reply().id,
    )


def targets(app: Flask, site: Site) -> list[Target]:
    return page_targets(
        app, site, not_pages=NOT_PAGES, by_parameter=BY_PARAMETER, by_endpoint=BY_ENDPOINT
    )


def visitor(app: Flask, site: Site, role: str) -> Any:
    """The account as the access rules see it once signed in (staff past the second factor)."""
    name = ROLES[role]
    if name is None:
        return app.login_manager.anonymous_user()
    user = getattr(site, name)
    if user.is_staff:
        user.current_session = UserSession(mfa_at=utcnow())
    return user


# --- The plan, without a browser --------------------------------------------------------


def test_every_page_is_crawled_by_some_role(app: Flask, site: Site) -> None:
    assert SEND_FORMS_IN.keys() == ROLES.keys() and set(SEND_FORMS_IN.values()) == set(LANGUAGES)
    assert {getattr(site, n).role for n in ROLES.values() if n} == set(Role), "a role is missing"
    every = targets(app, site)
    reached = {t for role in ROLES for t in allowed(app, every, visitor(app, site, role))}
    assert [t.endpoint for t in every if t not in reached] == []
    assert {"core.home", "records.show", "records.staff_show"} <= {t.endpoint for t in every}


def test_a_new_page_with_parameters_nobody_fills_fails_the_crawl(app: Flask, site: Site) -> None:
    from portal.access import PUBLIC, allow

    app.add_url_rule("/widgets/<int:widget_id>", "scratch.widget", allow(PUBLIC)(lambda w: ""))

    with pytest.raises(pytest.fail.Exception, match="no way to fill parameters for scratch.widget"):
        targets(app, site)


# --- The crawl --------------------------------------------------------------------------


def _pass_second_factor(page: Page, crawler: Crawler, app: Flask, role: str, user: User) -> None:
    """Check the second-factor page in both languages, then type a code from the app."""
    expect_path(page, "/account/second-factor")
    for lang in LANGUAGES:
        switch_language(page, lang)
        crawler.visit("/account/second-factor", lang, send_forms=lang == SEND_FORMS_IN[role])
    if user.totp_secret:
        secret = SecretBox(app.config["SECRET_KEY"]).open(user.totp_secret)
    else:  # enrolling: the key is on the page, for people who cannot scan the QR code
        secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile("second-factor"))


def _ask_for_a_code(page: Page) -> None:
    """Leave a code pending, so that /records/add/code shows its form instead of redirecting."""
    page.goto("/records/add/match")
    page.locator("input[name=first_name]").fill("Nadie")
    page.locator("input[name=last_name]").fill("Ninguno")
    page.locator("input[name=birth_date]").fill("2015-01-01")
    page.locator("input[name=contact]").fill("nobody@example.org")
    page.locator("main form [type=submit]").click()
    expect_path(page, "/records/add/code")


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(
    page: Page, assert_accessible: Any, axe_source: str, app: Flask, site: Site, role: str
) -> None:
    plan = allowed(app, targets(app, site), visitor(app, site, role))
    crawler = Crawler(page, assert_accessible, axe_source)
    account = getattr(site, ROLES[role]) if ROLES[role] else None
    if account is None:
        page.goto("/")
    else:
        sign_in(page, account.email, PASSWORD)
        if account.is_staff:
            _pass_second_factor(page, crawler, app, role, account)
        if account.role is Role.PARENT:
            _ask_for_a_code(page)

    for lang in LANGUAGES:
        switch_language(page, lang)
        # Spanish, the longer of the two, on the narrowest phone we support.
        page.set_viewport_size(PHONE if lang == "es" else DESKTOP)
        for target in plan:
            crawler.visit(target.path, lang, send_forms=lang == SEND_FORMS_IN[role])

    pages = len(crawler.seen["en"])
    print(
        f"\n{role}: {len(plan)} routes, {pages} pages a language, {crawler.forms_sent} sent empty"
    )
    crawler.assert_clean()
    assert crawler.seen["en"] == crawler.seen["es"], "the two languages reached other pages"


# --- Errors and states no plain GET reaches ------------------------------------------------


def _lock_out(app: Flask, db: Any, user: User) -> None:
    who = Client(user=user, secret=app.secret_key.encode())
    for _ in range(LOCKOUT_FAILURES):
        record_attempt(
            db, who, method=LinkMethod.CONTACT_CODE, outcome=AttemptOutcome.WRONG_CODE, now=utcnow()
        )
    db.commit()


def _refused_for_too_many_tries(page: Page) -> Any:
    """Send the reset form until the rate limit answers (three an hour per address typed)."""
    for _ in range(6):
        page.goto("/reset")
        with page.expect_navigation() as navigation:
            page.locator("main form [type=submit]").click()
        if navigation.value.status == 429:
            break
    return navigation.value


def _sign_out(page: Page) -> None:
    page.locator("header form[action='/logout'] button").click()
    expect(page.locator("header form[action='/logout']")).to_have_count(0)


@pytest.mark.browser
def test_error_pages_and_dead_ends_pass_axe(
    page: Page, assert_accessible: Any, axe_source: str, app: Flask, db: Any, site: Site
) -> None:
    crawler = Crawler(page, assert_accessible, axe_source)
    _, own_invitation = create_invitation(db, site.teen_link, "sofia@example.org", now=utcnow())
    db.commit()
    _lock_out(app, db, site.parent)

    def open_(path: str, lang: str, status: int, label: str | None = None) -> None:
        crawler.inspect(page.goto(path), lang, label or path, expect_status=status)

    page.goto("/")
    for lang in LANGUAGES:
        switch_language(page, lang)
        page.set_viewport_size(PHONE if lang == "es" else DESKTOP)
        open_("/no-such-page", lang, 404)
        open_("/reset/not-a-real-token", lang, 400)  # the link is broken or has ended
        open_("/confirm/not-a-real-token", lang, 400)
        crawler.inspect(_refused_for_too_many_tries(page), lang, "/reset", expect_status=429)

        sign_in(page, site.newcomer.email, PASSWORD)
        expect_path(page, "/account/unconfirmed")
        crawler.inspect(page.goto("/account/unconfirmed"), lang, "unconfirmed account")
        _sign_out(page)

        sign_in(page, site.parent.email, PASSWORD)
        switch_language(page, lang)
        open_(f"/staff/patients/{site.adult.id}", lang, 403)
        open_("/records/invitation/not-a-real-token", lang, 404)
        open_(f"/records/invitation/{own_invitation}", lang, 403, "one's own invitation")
        open_("/records/add/match", lang, 429)  # the lock-out page, with when it ends
        _sign_out(page)

    crawler.assert_clean()
