"""Access alerts: the opt-in on the "who looked" page, and `portal send-access-alerts` (an email,
at most daily, when an organization other than the owner opens a record the family follows)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.alerts.commands import send_access_alerts_command
from portal.alerts.models import AccessAlertOptIn
from portal.alerts.rules import SETTLE, may_send, opens_record, opens_record_sql
from portal.alerts.services import send_access_alerts, set_opt_in
from portal.mail.models import OutboxMessage
from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome, Patient

START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # the family says yes
DAY = date(2026, 3, 2)


@pytest.fixture
def in_app(app):  # type: ignore[no-untyped-def]
    """An app context, as the daily command has (not a request's)."""
    with app.app_context():
        yield


def _mail(db) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _followed(make, db, **user):  # type: ignore[no-untyped-def]
    parent = make.user(**user)
    child = make.patient(first_name="Valentina", last_name="Ortega", birth_date=date(2020, 5, 1))
    link = make.link(parent, child)
    set_opt_in(db, link.id, True, START)
    db.commit()
    return parent, child, link


def _event(db, patient, org, at, action=AccessAction.QUERY,  # type: ignore[no-untyped-def]
           outcome=AccessOutcome.ALLOWED):  # fmt: skip
    db.add(AccessEvent(patient=patient, organization=org, occurred_at=at, action=action,
                       outcome=outcome, channel=AccessChannel.HL7))  # fmt: skip
    db.commit()


# --- the rules ----------------------------------------------------------------------------

CASES = list(itertools.product(AccessAction, AccessOutcome, ("owner", "other", None)))


def test_what_counts_as_opening_the_record() -> None:
    owner = 7
    org = {"owner": owner, "other": 8, None: None}
    opening = {(a, o, who) for a, o, who in CASES if opens_record(a, o, org[who], owner)}
    assert opening == {
        (AccessAction.QUERY, AccessOutcome.ALLOWED, "other"),
        (AccessAction.VERIFY, AccessOutcome.ALLOWED, "other"),
    }
    # a record with no owner: any organization's opening counts
    assert opens_record(AccessAction.QUERY, AccessOutcome.ALLOWED, 8, None)
    assert not opens_record(AccessAction.QUERY, AccessOutcome.DENIED, 8, None)


def test_the_sql_condition_says_what_the_function_says(db, make) -> None:  # type: ignore[no-untyped-def]
    owner, other = make.org(), make.org()
    patient = make.patient(owner=owner)
    orgs = {"owner": owner, "other": other, None: None}
    expected = set()
    for n, (action, outcome, who) in enumerate(CASES):
        at = START + timedelta(seconds=n)
        _event(db, patient, orgs[who], at, action, outcome)
        if opens_record(action, outcome, orgs[who].id if orgs[who] else None, owner.id):
            expected.add(at)
    found = set(db.scalars(
        sa.select(AccessEvent.occurred_at).join(Patient, Patient.id == AccessEvent.patient_id)
        .where(AccessEvent.patient_id == patient.id, opens_record_sql())
    ))  # fmt: skip
    assert found == expected and len(expected) == 2


def test_at_most_one_email_a_day() -> None:
    assert may_send([None, None], DAY)
    assert may_send([DAY - timedelta(days=1)], DAY)
    assert not may_send([None, DAY], DAY)


# --- the daily run ------------------------------------------------------------------------


def test_another_organization_opening_the_record_sends_one_email_a_day(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    parent, child, _link = _followed(make, db)
    clinic = make.org(name="Valle Verde Family Clinic")
    _event(db, child, clinic, START + timedelta(hours=1))

    evening = START + timedelta(hours=3)
    assert send_access_alerts(db, evening, DAY) == 1
    assert send_access_alerts(db, evening, DAY) == 0  # the same run again: nothing
    _event(db, child, clinic, START + timedelta(hours=4))
    assert send_access_alerts(db, START + timedelta(hours=6), DAY) == 0  # already told today
    db.commit()
    (message,) = _mail(db)
    assert message.recipient == parent.email
    assert message.subject == "An organization looked at a record you follow"

    # the next day the evening's opening is news (it was kept, not lost)
    assert send_access_alerts(db, START + timedelta(days=1), DAY + timedelta(days=1)) == 1
    # and the day after, with nothing new, nothing
    assert send_access_alerts(db, START + timedelta(days=2), DAY + timedelta(days=2)) == 0
    db.commit()
    assert len(_mail(db)) == 2


def test_what_sends_nothing(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, child, _link = _followed(make, db)
    other = make.org()
    _event(db, child, other, START - timedelta(days=3))  # before the yes: not news
    _event(db, child, child.owner, START + timedelta(minutes=5))  # the owner itself
    _event(db, child, other, START + timedelta(minutes=6), outcome=AccessOutcome.DENIED)
    _event(db, child, other, START + timedelta(minutes=7), action=AccessAction.SUBMIT)
    _event(db, child, other, START + timedelta(minutes=8), action=AccessAction.MATCH)
    _event(db, child, None, START + timedelta(minutes=9), action=AccessAction.VIEW)  # help desk
    assert send_access_alerts(db, START + timedelta(hours=2), DAY) == 0
    assert _mail(db) == []


def test_an_event_not_yet_settled_waits_for_the_next_run(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, child, _link = _followed(make, db)
    at = START + timedelta(hours=1)
    _event(db, child, make.org(), at)
    assert send_access_alerts(db, at + SETTLE - timedelta(seconds=1), DAY) == 0
    assert send_access_alerts(db, at + SETTLE, DAY) == 1


def test_one_email_for_several_records_of_one_account(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    parent, first, _link = _followed(make, db)
    second = make.patient(birth_date=date(2022, 1, 1))
    set_opt_in(db, make.link(parent, second).id, True, START)
    other = make.org()
    _event(db, first, other, START + timedelta(hours=1))
    _event(db, second, other, START + timedelta(hours=1))
    assert send_access_alerts(db, START + timedelta(hours=2), DAY) == 1
    db.commit()
    assert len(_mail(db)) == 1
    assert set(db.scalars(sa.select(AccessAlertOptIn.last_sent_on))) == {DAY}


def test_only_links_in_force_opted_in_and_confirmed(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    other = make.org()
    _p1, ended_child, ended = _followed(make, db)
    ended.unlinked_at = START + timedelta(minutes=1)
    _p2, unconfirmed_child, _l2 = _followed(make, db, email_confirmed_at=None)
    _p3, stopped_child, stopped = _followed(make, db)
    set_opt_in(db, stopped.id, False, START)
    parent4 = make.user()
    quiet_child = make.patient()
    make.link(parent4, quiet_child)  # never asked
    db.commit()
    for child in (ended_child, unconfirmed_child, stopped_child, quiet_child):
        _event(db, child, other, START + timedelta(hours=1))
    assert send_access_alerts(db, START + timedelta(hours=2), DAY) == 0
    assert _mail(db) == []


def test_no_health_details_and_the_familys_language(in_app, db, make) -> None:  # type: ignore[no-untyped-def]
    _parent, child, _link = _followed(make, db, locale="es")
    clinic = make.org(name="Valle Verde Family Clinic")
    _event(db, child, clinic, START + timedelta(hours=1))
    send_access_alerts(db, START + timedelta(hours=2), DAY)
    db.commit()
    (message,) = _mail(db)
    assert message.subject == "Una organización consultó un registro que usted sigue"
    assert "Inicie sesión" in message.body and "Sign in" not in message.body
    text = (message.subject + " " + message.body).lower()
    for detail in ("valentina", "ortega", child.registry_id.lower(), "valle verde", "2020",
                   "2026", "clinic"):  # fmt: skip
        assert detail not in text, detail


def test_the_command_queues_and_a_second_run_does_not(app, db, make, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _parent, child, _link = _followed(make, db, locale="es")
    _event(db, child, make.org(), START + timedelta(hours=1))
    later = START + timedelta(hours=5)
    monkeypatch.setattr("portal.orm.utcnow", lambda: later)
    monkeypatch.setattr("portal.i18n.utcnow", lambda: later)
    runner = app.test_cli_runner()
    first = runner.invoke(send_access_alerts_command, [])
    second = runner.invoke(send_access_alerts_command, [])
    assert first.exit_code == 0, first.output
    assert "1 access alert email(s) queued." in first.output
    assert "0 access alert email(s) queued." in second.output
    (message,) = _mail(db)
    assert message.subject == "Una organización consultó un registro que usted sigue"


# --- the page -----------------------------------------------------------------------------


def test_the_who_looked_page_turns_emails_on_and_off(client, db, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    link = link_for(parent, make.patient())
    page = client.get(f"/records/{link.id}/access").get_data(as_text=True)
    assert "Email me when an organization looks" in page and 'name="want" value="on"' in page

    response = client.post(f"/records/{link.id}/access-alerts", data={"want": "on"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/records/{link.id}/access#alerts-heading")
    db.expire_all()
    opt_in = db.scalar(sa.select(AccessAlertOptIn))
    assert opt_in is not None and opt_in.link_id == link.id and opt_in.last_sent_on is None
    page = client.get(f"/records/{link.id}/access").get_data(as_text=True)
    assert "Emails are on." in page and "Stop these emails" in page

    client.post(f"/records/{link.id}/access-alerts", data={"want": "off"})
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(AccessAlertOptIn.id))) == 0


def test_a_bad_value_or_someone_elses_record_is_refused(client, db, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    link = link_for(parent, make.patient())
    other = make.link(make.user(), make.patient())
    assert client.post(f"/records/{link.id}/access-alerts", data={"want": "yes"}).status_code == 400
    assert client.post(f"/records/{other.id}/access-alerts", data={"want": "on"}).status_code == 404
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(AccessAlertOptIn.id))) == 0
