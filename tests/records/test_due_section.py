"""What is due on the record page and on My records (portal.forecast.status through the pages)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

BIRTH = date(2024, 3, 1)


@pytest.fixture
def on(monkeypatch):  # type: ignore[no-untyped-def]
    """Set the registry's today (noon UTC is the same day in California)."""

    def set_today(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        monkeypatch.setattr("portal.i18n.utcnow", lambda: moment)

    return set_today


def _due(html: str) -> str:
    return html.split('<section aria-labelledby="due-heading">')[1].split("</section>")[0]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_says_what_is_due_from_when_until_when_and_why(
    client, make, parent, link_for, on
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=BIRTH)
    make.dose(patient, cvx_code="08", given_on=BIRTH)
    link = link_for(parent, patient)
    on(date(2024, 3, 10))

    due = _text(_due(client.get(f"/records/{link.id}").get_data(as_text=True)))

    assert "Status: A shot is due soon" in due
    assert "Hepatitis B (HepB) Due soon Dose 2 is due from April 1, 2024." in due
    assert "Can be given from March 29, 2024" in due  # 4 weeks after the first
    assert "Worked out on March 10, 2024" in due and "version 4.64" in due
    assert "Polio: dose 1 is due from May 1, 2024" in due  # not due yet
    assert "overdue" not in due.lower()


def test_the_next_day_is_a_new_answer_not_a_kept_page(
    client, make, parent, link_for, on
) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=BIRTH)
    link = link_for(parent, patient)
    on(BIRTH)
    first = _text(_due(client.get(f"/records/{link.id}").get_data(as_text=True)))
    on(date(2024, 3, 28))
    later = _text(_due(client.get(f"/records/{link.id}").get_data(as_text=True)))

    assert "Hepatitis B (HepB) Due now Dose 1 is due now. Get it by March 27, 2024" in first
    assert "Status: A shot is due now" in first
    assert "Hepatitis B (HepB) Dose overdue Dose 1 is late: it was due by March 27, 2024." in later
    assert "Ask your doctor or clinic about getting it soon." in later
    assert "Status: A shot is overdue" in later


def test_in_spanish(client, make, parent, link_for, on) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=BIRTH)
    link = link_for(parent, patient)
    on(date(2024, 4, 15))
    html = client.get(f"/records/{link.id}", headers={"Accept-Language": "es"}).get_data(
        as_text=True
    )
    due = _text(_due(html))
    assert "Dosis atrasada" in due and "Hepatitis B (HepB)" in due
    assert "La dosis 1 está atrasada" in due
    assert "overdue" not in due.lower() and "Dose " not in due


def test_my_records_shows_each_child_as_a_word(
    client, make, parent, link_for, on
) -> None:  # type: ignore[no-untyped-def]
    today = date(2024, 3, 10)
    late = make.patient(first_name="Late", birth_date=date(2023, 1, 1))
    now = make.patient(first_name="Now", birth_date=BIRTH)  # HepB at birth not given
    soon = make.patient(first_name="Soon", birth_date=BIRTH)
    make.dose(soon, cvx_code="08", given_on=BIRTH)  # the second from 1 month
    fine = make.patient(first_name="Fine", birth_date=today)
    make.dose(fine, cvx_code="08", given_on=today)  # the second in 31 days
    for p in (late, now, soon, fine):
        link_for(parent, p)
    on(today)

    html = client.get("/records").get_data(as_text=True)
    cards = {
        _text(c.split("</h2>")[0]).split()[0]: _text(c)
        for c in html.split('<li class="card record-card">')[1:]
    }

    assert "Shots due A shot is overdue" in cards["Late"]
    assert "Shots due A shot is due now" in cards["Now"]
    assert "Shots due A shot is due soon" in cards["Soon"]
    assert "Shots due Up to date" in cards["Fine"]
    es = client.get("/records", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Hay una vacuna atrasada" in es and "Al día" in es
