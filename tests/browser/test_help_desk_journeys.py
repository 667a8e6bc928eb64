"""The three whole journeys of the help desk, on the demo's data, in a real browser.

Issue 9's first "Done when": a parent asks for a lock; the agent signs in with the
authenticator, claims it from the queue and approves it; the parent finds the record
locked since today, the timeline, the emails, and the help desk in "who looked at the
record". The same for a correction that changes a dose date, and for a verification by
document that ends with the child in the parent's list.

Each journey runs in English and in Spanish on a 360 px phone; every page it reaches is
checked with axe and for sideways scrolling, and photographed into /tmp/portal-shots/
(outside the repository) for a person to look at. The data is the demo's own
(`portal demo`'s dataset, accounts and help-desk requests, loaded per test in about a
second): the demo parent and the demo agent with the authenticator secret the demo
prints. Only the verification's parent is made here: the demo has no account waiting
for a child, and Diego Martínez, its unlinked child, is the one she asks for.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyotp
import pytest
import sqlalchemy as sa
from babel.dates import format_date
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect

from portal.demo import featured
from portal.demo.dataset import build_dataset
from portal.demo.loader import Login, load_demo
from portal.demo.requests import seed_requests
from portal.mail.models import OutboxMessage
from portal.orm import utcnow
from portal.registry import Immunization, Patient
from portal.registry.vaccines import lookup
from portal.requests.models import Request, RequestKind, RequestStatus
from tests.browser.conftest import assert_no_sideways_scroll, expect_path, sign_in, switch_language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/portal-shots")
LANGUAGES = ["en", "es"]
REGISTRY_ZONE = ZoneInfo("America/Los_Angeles")

# What the family and the agent read, in each language, as the catalog says it; a string
# missing from the Spanish catalog fails here instead of showing English to the family.
WORDS = {
    "en": {
        "open": "Open the record", "sharing": "Lock or unlock this record",
        "ask_lock": "Ask to lock this record", "locked_since": "Locked since {date}.",
        "shared": "Shared", "locked": "Locked", "report": "Report a mistake",
        "send_report": "Send the report", "who_looked": "Who looked at this record",
        "help_desk": "The registry's help desk", "viewed": "Viewed the record",
        "updated": "Updated the record", "add": "Add a record", "send_documents": "Send documents",
        "send_request": "Send the request", "sent": "Your request was sent.",
        "approved_flash": "The request is approved.",
        "status_submitted": "Sent, waiting for the help desk", "status_approved": "Approved",
        "steps": ["You sent the request", "The help desk started checking it",
                  "The help desk approved it"],
        "subjects": ["An update on your request", "An update on your request",
                     "We received your request"],
        "lock_kind": "Lock a record", "correction_kind": "Report a mistake",
        "verification_kind": "Add a record to your list", "sign_out": "Sign out",
        "checking": "The help desk is checking your documents",
        "to_actions": "Go to the actions",
    },
    "es": {
        "open": "Abrir el registro", "sharing": "Bloquear o desbloquear este registro",
        "ask_lock": "Pedir que se bloquee este registro",
        "locked_since": "Bloqueado desde el {date}.",
        "shared": "Compartido", "locked": "Bloqueado", "report": "Informar de un error",
        "send_report": "Enviar el informe", "who_looked": "Quién consultó este registro",
        "help_desk": "La mesa de ayuda del registro", "viewed": "Vio el registro",
        "updated": "Actualizó el registro", "add": "Agregar un registro",
        "send_documents": "Enviar documentos", "send_request": "Enviar la solicitud",
        "sent": "Se envió su solicitud.", "approved_flash": "La solicitud está aprobada.",
        "status_submitted": "Enviada, esperando a la mesa de ayuda",
        "status_approved": "Aprobada",
        "steps": ["Usted envió la solicitud", "La mesa de ayuda empezó a revisarla",
                  "La mesa de ayuda la aprobó"],
        "subjects": ["Novedades sobre su solicitud", "Novedades sobre su solicitud",
                     "Recibimos su solicitud"],
        "lock_kind": "Bloquear un registro", "correction_kind": "Informar de un error",
        "verification_kind": "Agregar un registro a su lista", "sign_out": "Cerrar sesión",
        "checking": "La mesa de ayuda está revisando sus documentos",
        "to_actions": "Ir a las acciones",
    },
}  # fmt: skip


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    settings["DEMO"] = True  # as `portal demo` runs: the demo mailbox shows what was sent
    return settings


@pytest.fixture(autouse=True)
def patient_waits(phone_page: Page) -> Iterator[None]:
    """Longer waits than the 5 s default: a journey's pages include a record with forty
    doses twice over (the family's and the help desk's), and on a machine shared by a few
    test runs such a page can take longer than 5 s to arrive."""
    phone_page.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


@pytest.fixture
def demo(app: Flask, db: Any) -> dict[str, Login]:
    """The demo's registry, sign-ins and help-desk work, as `portal demo` loads them."""
    result = load_demo(
        db,
        build_dataset(date.today()),
        link_age=app.config["GUARDIAN_LINK_AGE"],
        secret_key=app.config["SECRET_KEY"],
    )
    seed_requests(db, now=utcnow())
    db.commit()
    return {login.label: login for login in result.logins}


