"""The record page for the family and for the help desk, through the client."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.registry import AccessAction, AccessChannel, AccessEvent, RecordSource


def _sections(html: str) -> dict[str, str]:
    """Each vaccine group's heading mapped to the HTML up to the next group."""
    parts = re.split(r'<h3 id="group-\d+">', html)[1:]
    return {p.split("</h3>")[0].strip(): p.split("</h3>")[1] for p in parts}


def test_family_sees_the_whole_record(client, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name="Sunrise Clinic")
    patient = make.patient(first_name="Lucía", last_name="Ñuñez", birth_date=date(2019, 3, 14))
    make.dose(
        patient,
        cvx_code="03",
        given_on=date(2020, 3, 20),
        lot_number="MMR-77",
        administering_org=clinic,
    )
    make.tb_test(patient, result="0 mm")
    link = link_for(parent, patient)

    response = client.get(f"/records/{link.id}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Lucía Ñuñez" in html and "March 14, 2019" in html
    assert "12 Elm St" in html and "Fresno, CA 93701" in html and "(559) 555-0123" in html
    assert "Ana Lopez" in html  # the guardian
    assert "MMR (measles, mumps, rubella)" in html and "Mar 20, 2020" in html
    assert "1 year" in html and "Sunrise Clinic" in html and "MMR-77" in html
    assert "Skin test (TST)" in html and "0 mm" in html
    assert f'action="/records/{link.id}/shot-record.pdf"' in html
    assert "report a mistake" in html and "locked (not shared) or unlocked" in html
    assert "Shared since March 20, 2019." in html
    assert "<title>Shot record ·" in html  # no name in the browser's title bar
    assert "Lucía" not in html.split("<title>")[1].split("</title>")[0]


def test_combination_listed_under_each_group_and_deleted_doses_absent(
    client, make, parent, link_for
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient, cvx_code="110", given_on=date(2019, 5, 14), lot_number="COMBO-1")
    make.dose(
        patient, cvx_code="10", given_on=date(2019, 7, 14), lot_number="GONE-42", deleted=True
    )
    link = link_for(parent, patient)

    html = client.get(f"/records/{link.id}").get_data(as_text=True)
    sections = _sections(html)

    assert list(sections) == [
        "Diphtheria, tetanus, whooping cough (DTaP/Tdap/Td)",
        "Polio",
        "Hepatitis B (HepB)",
    ]
    for body in sections.values():
        assert "COMBO-1" in body and "Combination vaccine." in body
    assert (
        "Also counts for: Hepatitis B, Polio"
        in sections["Diphtheria, tetanus, whooping cough (DTaP/Tdap/Td)"]
    )
    assert "GONE-42" not in html and "Jul 14, 2019" not in html
    assert "1 dose is recorded." in html


def test_timeline_is_an_accessible_image_with_a_mark_per_listed_dose(
    client, make, parent, link_for, add_schedule
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=date(2012, 5, 17))
    add_schedule(patient, 12)
    link = link_for(parent, patient)

    html = client.get(f"/records/{link.id}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]

    assert 'role="img"' in svg and 'aria-labelledby="timeline-title"' in svg
    assert 'aria-describedby="timeline-desc"' in svg
    assert '<title id="timeline-title">' in svg and '<desc id="timeline-desc">' in svg
    rows = html.count('<th scope="row"')
    marks = svg.count("<circle") + svg.count("<polygon") - 2  # less the legend's two shapes
    assert marks == rows == 12 + 2 * 3  # three DTaP-HepB-IPV doses count in three groups
    assert "<script" not in html and "style=" not in svg


def test_locked_and_undisclosed_birth_certificate_records_are_explained(
    client, make, parent, link_for
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(
        source=RecordSource.BIRTH_CERTIFICATE,
        disclosed=False,
        disclosed_on=None,
        shared=False,
        sharing_effective_on=date(2024, 2, 1),
    )
    link = link_for(parent, patient)

    html = client.get(f"/records/{link.id}").get_data(as_text=True)

    assert "Locked" in html and "Locked since February 1, 2024." in html
    assert "Only the doctor's office that created this record can see it." in html
    assert "started from a birth certificate" in html and "Not yet given" in html
    assert "No shots are recorded yet." in html


@pytest.mark.parametrize("case", ["another parent's", "unlinked", "expired", "nonexistent"])
@pytest.mark.parametrize("suffix", ["", "/shot-record.pdf"])
def test_a_link_that_is_not_the_users_answers_404(
    client, make, parent, link_for, case: str, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient)
    owner = make.user() if case == "another parent's" else parent
    link = link_for(
        owner,
        patient,
        unlinked_at=utcnow() if case == "unlinked" else None,
        ends_on=date.today() - timedelta(days=1) if case == "expired" else None,
    )
    link_id = link.id + 1000 if case == "nonexistent" else link.id

    method = "POST" if suffix else "GET"  # printing issues a new card, so it is a POST
    response = client.open(f"/records/{link_id}{suffix}", method=method)

    assert response.status_code == 404
    assert patient.last_name.encode() not in response.data


@pytest.mark.parametrize("role", [Role.SCHOOL_VERIFIER, Role.AGENT])
def test_other_roles_cannot_use_the_family_page(client, make, login, link_for, role) -> None:  # type: ignore[no-untyped-def]
    user = make.user(role=role)
    link = link_for(user, make.patient())
    login(client, user)

    assert client.get(f"/records/{link.id}").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, make, link_for) -> None:  # type: ignore[no-untyped-def]
    link = link_for(make.user(), make.patient())

    response = client.get(f"/records/{link.id}")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_view_shows_the_record_and_logs_the_access(client, make, login, db) -> None:  # type: ignore[no-untyped-def]
    agent = make.user(role=Role.AGENT)
    patient = make.patient(first_name="Tomás")
    make.dose(patient, lot_number="LOT-STAFF")
    login(client, agent)

    html = client.get(f"/staff/patients/{patient.id}").get_data(as_text=True)

    assert "Tomás" in html and "12 Elm St" in html and "LOT-STAFF" in html
    assert "access log" in html and "shot-record.pdf" not in html
    events = db.scalars(sa.select(AccessEvent)).all()
    assert [(e.patient_id, e.user_id, e.action, e.channel) for e in events] == [
        (patient.id, agent.id, AccessAction.VIEW, AccessChannel.PORTAL)
    ]


def test_staff_view_of_no_record_is_404_and_logs_nothing(client, make, login, db) -> None:  # type: ignore[no-untyped-def]
    login(client, make.user(role=Role.SUPERVISOR))

    assert client.get("/staff/patients/424242").status_code == 404
    assert db.scalar(sa.select(sa.func.count()).select_from(AccessEvent)) == 0


def test_parents_and_staff_without_second_factor_cannot_use_the_staff_view(
    client, make, login, db, parent
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()

    assert client.get(f"/staff/patients/{patient.id}").status_code == 403
    agent_client = client.application.test_client()
    login(agent_client, make.user(role=Role.AGENT), mfa=False)
    response = agent_client.get(f"/staff/patients/{patient.id}")
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    assert db.scalar(sa.select(sa.func.count()).select_from(AccessEvent)) == 0


def test_the_page_costs_the_same_few_queries_for_one_dose_or_forty(
    app, client, make, parent, link_for
) -> None:  # type: ignore[no-untyped-def]
    from portal.db import engine_for

    clinics = [make.org() for _ in range(5)]
    small, large = make.patient(), make.patient(birth_date=date(2010, 1, 1))
    make.dose(small)
    for i in range(40):
        given = date(2010, 2, 1) + timedelta(days=60 * i)
        make.dose(large, cvx_code=("110", "03", "21", "140")[i % 4], given_on=given,
                  administering_org=clinics[i % 5])  # fmt: skip
    for clinic in clinics[:3]:
        make.tb_test(large, organization=clinic)
    links = [link_for(parent, small), link_for(parent, large)]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = engine_for(app.config["DATABASE_URL"])
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        counts = []
        for link in links:
            statements.clear()
            assert client.get(f"/records/{link.id}").status_code == 200
            counts.append(len(statements))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    assert counts[0] == counts[1] <= 6, statements


def test_a_long_record_opens_with_a_jump_list_to_each_vaccine_group(
    client, make, parent, link_for, add_schedule
) -> None:  # type: ignore[no-untyped-def]
    long, short = make.patient(birth_date=date(2012, 5, 17)), make.patient()
    add_schedule(long)
    make.dose(short, cvx_code="03")
    links = link_for(parent, long), link_for(parent, short)

    html = client.get(f"/records/{links[0].id}").get_data(as_text=True)
    nav = re.search(r'<nav class="jump-list" aria-labelledby="jump-title">(.*?)</nav>', html, re.S)
    headings = re.findall(r'<h3 id="(group-\d+)">\s*(.*?)\s*</h3>', html)

    assert nav is not None and html.index(nav.group(0)) < html.index('id="about-heading"')
    assert '<p id="jump-title"' in nav.group(1) and "Jump to a vaccine group" in nav.group(1)
    targets = re.findall(r'<a href="#(group-\d+)">([^<]+)</a>', nav.group(1))
    assert [t for t, _ in targets] == [h for h, _ in headings] and len(targets) >= 10
    assert ("group-1", "DTaP/Tdap/Td") == targets[0] and targets[-1][1] == "Meningococcal"
    short_html = client.get(f"/records/{links[1].id}").get_data(as_text=True)
    assert "jump-list" not in short_html


@pytest.mark.parametrize("page_lang", ["en", "es"])
def test_the_print_form_offers_each_language_with_the_pages_own_selected(
    client, make, parent, link_for, page_lang: str
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient)
    link = link_for(parent, patient)
    parent.locale = page_lang
    make.db.commit()

    html = client.get(f"/records/{link.id}").get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/records/\d+/shot-record.pdf".*?</form>', html, re.S
    )

    assert form is not None
    body = form.group(0)
    assert 'name="csrf_token"' in body
    label = re.search(r'<label for="print-lang">([^<]+)</label>', body)
    assert label is not None
    wording = {"en": "Language of the printout", "es": "Idioma de la copia impresa"}
    assert label.group(1) == wording[page_lang]
    option = r'<option value="(\w+)" lang="([\w-]+)"( selected)?>([^<]+)</option>'
    options = re.findall(option, body)
    assert [(code, lang, name) for code, lang, _, name in options] == [
        ("en", "en", "English"), ("es", "es", "Español"), ("zh_Hans", "zh-Hans", "简体中文"),
        ("zh_Hant", "zh-Hant", "繁體中文"), ("vi", "vi", "Tiếng Việt"), ("tl", "tl", "Tagalog"),
        ("ko", "ko", "한국어"),
    ]  # fmt: skip
    assert [code for code, _, selected, _ in options if selected] == [page_lang]
    assert '<select id="print-lang" name="lang"' in body


def _words(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.mark.parametrize(
    "record",
    [
        {"disclosed": True},
        {"disclosed": True, "disclosed_on": None},
        {"disclosed": False, "disclosed_on": None},
        {"disclosed": False, "disclosed_on": None, "source": RecordSource.BIRTH_CERTIFICATE},
        {"shared": False},
    ],
)
def test_the_staff_view_speaks_to_staff_not_to_the_family(client, make, login, record) -> None:  # type: ignore[no-untyped-def]
    login(client, make.user(role=Role.AGENT))
    patient = make.patient(**record)
    make.dose(patient)

    words = _words(client.get(f"/staff/patients/{patient.id}").get_data(as_text=True))

    assert not re.search(r"\b(you|your|yours)\b", words, re.I), words
    assert re.search(r"\b(the family|this family|the patient)\b", words), words


def test_translations_are_fetched_a_few_times_a_page_not_once_a_string(
    client, make, parent, link_for, add_schedule, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """flask-babel looks up its request context on every fetch: ~600 a page before."""
    import flask_babel

    small, large = make.patient(), make.patient(birth_date=date(2012, 5, 17))
    make.dose(small)
    add_schedule(large, 40)
    links = [link_for(parent, small), link_for(parent, large)]
    fetch = flask_babel.Domain.get_translations
    calls: list[int] = []

    def counting(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        return fetch(self)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", counting)
    counts = []
    for link in links:
        calls.clear()
        assert client.get(f"/records/{link.id}").status_code == 200
        counts.append(len(calls))

    assert counts[0] == counts[1] <= 6, counts
