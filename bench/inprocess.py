"""The in-process figures: the Flask test client in this process, no network.

The app runs as in production where it matters for cost (no TESTING or DEMO,
an https issuer, a configured signing key, CSRF on, tokens read from the pages),
with rate limits off: the bench sends far more than any limit allows.
"""

from __future__ import annotations

import json
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cards
import seed
from flask import Flask
from sqlalchemy.orm import Session
from timing import Paired, interleaved_many, paired_differences, sign_test_p
from webforms import find_form

from portal import create_app
from portal.db import engine_for
from portal.proof.cards import generate_key, thumbprint

BASE_URL = "https://localhost"
Figure = tuple[str, Any]


class BenchError(RuntimeError):
    """A figure that cannot be measured against this checkout (printed as n/a)."""


@dataclass(frozen=True)
class Sizes:
    small_cards: int = 100
    large_cards: int = 400_000
    page_rounds: int = 100
    pdf_rounds: int = 30
    verify_rounds: int = 60
    signin_rounds: int = 15
    reset_pairs: int = 100
    public_rounds: int = 40
    budget_s: float = 25.0  # per figure, so a slow old checkout still ends in minutes
    warmup: int = 3
    queue_requests: int = 10_000  # open, in the help desk's queue
    resolved_requests: int = 1_000  # answered in the last 30 days (the supervisor's figures)
    vxu_count: int = 1_000  # VXUs sent one after another for vxu_per_s


QUICK = Sizes(
    small_cards=100,
    large_cards=2_000,
    page_rounds=5,
    pdf_rounds=3,
    verify_rounds=5,
    signin_rounds=2,
    reset_pairs=10,
    public_rounds=5,
    budget_s=5.0,
    warmup=1,
    queue_requests=200,
    resolved_requests=20,
    vxu_count=20,
)


def settings(url: str, workdir: Path) -> dict[str, Any]:
    """Production-like settings for the bench app (also read by the gunicorn round)."""
    key_file = workdir / "card-key.json"
    if not key_file.exists():
        key_file.write_text(json.dumps(generate_key()), encoding="utf-8")
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ISSUER_URL": "https://registry.bench.example",
        "CARD_SIGNING_KEY": str(key_file),
        "UPLOAD_DIR": str(workdir / "uploads"),
        "RATELIMIT_ENABLED": False,
        # Limits are off for the bench, so nothing needs Redis to share them.
        "SINGLE_PROCESS": True,
    }


def signing_kid(config: dict[str, Any]) -> str:
    return thumbprint(json.loads(Path(config["CARD_SIGNING_KEY"]).read_text(encoding="utf-8")))