def registry_today() -> date:
    """The day in the registry's time zone: an effective date turns over at its midnight."""
    return datetime.now(REGISTRY_ZONE).date()


@dataclass
class Journey:
    """One journey's browser tab and its checks: every page passes axe, fits 360 px, and is
    photographed in the order it was reached."""

    page: Page
    axe: Any
    name: str
    lang: str
    agent_email: str = ""
    started: float = field(default_factory=time.perf_counter)
    pages: int = 0
    axe_seconds: float = 0.0
    shot_seconds: float = 0.0

    @property
    def words(self) -> dict[str, Any]:
        return WORDS[self.lang]

    def check(self, what: str) -> None:
        self.pages += 1
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        assert_no_sideways_scroll(self.page)
        t0 = time.perf_counter()
        self.axe(self.page)
        t1 = time.perf_counter()
        SHOTS.mkdir(exist_ok=True)
        shot = SHOTS / f"journey-{self.name}-{self.lang}-{self.pages:02d}-{what}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        t2 = time.perf_counter()
        self.axe_seconds += t1 - t0
        self.shot_seconds += t2 - t1

    def family_signs_in(self, email: str, password: str) -> None:
        """The family presses its language's button on the sign-in page, then signs in: an
        account with no language yet (the demo's) keeps it, so the emails follow it."""
        self.page.goto("/login")
        switch_language(self.page, self.lang)
        sign_in(self.page, email, password)
        expect_path(self.page, "/records")
        self.check("my-records")

    def agent_signs_in(self, login: Login) -> None:
        """Password, then the authenticator's code (from the secret the demo printed)."""
        page, self.agent_email = self.page, login.email
        page.goto("/login")
        switch_language(page, self.lang)
        self.check("sign-in")
        form = page.locator("main form:has(input[name=email])")
        form.locator("input[name=email]").fill(login.email)
        form.locator("input[name=password]").fill(login.password)
        form.locator("[type=submit]").click()
        expect_path(page, "/account/second-factor")
        self.check("second-factor")
        assert login.totp_secret, "the demo prints the agent's authenticator secret"
        page.locator("input[name=code]").fill(pyotp.TOTP(login.totp_secret).now())
        page.locator("main form [type=submit]").click()
        expect_path(page, "/staff/queue")  # staff land on the queue
        self.check("queue")

    def agent_claims_from_the_queue(
        self, kind: RequestKind, *, registry_id: str | None = None, sent_today: bool = False
    ) -> int:
        """Filter the queue by kind and claim, there, the one row of the record (by its
        registry ID) or the one sent today."""
        page = self.page
        page.locator("select[name=kind]").select_option(kind.value)
        page.locator("form.filters [type=submit]").click()
        rows = page.locator("table.queue-table tbody tr")
        expect(rows.first).to_be_visible()
        self.check(f"queue-{kind.value}")
        today = format_date(registry_today(), "medium", locale=self.lang)
        found = []
        for row in rows.all():
            cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
            if registry_id is not None and not cells[0].endswith(registry_id):
                continue
            if sent_today and cells[3] != today:
                continue
            found.append(row)
        assert len(found) == 1, f"{len(found)} rows in the queue match"
        row = found[0]
        number = int(re.sub(r"\D", "", row.locator("td").first.locator("a").inner_text()))
        row.locator("form button").click()
        expect_path(page, f"/staff/requests/{number}")
        expect(page.locator("main dl.facts").first).to_contain_text(self.agent_email)
        self.check("claimed")
        return number

    def approve(self) -> None:
        self.page.locator("main form[action$='/approve'] button[type=submit]").click()
        expect(self.page.locator(".flash-success")).to_have_text(self.words["approved_flash"])
        self.check("approved")

    def signs_out(self) -> None:
        self.page.get_by_role("button", name=self.words["sign_out"]).click()
        expect(self.page.locator("header form[action='/logout']")).to_have_count(0)

    def open_record(self, full_name: str) -> None:
        card = self.page.locator("main .record-card", has_text=full_name)
        card.get_by_role("link", name=self.words["open"]).click()
        expect(self.page.locator("h1.record-title")).to_contain_text(full_name)
        self.check("record")

    def sees_the_timeline(self, kind_label: str, about: str) -> None:
        """My requests: the request approved, its three steps, each dated today."""
        page = self.page
        page.goto("/requests")
        card = page.locator("main section.card", has=page.locator("h2", has_text=kind_label))
        card = card.filter(has_text=about).first
        expect(card).to_contain_text(self.words["status_approved"])
        steps = card.locator("ol.request-timeline li")
        expect(steps).to_have_count(3)
        today = format_date(registry_today(), "medium", locale=self.lang)
        for step, label in zip(steps.all(), self.words["steps"], strict=True):
            expect(step).to_contain_text(label)
            expect(step).to_contain_text(today)
        self.check("my-requests")

    def sees_the_emails(self, email: str) -> None:
        """The demo mailbox: one email at filing and one at each change of status."""
        page = self.page
        page.goto("/demo/mailbox")
        mails = page.locator("main article", has_text=email)
        expect(mails).to_have_count(3)
        for mail, subject in zip(mails.all(), self.words["subjects"], strict=True):
            expect(mail.locator("h2")).to_have_text(subject)  # newest first
        self.check("mailbox")

    def sees_the_help_desk_in_who_looked(self, link_href: str, doing: str) -> None:
        page = self.page
        page.goto(link_href)
        page.get_by_role("link", name=self.words["who_looked"]).click()
        expect_path(page, f"{link_href}/access")
        rows = page.locator("main table tbody tr")
        today = format_date(registry_today(), "medium", locale=self.lang)
        ours = rows.filter(has_text=self.words["help_desk"]).filter(has_text=doing)
        expect(ours.first).to_contain_text(today)
        self.check("who-looked")

    def report_time(self) -> None:
        """Each journey is meant to stay under about 30 s; printed, not asserted, since the
        figure depends on what else the machine runs (see the run's -s output)."""
        took = time.perf_counter() - self.started
        print(
            f"\njourney {self.name} ({self.lang}): {self.pages} pages in {took:.1f} s "
            f"(axe {self.axe_seconds:.1f} s, screenshots {self.shot_seconds:.1f} s)"
        )


