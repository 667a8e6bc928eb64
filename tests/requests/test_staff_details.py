"""What the family sent, as the help desk reads it: the report form's codes in words, the
shot it is about by vaccine and date, in the agent's language; nothing stored for the
record's sake (ids, before/after) shown as if the family had said it."""

from __future__ import annotations

from datetime import date

import pytest

from portal.accounts.models import Role
from portal.requests.staff_words import family_details

from .family_helpers import requests_in, token_of

REPORTED = {
    "en": ["What is the mistake about?", "A shot on the record", "Which shot",
           "MMR (measles, mumps, rubella) (CVX 03), 2020-03-20", "What is wrong with it",
           "The date is wrong", "What the record says now", "March 20, 2020",
           "What is right", "March 2, 2020"],
    "es": ["¿De qué se trata el error?", "Una vacuna del registro", "Qué vacuna",
           "(CVX 03), 2020-03-20", "Qué está mal", "La fecha está mal",
           "Lo que dice el registro ahora", "March 20, 2020", "Qué es lo correcto",
           "March 2, 2020"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_reported_wrong_date_reads_in_words_on_the_staff_page(
    app, client, db, make, login, lang: str
) -> None:
    parent = make.user()
    child = make.patient(first_name="Maya")
    dose = make.dose(child, cvx_code="03", given_on=date(2020, 3, 20))
    link = make.link(parent, child)
    login(client, parent)
    form = client.get(f"/records/{link.id}/report").get_data(as_text=True)
    filed = client.post(
        f"/records/{link.id}/report",
        data={"token": token_of(form), "about": "dose", "dose": str(dose.id),
              "problem": "wrong_date", "wrong": "March 20, 2020", "right": "March 2, 2020"},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert filed.status_code == 302
    (request,) = requests_in(db)

    agent = make.user(role=Role.AGENT, locale=lang)
    staff = app.test_client()
    login(staff, agent)
    page = staff.get(f"/staff/requests/{request.id}").get_data(as_text=True)
    start = page.index('id="details-heading"')
    shown = page[start : page.index("</dl>", start)]
    at = 0
    for words in REPORTED[lang]:
        found = shown.find(words, at)
        assert found >= 0, f"{words!r} missing or out of order in {shown}"
        at = found
    for code in ("immunization_id", ">about<", ">dose<", "wrong_date", ">cvx<", ">given_on<"):
        assert code not in shown


def test_the_order_is_the_forms_whatever_the_column_kept(app) -> None:
    with app.test_request_context():
        details = {"right": "2020-03-02", "about": "detail", "detail": "birth_date",
                   "wrong": "2020-03-20", "filed_by": 7, "channel": "phone", "extra": "x",
                   "changes": [{"before": {}}], "note": ""}  # fmt: skip
        assert family_details(details, "en") == [
            ("What is the mistake about?", "A personal detail (name, birth date, address...)"),
            ("Which detail", "Birth date"),
            ("What the record says now", "2020-03-20"),
            ("What is right", "2020-03-02"),
            ("extra", "x"),  # a detail with no words here is still shown
        ]


def test_a_verification_shows_its_relationship_in_words(app) -> None:
    with app.test_request_context():
        details = {"relationship": "guardian", "last_name": "Núñez", "first_name": "Mateo",
                   "birth_date": "2020-05-01", "middle_name": ""}  # fmt: skip
        assert family_details(details, "en") == [
            ("First name", "Mateo"),
            ("Last name", "Núñez"),
            ("Birth date", "2020-05-01"),
            ("Relationship", "Legal guardian"),
        ]