class Browser:
    """The test client as one browser over https: its cookies, a Referer on each post
    (CSRF's strict check over https), and the status each answer must have."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def get(self, path: str, expect: int = 200) -> Any:
        return self._check(self.client.get(path, base_url=BASE_URL), path, expect)

    def post(self, path: str, data: dict[str, str], expect: int = 302) -> Any:
        response = self.client.post(
            path, data=data, base_url=BASE_URL, headers={"Referer": BASE_URL + path}
        )
        return self._check(response, path, expect)

    @staticmethod
    def _check(response: Any, path: str, expect: int) -> Any:
        if response.status_code != expect:
            raise BenchError(f"{path} answered {response.status_code}, not {expect}")
        return response


def sign_in(app: Flask, email: str, password: str = seed.PASSWORD) -> Browser:
    browser = Browser(app)
    form = find_form(browser.get("/login").get_data(as_text=True), field="password")
    browser.post(form.action or "/login", form.data(email=email, password=password))
    return browser


@dataclass
class Bench:
    app: Flask
    sizes: Sizes
    family: seed.Family
    healthz_samples: list[float] = field(default_factory=list)

    def paired(self, route: Callable[[], object], rounds: int) -> Paired:
        return self.paired_many([route], rounds)[0]

    def paired_many(self, routes: list[Callable[[], object]], rounds: int) -> list[Paired]:
        anonymous = Browser(self.app)
        results = interleaved_many(
            routes,
            lambda: anonymous.get("/healthz"),
            rounds=rounds,
            warmup=self.sizes.warmup,
            budget_s=self.sizes.budget_s,
        )
        for result in results:
            self.healthz_samples.extend(result.healthz_ms)
        return results


def _ms(value: float) -> float:
    return round(value, 2)


def _ratio(value: float) -> float:
    return float(f"{value:.3g}")  # three significant digits: 0.00367 is not 0.0


def public_documents(bench: Bench, suffix: str) -> Iterator[Figure]:
    """JWKS and the signing key's CRL, as anyone (a school's verifier app) fetches them."""
    browser, rounds = Browser(bench.app), bench.sizes.public_rounds
    jwks = json.loads(browser.get("/.well-known/jwks.json").get_data())
    yield (
        f"jwks_ms_at_{suffix}",
        _ms(bench.paired(lambda: browser.get("/.well-known/jwks.json"), rounds).route),
    )
    kid = jwks["keys"][0]["kid"]
    path = f"/.well-known/crl/{kid}.json"
    size = len(browser.get(path).get_data())
    yield f"crl_ms_at_{suffix}", _ms(bench.paired(lambda: browser.get(path), rounds).route)
    yield f"crl_bytes_at_{suffix}", size


def record_pages(bench: Bench, parent: Browser) -> Iterator[Figure]:
    page = f"/records/{bench.family.record_link_id}"
    timed = bench.paired(lambda: parent.get(page), bench.sizes.page_rounds)
    yield "record_page_ms", _ms(timed.route)
    yield "record_page_vs_healthz", _ratio(timed.vs_healthz)
    timed = bench.paired(lambda: parent.get("/records"), bench.sizes.page_rounds)
    yield "records_list_ms", _ms(timed.route)
    yield "records_list_vs_healthz", _ratio(timed.vs_healthz)


ACCESS_EVENTS = 5_000


def access_log_page(bench: Bench, parent: Browser) -> Iterator[Figure]:
    """The family's "who looked at the record" page of a record with 5,000 access events:
    its first page and one deep in the list (keyset paging: both cost the same)."""
    import re
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from portal.linking.models import PatientLink
    from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome
    from portal.registry.organizations import Organization

    engine = engine_for(bench.app.config["DATABASE_URL"])
    with Session(engine) as session:
        link = session.get(PatientLink, bench.family.record_link_id)
        orgs = list(session.scalars(sa.select(Organization.id)))
        if link is None or not orgs:
            raise BenchError("the bench family's record is missing")
        start = datetime(2024, 1, 1, 16, tzinfo=UTC)
        rows = [
            {
                "patient_id": link.patient_id,
                "occurred_at": start + timedelta(hours=3 * i),
                "organization_id": orgs[i % len(orgs)],
                "action": (AccessAction.QUERY, AccessAction.SUBMIT, AccessAction.VERIFY)[i % 3],
                "outcome": AccessOutcome.DENIED if i % 17 == 0 else AccessOutcome.ALLOWED,
                "channel": AccessChannel.VERIFIER if i % 3 == 2 else AccessChannel.HL7,
                "reason": "not shared" if i % 17 == 0 else None,
            }
            for i in range(ACCESS_EVENTS)
        ]
        session.execute(sa.insert(AccessEvent), rows)
        session.commit()
    page = f"/records/{bench.family.record_link_id}/access"
    first = parent.get(page).get_data(as_text=True)
    if first.count("<time ") < 50:
        raise BenchError("the access-log page did not list 50 events")
    deep = page
    for _ in range(40):  # 40 pages down: the 2,001st to 2,050th newest events
        found = re.search(r'href="([^"]*older=[^"]*)"', parent.get(deep).get_data(as_text=True))
        if found is None:
            raise BenchError("the access-log page has no older page")
        deep = found.group(1).replace("&amp;", "&")
    yield "access_log_events", ACCESS_EVENTS
    timed = bench.paired(lambda: parent.get(page), bench.sizes.page_rounds)
    yield "access_log_page_ms", _ms(timed.route)
    yield "access_log_page_vs_healthz", _ratio(timed.vs_healthz)
    timed = bench.paired(lambda: parent.get(deep), bench.sizes.page_rounds)
    yield "access_log_page_41_ms", _ms(timed.route)


def sign_in_staff(app: Flask, email: str) -> Browser:
    """Password, then the authenticator code, as a help-desk member signs in."""
    import pyotp

    browser = Browser(app)
    form = find_form(browser.get("/login").get_data(as_text=True), field="password")
    answer = browser.post(form.action or "/login", form.data(email=email, password=seed.PASSWORD))
    second = answer.headers["Location"]
    form = find_form(browser.get(second).get_data(as_text=True), field="code")
    browser.post(form.action or second, form.data(code=pyotp.TOTP(seed.TOTP_SECRET).now()))
    return browser


def help_desk_pages(bench: Bench) -> Iterator[Figure]:
    """The queue's first page and the supervisor's figures with 10,000 open requests."""
    import re

    with Session(engine_for(bench.app.config["DATABASE_URL"])) as session:
        email = seed.supervisor(session, bench.app.config["SECRET_KEY"])
        seconds = seed.help_desk_requests(
            session,
            requester_email=bench.family.email,
            open_count=bench.sizes.queue_requests,
            resolved_count=bench.sizes.resolved_requests,
        )
    yield "queue_requests", bench.sizes.queue_requests
    yield "queue_insert_s", round(seconds, 2)
    staff = sign_in_staff(bench.app, email)
    queue = staff.get("/staff/queue").get_data(as_text=True)
    if len(set(re.findall(r'href="/staff/requests/(\d+)"', queue))) < 50:
        raise BenchError("the queue page did not list 50 requests")
    timed = bench.paired(lambda: staff.get("/staff/queue"), bench.sizes.page_rounds)
    yield "queue_page_ms", _ms(timed.route)
    yield "queue_page_vs_healthz", _ratio(timed.vs_healthz)
    overview = staff.get("/staff/overview").get_data(as_text=True)
    if f"{bench.sizes.queue_requests} open requests" not in overview:
        raise BenchError("the supervisor's figures did not count the open requests")
    timed = bench.paired(lambda: staff.get("/staff/overview"), bench.sizes.page_rounds)
    yield "overview_page_ms", _ms(timed.route)
    yield "overview_page_vs_healthz", _ratio(timed.vs_healthz)


def printout(bench: Bench, parent: Browser) -> Iterator[Figure]:
    """POST of the record page's print form (a new signed card each time), 30 doses."""
    page = parent.get(f"/records/{bench.family.printout_link_id}").get_data(as_text=True)
    form = find_form(page, action="shot-record.pdf")

    def pdf() -> Any:
        response = parent.post(form.action, form.data(), expect=200)
        if response.mimetype != "application/pdf":
            raise BenchError(f"the print form answered {response.mimetype}")
        return response

    size = len(pdf().get_data())
    timed = bench.paired(pdf, bench.sizes.pdf_rounds)
    yield "pdf_ms", _ms(timed.route)
    yield "pdf_vs_healthz", _ratio(timed.vs_healthz)
    yield "pdf_bytes", size