def _patient(db: Any, registry_id: str) -> Patient:
    db.expire_all()
    return db.scalars(sa.select(Patient).where(Patient.registry_id == registry_id)).one()


def _link_href(page: Page, full_name: str) -> str:
    """The record's address in My records (the link's id, not the registry's)."""
    page.goto("/records")
    card = page.locator("main .record-card", has_text=full_name)
    href = card.locator("h2 a").get_attribute("href")
    assert href and re.fullmatch(r"/records/\d+", href), href
    return href


def _health_words(db: Any, patient: Patient) -> list[str]:
    """What an email must not say: the name, the birth date in any of its spellings, and
    the vaccines on the record in both languages."""
    doses = db.scalars(sa.select(Immunization).where(Immunization.patient_id == patient.id))
    words = {patient.first_name, patient.last_name, patient.registry_id}
    for lang in LANGUAGES:
        for style in ("short", "medium", "long"):
            words.add(format_date(patient.birth_date, style, locale=lang))
        for dose in doses:
            vaccine = lookup(dose.cvx_code)
            if vaccine is not None:
                words.add(vaccine.name(lang))
    words.add(patient.birth_date.isoformat())
    return sorted(words)


def _emails_hold_no_health_details(db: Any, to: str, patient: Patient, lang: str) -> None:
    db.expire_all()
    mails = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id)
    ).all()
    assert [m.subject for m in mails] == list(reversed(WORDS[lang]["subjects"]))
    for mail in mails:
        for word in _health_words(db, patient):
            assert word not in mail.body, f"an email to the family says {word!r}"
        assert "/requests" in mail.body  # a link to sign in and follow it


