"""Reminders: the opt-in on the record page, and `portal send-reminders` (once per dose and
stage, idempotent, in the family's language, no health details)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from portal.mail.models import OutboxMessage
from portal.reminders.commands import send_reminders_command
from portal.reminders.models import ReminderOptIn, ReminderSent
from portal.reminders.services import send_reminders, set_opt_in

BIRTH = date(2024, 3, 1)


@pytest.fixture
def on(monkeypatch):  # type: ignore[no-untyped-def]
    def set_today(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        monkeypatch.setattr("portal.i18n.utcnow", lambda: moment)

    return set_today


@pytest.fixture
def in_app(app):  # type: ignore[no-untyped-def]
    """An app context, as `portal send-reminders` has (not a request's)."""
    with app.app_context():
        yield


def _mail(db) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _child(make, **user):  # type: ignore[no-untyped-def]
    parent = make.user(**user)
    child = make.patient(first_name="Valentina", last_name="Ortega", birth_date=BIRTH)
    make.dose(child, cvx_code="08", given_on=BIRTH)
    link = make.link(parent, child)
    return parent, child, link


def test_once_when_due_once_when_overdue_and_never_twice(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    parent, _child_, link = _child(make)
    set_opt_in(db, link.id, True)
    db.commit()

    # HepB dose 2 is due from 1 month (April 1); by July the 2-month shots are late
    assert send_reminders(db, date(2024, 3, 20)) == 0  # only due soon: no email
    assert send_reminders(db, date(2024, 4, 2)) == 1
    assert send_reminders(db, date(2024, 4, 2)) == 0  # the same day again: nothing
    assert send_reminders(db, date(2024, 4, 3)) == 0  # still due, already told
    db.commit()
    sent = {(s.vaccine_group, s.stage, s.dose_number) for s in db.scalars(sa.select(ReminderSent))}
    assert ("HepB", "due", 2) in sent and not any(stage == "overdue" for _g, stage, _n in sent)
    # every group that was due on April 2 was covered by that one email
    assert len(_mail(db)) == 1 and _mail(db)[0].subject == "A shot is due"
    assert _mail(db)[0].recipient == parent.email

    overdue_day = date(2024, 7, 1)
    assert send_reminders(db, overdue_day) == 1
    assert send_reminders(db, overdue_day) == 0
    db.commit()
    assert [m.subject for m in _mail(db)] == ["A shot is due", "A shot is overdue"]


def test_no_health_details_in_the_email(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, child, link = _child(make)
    set_opt_in(db, link.id, True)
    send_reminders(db, date(2024, 7, 1))
    db.commit()
    (message,) = _mail(db)
    text = (message.subject + " " + message.body).lower()
    assert "sign in" in text and "a shot is overdue" in text
    for detail in ("valentina", "ortega", child.registry_id.lower(), "hep", "polio", "dtap",
                   "dose", "2024", "march", "april", "july", "born", "birth"):  # fmt: skip
        assert detail not in text, detail


def test_in_the_familys_language(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, _child_, link = _child(make, locale="es")
    set_opt_in(db, link.id, True)
    send_reminders(db, date(2024, 4, 2))
    db.commit()
    (message,) = _mail(db)
    assert message.subject == "Toca una vacuna"
    assert "Inicie sesión" in message.body and "Sign in" not in message.body


def test_only_records_opted_in_with_a_link_in_force(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, _child_, quiet = _child(make)  # never opted in
    _p2, _c2, ended = _child(make)
    set_opt_in(db, ended.id, True)
    ended.unlinked_at = datetime(2024, 3, 5, tzinfo=UTC)
    _p3, _c3, unconfirmed = _child(make, email_confirmed_at=None)
    set_opt_in(db, unconfirmed.id, True)
    _p4, _c4, stopped = _child(make)
    set_opt_in(db, stopped.id, True)
    set_opt_in(db, stopped.id, False)
    db.commit()
    assert send_reminders(db, date(2024, 7, 1)) == 0
    assert _mail(db) == []


def test_the_command_queues_and_a_second_run_does_not(app, db, make, on) -> None:  # type: ignore[no-untyped-def]
    _parent, _child_, link = _child(make, locale="es")
    set_opt_in(db, link.id, True)
    db.commit()
    on(date(2024, 7, 1))
    runner = app.test_cli_runner()
    first = runner.invoke(send_reminders_command, [])
    second = runner.invoke(send_reminders_command, [])
    assert first.exit_code == 0, first.output
    assert "1 reminder email(s) queued." in first.output
    assert "0 reminder email(s) queued." in second.output
    (message,) = _mail(db)
    assert message.subject == "Hay una vacuna atrasada"  # the command's own app context


def test_the_record_page_turns_reminders_on_and_off(client, db, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    child = make.patient(birth_date=BIRTH)
    link = link_for(parent, child)
    page = client.get(f"/records/{link.id}").get_data(as_text=True)
    assert "Email me when a shot is due" in page and 'name="want" value="on"' in page

    response = client.post(f"/records/{link.id}/reminders", data={"want": "on"})
    assert response.status_code == 302
    db.expire_all()
    assert db.scalar(sa.select(ReminderOptIn.link_id)) == link.id
    page = client.get(f"/records/{link.id}").get_data(as_text=True)
    assert "Reminders are on." in page and "Stop reminders" in page

    client.post(f"/records/{link.id}/reminders", data={"want": "off"})
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(ReminderOptIn.id))) == 0


def test_a_bad_value_or_someone_elses_record_is_refused(client, db, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    child = make.patient(birth_date=BIRTH)
    link = link_for(parent, child)
    other = make.link(make.user(), make.patient(birth_date=BIRTH))
    assert client.post(f"/records/{link.id}/reminders", data={"want": "yes"}).status_code == 400
    assert client.post(f"/records/{other.id}/reminders", data={"want": "on"}).status_code == 404
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(ReminderOptIn.id))) == 0


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "vi", "tl", "ko"])
def test_in_each_new_language(in_app, db, make, locale: str) -> None:  # type: ignore[no-untyped-def]
    from babel.support import Translations

    from portal.translate import TRANSLATIONS

    words = Translations.load(str(TRANSLATIONS), [locale])
    _parent, _child_, link = _child(make, locale=locale)
    set_opt_in(db, link.id, True)
    send_reminders(db, date(2024, 4, 2))
    db.commit()
    (message,) = _mail(db)
    assert words.gettext("A shot is due") != "A shot is due"  # the catalog has it
    assert message.subject == words.gettext("A shot is due")