def verify(bench: Bench, suffix: str = "") -> Iterator[Figure]:
    """A school pastes the newest printout's `shc:/` text into /verify (signed out)."""
    engine = engine_for(bench.app.config["DATABASE_URL"])
    text = cards.newest_card_text(engine, bench.family.printout_patient_id)
    school = Browser(bench.app)
    form = find_form(school.get("/verify").get_data(as_text=True), field="text")
    data = form.data(text=text)

    def check() -> Any:
        return school.post("/verify", data, expect=200)

    if b"verify-authentic" not in check().get_data():
        print("bench: /verify did not answer 'authentic' for the newest card", file=sys.stderr)
    timed = bench.paired(check, bench.sizes.verify_rounds)
    yield f"verify_ms{suffix}", _ms(timed.route)
    yield f"verify_vs_healthz{suffix}", _ratio(timed.vs_healthz)


def signins(bench: Bench) -> Iterator[Figure]:
    """POST /login from a fresh browser: the known email with its password, and an
    email no account has, in one loop. The login page is fetched beforehand, untimed."""
    rounds = bench.sizes.signin_rounds
    need = rounds + bench.sizes.warmup

    def ready(email: str, expect: int) -> Callable[[], object]:
        pending = []
        for _ in range(need):
            browser = Browser(bench.app)
            form = find_form(browser.get("/login").get_data(as_text=True), field="password")
            pending.append((browser, form.action or "/login", form.data(email=email)))

        def post() -> object:
            browser, action, data = pending.pop()
            return browser.post(action, {**data, "password": seed.PASSWORD}, expect=expect)

        return post

    known, unknown = bench.paired_many(
        [ready(bench.family.email, 302), ready("nobody@bench.example", 200)], rounds
    )
    yield "signin_ms", _ms(known.route)
    yield "signin_unknown_email_ms", _ms(unknown.route)
    diffs = [a - b for a, b in zip(known.route_ms, unknown.route_ms, strict=False)]
    yield "signin_known_minus_unknown_ms", _ms(statistics.median(diffs))