def _open_request(db: Any, number: int) -> Request:
    db.expire_all()
    request = db.get(Request, number)
    assert request is not None
    return request


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_lock_from_the_parent_to_the_agent_and_back(
    phone_page: Page, assert_accessible: Any, db: Any, demo: dict[str, Login], lang: str
) -> None:
    parent, agent = demo["parent"], demo["agent"]
    mateo = _patient(db, featured.MATEO)
    assert mateo.shared
    j = Journey(phone_page, assert_accessible, "lock", lang)
    words, page = j.words, phone_page

    # The parent asks for the lock from the record's sharing page.
    j.family_signs_in(parent.email, parent.password)
    href = _link_href(page, mateo.full_name)
    j.open_record(mateo.full_name)
    page.get_by_role("link", name=words["sharing"]).click()
    expect_path(page, f"{href}/sharing")
    expect(page.locator("main .badge")).to_have_text(words["shared"])
    j.check("sharing")
    page.get_by_role("button", name=words["ask_lock"]).click()
    expect_path(page, "/requests")
    expect(page.locator(".flash-success")).to_contain_text(words["sent"])
    newest = page.locator("main section.card").first
    expect(newest.locator("h2")).to_have_text(f"{words['lock_kind']}: {mateo.full_name}")
    expect(newest).to_contain_text(words["status_submitted"])
    j.check("requested")
    j.signs_out()

    # The agent claims it from the queue and approves it beside the record.
    j.agent_signs_in(agent)
    number = j.agent_claims_from_the_queue(RequestKind.LOCK, registry_id=mateo.registry_id)
    expect(page.locator("#record-heading")).to_be_visible()
    # Mateo's doses fill many screens of a phone: the link above them goes to the buttons.
    page.get_by_role("link", name=words["to_actions"]).click()
    expect(page.locator("#actions-heading")).to_be_in_viewport()
    j.approve()
    j.signs_out()
    assert _open_request(db, number).status is RequestStatus.APPROVED

    # The parent finds the record locked since today, and everything that tells it.
    j.family_signs_in(parent.email, parent.password)
    today = registry_today()
    locked_since = words["locked_since"].format(date=format_date(today, "long", locale=lang))
    j.open_record(mateo.full_name)
    sharing = page.locator("main section[aria-labelledby=sharing-heading]")
    expect(sharing.locator(".card .badge").first).to_have_text(words["locked"])
    expect(sharing).to_contain_text(locked_since)
    page.get_by_role("link", name=words["sharing"]).click()
    expect(page.locator("main .card").first).to_contain_text(locked_since)
    j.check("sharing-locked")
    j.sees_the_timeline(words["lock_kind"], mateo.full_name)
    j.sees_the_emails(parent.email)
    j.sees_the_help_desk_in_who_looked(href, words["viewed"])
    assert _patient(db, featured.MATEO).sharing_effective_on == today
    _emails_hold_no_health_details(db, parent.email, mateo, lang)
    j.report_time()