def password_resets(bench: Bench) -> Iterator[Figure]:
    """Issue 7 item 6: does the reset form's timing tell whether an account exists?"""
    browser = Browser(bench.app)
    form = find_form(browser.get("/reset").get_data(as_text=True), field="email")
    action = form.action or "/reset"
    diffs = paired_differences(
        lambda: browser.post(action, form.data(email=bench.family.email)),
        lambda: browser.post(action, form.data(email="nobody@bench.example")),
        pairs=bench.sizes.reset_pairs,
    )
    yield "reset_known_minus_unknown_ms", _ms(statistics.median(diffs))
    yield "reset_sign_test_p", float(f"{sign_test_p(diffs):.2g}")


def _qbp(first: str, last: str, birth: str, registry_id: str = "") -> bytes:
    identifier = f"{registry_id}^^^REGISTRY^SR" if registry_id else "MRN-1^^^CLINIC^MR"
    return "\r".join([
        "MSH|^~\\&|EHR|CLINIC|PORTAL|REGISTRY|20261202100000-0800||QBP^Q11^QBP_Q11|Q-1|P|"
        "2.5.1|||ER|AL|||||Z44^CDCPHINVS",
        f"QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|TAG-1|{identifier}|"
        f"{last}^{first}^^^^^L||{birth}|F",
        "RCP|I|1^RD&Records&HL70126",
    ]).encode() + b"\r"  # fmt: skip