def _dose_to_correct(db: Any, patient: Patient) -> Immunization:
    """Mateo's second MMR: the dose a parent might find a week off on the yellow card."""
    doses = db.scalars(
        sa.select(Immunization)
        .where(Immunization.patient_id == patient.id, Immunization.cvx_code == "03")
        .order_by(Immunization.given_on)
    ).all()
    assert len(doses) >= 2, "the demo gives Mateo two MMR doses"
    return doses[1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_correction_of_a_dose_date_from_the_record_page_to_the_record(
    phone_page: Page, assert_accessible: Any, db: Any, demo: dict[str, Login], lang: str
) -> None:
    parent, agent = demo["parent"], demo["agent"]
    mateo = _patient(db, featured.MATEO)
    dose = _dose_to_correct(db, mateo)
    wrong, right = dose.given_on, dose.given_on - timedelta(days=7)
    vaccine = lookup(dose.cvx_code).name(lang)  # type: ignore[union-attr]
    j = Journey(phone_page, assert_accessible, "correction", lang)
    words, page = j.words, phone_page

    # The parent reports the wrong date on the dose, from the record page.
    j.family_signs_in(parent.email, parent.password)
    href = _link_href(page, mateo.full_name)
    j.open_record(mateo.full_name)
    page.get_by_role("link", name=words["report"]).click()
    expect_path(page, f"{href}/report")
    j.check("report")
    page.locator("input[name=about][value=dose]").check()
    page.locator("select[name=dose]").select_option(str(dose.id))
    page.locator("select[name=problem]").select_option("wrong_date")
    page.locator("textarea[name=wrong]").fill(format_date(wrong, "long", locale=lang))
    page.locator("textarea[name=right]").fill(format_date(right, "long", locale=lang))
    j.check("report-filled")
    page.get_by_role("button", name=words["send_report"]).click()
    expect_path(page, "/requests")
    newest = page.locator("main section.card").first
    expect(newest.locator("h2")).to_have_text(f"{words['correction_kind']}: {mateo.full_name}")
    j.check("requested")
    j.signs_out()

    # The agent claims it and corrects the date through the approval form. Mateo has an
    # older correction waiting too: this one is the row sent today.
    j.agent_signs_in(agent)
    number = j.agent_claims_from_the_queue(
        RequestKind.CORRECTION, registry_id=mateo.registry_id, sent_today=True
    )
    expect(page.locator("main")).to_contain_text(format_date(wrong, "long", locale=lang))
    page.locator("select#dose_id").select_option(str(dose.id))
    page.locator("input#given_on").fill(right.isoformat())
    j.check("correcting")
    j.approve()
    j.signs_out()
    db.expire_all()
    assert db.get(Immunization, dose.id).given_on == right
    assert _open_request(db, number).status is RequestStatus.APPROVED

    # The parent sees the new date on the record page, and all that tells of it.
    j.family_signs_in(parent.email, parent.password)
    j.open_record(mateo.full_name)
    mmr = page.locator("main table.dose-table tbody tr", has_text=vaccine)
    dates = [row.locator("td").nth(1).inner_text() for row in mmr.all()]
    assert format_date(right, "medium", locale=lang) in dates
    assert format_date(wrong, "medium", locale=lang) not in dates
    j.sees_the_timeline(words["correction_kind"], mateo.full_name)
    j.sees_the_emails(parent.email)
    j.sees_the_help_desk_in_who_looked(href, words["updated"])
    _emails_hold_no_health_details(db, parent.email, mateo, lang)
    j.report_time()


def _birth_certificate_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (240, 236, 220)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_verification_by_document_ends_with_the_child_in_the_list(
    phone_page: Page, assert_accessible: Any, db: Any, make: Any, demo: dict[str, Login], lang: str
) -> None:
    agent = demo["agent"]
    diego = _patient(db, featured.DIEGO)
    rosa = make.user(email="rosa.martinez@demo.example", full_name="Rosa Martínez")
    photo = _birth_certificate_photo()
    j = Journey(phone_page, assert_accessible, "verification", lang)
    words, page = j.words, phone_page

    # A parent with no record yet sends a photo of the birth certificate.
    j.family_signs_in(rosa.email, PASSWORD)
    page.locator("main").get_by_role("link", name=words["add"]).click()
    expect_path(page, "/records/add")
    j.check("add")
    page.get_by_role("link", name=words["send_documents"]).click()
    expect_path(page, "/records/add/verification")
    j.check("verification")
    page.locator("input[name=first_name]").fill("diego")  # as a tired parent types it
    page.locator("input[name=last_name]").fill("Martinez")
    page.locator("input[name=birth_date]").fill(diego.birth_date.isoformat())
    page.locator("select[name=relationship]").select_option("parent")
    page.locator("input[name=document]").set_input_files(
        {"name": "acta-de-nacimiento.png", "mimeType": "image/png",
         "buffer": photo}
    )  # fmt: skip
    j.check("verification-filled")
    page.get_by_role("button", name=words["send_request"]).click()
    expect_path(page, "/records")
    expect(page.locator(".flash-success")).to_contain_text(words["sent"])
    expect(page.locator("main table tbody tr")).to_contain_text(words["status_submitted"])
    expect(page.locator("main .empty-state h2")).to_have_text(words["checking"])
    j.check("requested")
    j.signs_out()

    # The agent claims it, looks at the document, finds the record and approves.
    j.agent_signs_in(agent)
    number = j.agent_claims_from_the_queue(RequestKind.VERIFICATION, sent_today=True)
    with page.expect_download() as download:
        page.locator("main a[href^='/help-desk/documents/']").click()
    assert Path(download.value.path()).read_bytes() == photo
    page.locator("input#registry_id").fill(diego.registry_id)
    j.check("finding")
    page.locator("main form[action$='/approve'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(diego.full_name)  # the record, to confirm
    expect(page.locator("main")).to_contain_text(diego.registry_id)
    j.check("confirm")
    page.get_by_role("link", name=words["to_actions"]).click()
    expect(page.locator("main form#link-and-approve button")).to_be_in_viewport()
    j.approve()
    j.signs_out()
    assert _open_request(db, number).status is RequestStatus.APPROVED

    # The parent finds the child in "My records", and the request's story.
    sign_in(page, rosa.email, PASSWORD)
    expect_path(page, "/records")
    card = page.locator("main .record-card")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_contain_text(diego.full_name)
    j.check("my-records-with-diego")
    j.open_record(diego.full_name)
    j.sees_the_timeline(words["verification_kind"], diego.full_name)
    j.sees_the_emails(rosa.email)
    j.sees_the_help_desk_in_who_looked(_link_href(page, diego.full_name), words["viewed"])
    _emails_hold_no_health_details(db, rosa.email, diego, lang)
    j.report_time()