def queries(bench: Bench) -> Iterator[Figure]:
    """Issue 10: a QBP^Q11 answered in process (portal.exchange.query.answer_query and the
    commit; the HTTP endpoint comes later), beside GET /healthz; then a record locked by
    another owner against a genuine no-match of the same birth date, pair by pair, first
    without the answer floor (the work alone) and then held to it as the transport will."""
    import time
    from datetime import UTC, datetime

    from portal.exchange import query
    from portal.exchange.hl7 import check
    from portal.registry import Organization, OrgKind, Patient

    engine = engine_for(bench.app.config["DATABASE_URL"])
    now = datetime.now(UTC)
    with Session(engine) as session:
        child = session.get(Patient, bench.family.printout_patient_id)
        if child is None:
            raise BenchError("the printout patient is missing")
        clinic = child.owner or Organization(identifier="BENCH-Q-OWNER", name="Owner",
                                             kind=OrgKind.PROVIDER)  # fmt: skip
        other = Organization(identifier="BENCH-Q-OTHER", name="Other", kind=OrgKind.PROVIDER)
        session.add(Patient(
            registry_id="CA99000001", first_name="Locked", last_name=child.last_name,
            birth_date=child.birth_date, source=child.source, disclosed=True, shared=False,
            owner=clinic,
        ))  # fmt: skip
        session.add(other)
        session.commit()
        born = child.birth_date.strftime("%Y%m%d")
        # By its registry id: the --load round's families have children of the same names.
        by_id = _qbp(child.first_name, child.last_name, born, child.registry_id)
        found = check(by_id, today=now.date()).message
        locked = check(_qbp("Locked", child.last_name, born), today=now.date()).message
        absent = check(_qbp("Nobody", child.last_name, born), today=now.date()).message
        if found is None or locked is None or absent is None:
            raise BenchError("the bench's QBP did not parse")

        def ask(org: Organization, message: Any) -> Callable[[], object]:
            def call() -> object:
                answer = query.answer_query(session, org, message, now, control_id="B")
                session.commit()
                return answer

            return call

        def floored(call: Callable[[], object]) -> Callable[[], object]:
            def held() -> object:
                started = time.monotonic()
                answer = call()
                left = started + query.FLOOR_SECONDS - time.monotonic()
                if left > 0:
                    time.sleep(left)
                return answer

            return held

        if b"|Z42^" not in ask(clinic, found)():  # type: ignore[operator]
            raise BenchError("the bench's QBP did not find its record")
        timed = bench.paired(ask(clinic, found), bench.sizes.page_rounds)
        yield "qbp_ms", _ms(timed.route)
        yield "qbp_vs_healthz", _ratio(timed.vs_healthz)
        pairs = bench.sizes.reset_pairs
        bare = paired_differences(ask(other, locked), ask(other, absent), pairs=pairs)
        yield "qbp_refused_minus_no_match_ms", _ms(statistics.median(bare))
        yield "qbp_refused_sign_test_p", float(f"{sign_test_p(bare):.2g}")
        held = paired_differences(
            floored(ask(other, locked)), floored(ask(other, absent)), pairs=max(10, pairs // 4)
        )
        yield "qbp_floored_refused_minus_no_match_ms", _ms(statistics.median(held))
        yield "qbp_floored_sign_test_p", float(f"{sign_test_p(held):.2g}")


def make_app(config: dict[str, Any], families: int) -> tuple[Flask, list[seed.Family]]:
    engine = engine_for(config["DATABASE_URL"])
    seed.wipe(engine)
    app = create_app(config)
    with Session(engine) as session:
        made = seed.families(session, families)
    return app, made


# --- The exchange: a clinic's system sends VXUs to POST /exchange/hl7 ---------------------

_VXU = "\r".join([
    "MSH|^~\\&|CLINICEHR|BENCH|PORTAL|REGISTRY|20260301101500-0800||VXU^V04^VXU_V04|"
    "MSG-{n}|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS|BENCH|REGISTRY",
    "PID|1||MRN-{n}^^^BENCH^MR||Bench{n}^Child^^^^^L|Lopez^^^^^^M|{birth}|F||"
    "2106-3^White^CDCREC|12 Elm St^^Fresno^CA^93701^USA^P||^PRN^PH^^^559^5551234",
    "PD1|||||||||||02^Reminder/recall - any method^HL70215|N|20260301|||A|20200115|20200115",
    "NK1|1|Lopez^Ana^^^^^L|MTH^Mother^HL70063|12 Elm St^^Fresno^CA^93701^USA^P|"
    "^PRN^PH^^^559^5551234",
    "ORC|RE||DOSE-{n}^BENCH|||||||||||||||BENCH^Bench Clinic^HL70362",
    "RXA|0|1|20260301||08^Hep B, adolescent or pediatric^CVX|0.5|mL^mL^UCUM||00^New Record^NIP001|"
    "|^^^BENCH||||LOT42|20270101|MSD^Merck^MVX|||CP|A",
    "RXR|C28161^Intramuscular^NCIT|LT^Left Thigh^HL70163",
    "OBX|1|CE|64994-7^Vaccine Funding Program Eligibility^LN|1|V02^Medicaid^HL70064||||||F|||"
    "20260301|||VXC40^per immunization^CDCPHINVS",
]) + "\r"  # fmt: skip


def _vxu(n: int) -> bytes:
    """A new patient each time (its own id, name and birth date), with one dose."""
    from datetime import date, timedelta

    birth = date(2010, 1, 1) + timedelta(days=n % 5000)  # a few children share a birthday
    return _VXU.format(n=n, birth=f"{birth:%Y%m%d}").encode()


def exchange(bench: Bench) -> Iterator[Figure]:
    """VXUs accepted per second in one process (sequential, each a new patient), and one
    VXU's time against /healthz."""
    import base64

    from portal.exchange.credentials import create_credential
    from portal.orm import utcnow
    from portal.registry import Organization, OrgKind

    engine = engine_for(bench.app.config["DATABASE_URL"])
    with Session(engine) as session:
        org = Organization(identifier="BENCH-CLINIC", name="Bench Clinic", kind=OrgKind.PROVIDER)
        session.add(org)
        session.flush()
        issued = create_credential(session, org, now=utcnow())
        session.commit()
    token = base64.b64encode(f"{issued.username}:{issued.password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "text/plain"}
    client = bench.app.test_client()
    counter = iter(range(10**9))

    def send() -> Any:
        response = client.post("/exchange/hl7", data=_vxu(next(counter)), headers=headers,
                               base_url=BASE_URL)  # fmt: skip
        if response.status_code != 200 or b"MSA|AA|" not in response.data:
            raise BenchError(f"/exchange/hl7 answered {response.status_code}: {response.data!r}")
        return response

    send()  # warm: the credential verified once, as a running system's is
    count = bench.sizes.vxu_count
    started = time.perf_counter()
    for _ in range(count):
        send()
    elapsed = time.perf_counter() - started
    yield "vxu_count", count
    yield "vxu_per_s", round(count / elapsed, 1)
    timed = bench.paired(send, bench.sizes.page_rounds)
    yield "vxu_ms", _ms(timed.route)
    yield "vxu_vs_healthz", _ratio(timed.vs_healthz)


HEALTHY_WORKBOOK = ("cdsi", "testcases", "cdsi-healthy-childhood-and-adult-test-cases-v4.45.xlsx")
QUICK_CASES = 60  # --quick: the first cases of the workbook, not all 1,013


def _workbook(root: Path) -> Path:
    """CDC's healthy test cases, where the tests find them (tests/conformance.py's setting)."""
    import os

    raw = os.environ.get("PORTAL_CONFORMANCE_DIR", "").strip()
    base = Path(raw).expanduser() if raw else Path("..") / "shared" / "conformance"
    path = (base if base.is_absolute() else root / base).resolve().joinpath(*HEALTHY_WORKBOOK)
    if not path.is_file():
        raise BenchError(f"CDC's test cases are missing: {path}")
    return path


def _spread(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return _ms(statistics.median(ordered)), _ms(p95)


def forecasts(bench: Bench, root: Path, parent: Browser) -> Iterator[Figure]:
    """The forecast per patient (every vaccine group, as the record page asks for it: the
    status of portal.forecast.status) over CDC's healthy cases and over the bench's
    records; the CDC suite's run (conformance.run, its own clock); and the record page
    seen for the first time (the page cache off, so the forecast and the render run)."""
    import time
    from datetime import date

    import sqlalchemy as sa

    from portal.forecast import conformance
    from portal.forecast.status import record_status
    from portal.forecast.supporting import load
    from portal.registry import Immunization, Patient

    data = load()
    cases = conformance.read_cases(_workbook(root))
    if bench.sizes is QUICK:
        cases = cases[:QUICK_CASES]
    samples = []
    for case in cases:
        started = time.perf_counter()
        record_status(case.birth, case.doses, case.assessment, case.gender, data)
        samples.append((time.perf_counter() - started) * 1000)
    median, p95 = _spread(samples)
    yield "forecast_cases", len(cases)
    yield "forecast_ms_median", median
    yield "forecast_ms_p95", p95
    yield "forecast_doses_max", max(len(c.doses) for c in cases)

    engine = engine_for(bench.app.config["DATABASE_URL"])
    with Session(engine) as session:
        people = {p.id: (p.birth_date, []) for p in session.scalars(sa.select(Patient))}
        for pid, cvx, given_on in session.execute(
            sa.select(Immunization.patient_id, Immunization.cvx_code, Immunization.given_on)
        ):
            people[pid][1].append((cvx, given_on))
    today = date.today()
    samples = []
    for _ in range(max(1, bench.sizes.page_rounds // 5)):
        for birth, doses in people.values():
            started = time.perf_counter()
            record_status(birth, doses, today, "", data)
            samples.append((time.perf_counter() - started) * 1000)
    median, p95 = _spread(samples)
    yield "forecast_records", len(people)
    yield "forecast_records_doses_max", max(len(d) for _b, d in people.values())
    yield "forecast_records_ms_median", median
    yield "forecast_records_ms_p95", p95

    checked, failures, elapsed = conformance.run_cases(cases)
    yield "cdsi_suite_cases", len(checked)
    yield "cdsi_suite_passed", len(checked) - len(failures)
    yield "cdsi_suite_s", round(elapsed, 2)

    kept = [bench.app.extensions[k] for k in ("portal.record_views", "portal.record_sections")]
    sizes = [k.size for k in kept]
    page = f"/records/{bench.family.record_link_id}"
    try:
        for k in kept:
            k.size = 0
        timed = bench.paired(lambda: parent.get(page), bench.sizes.page_rounds)
    finally:
        for k, size in zip(kept, sizes, strict=True):
            k.size = size
    yield "record_page_first_view_ms", _ms(timed.route)
    yield "record_page_first_view_vs_healthz", _ratio(timed.vs_healthz)
