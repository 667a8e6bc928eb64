"""My records: every linked record in one list, links that end at 18, unlinking, no IDOR."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.linking.models import PatientLink, Relationship
from portal.linking.services import active_link_for, active_links
from portal.orm import utcnow
from portal.registry import RecordSource
from tests.linking.conftest import years_ago


def test_every_linked_record_is_listed_with_its_facts(client, make, login, today) -> None:
    parent = make.user()
    child = make.patient(first_name="Maya", last_name="Reyes", birth_date=date(2020, 1, 5),
                         shared=False, sharing_effective_on=date(2024, 2, 1))  # fmt: skip
    own = make.patient(first_name="Rosa", last_name="Reyes", birth_date=date(1988, 7, 9))
    make.dose(child)
    make.dose(child, cvx_code="20")
    make.dose(child, cvx_code="10", deleted=True)
    make.link(parent, child)
    make.link(parent, own, relationship_=Relationship.SELF)
    login(client, parent)

    page = client.get("/records").get_data(as_text=True)
    assert page.index("Rosa Reyes") < page.index("Maya Reyes")  # own record first
    assert "your own record" in page
    assert "January 5, 2020" in page and "July 9, 1988" in page
    assert "<dt>Shots on record</dt><dd>2</dd>" in page.replace("\n", "")
    assert "Locked" in page and "since Feb 1, 2024" in page
    assert "Shared" in page  # Rosa's record


def test_the_empty_list_explains_and_offers_to_add(client, make, login) -> None:
    login(client, make.user())
    page = client.get("/records").get_data(as_text=True)
    assert "No records yet" in page
    assert 'href="/records/add"' in page


def test_documents_sent_and_no_record_yet_say_the_help_desk_is_on_it(
    client, make, login, db
) -> None:
    """Not "No records yet" over a big "Add a record" button: a parent would send again."""
    from portal.requests.models import Request, RequestKind, RequestStatus

    parent = make.user()
    now = utcnow()
    request = Request(kind=RequestKind.VERIFICATION, requester=parent, created_at=now,
                      updated_at=now, details={"first_name": "Diego", "last_name": "Martínez",
                                               "birth_date": "2019-10-22"})  # fmt: skip
    db.add(request)
    db.commit()
    login(client, parent)
    page = client.get("/records").get_data(as_text=True)
    assert "The help desk is checking your documents" in page and "No records yet" not in page
    assert 'class="button secondary" href="/records/add"' in page
    assert "Diego Martínez" in page

    request.status, request.closed_at = RequestStatus.REJECTED, now
    db.commit()
    page = client.get("/records").get_data(as_text=True)
    assert "No records yet" in page and "checking your documents" not in page


def test_the_start_page_leads_to_each_way(client, make, login) -> None:
    login(client, make.user())
    page = client.get("/records/add").get_data(as_text=True)
    for path in ("/records/add/match", "/records/add/access-code", "/records/add/verification"):
        assert f'href="{path}"' in page


def test_records_of_other_accounts_do_not_show(client, make, login) -> None:
    mine, theirs = make.patient(first_name="Mine"), make.patient(first_name="Theirs")
    parent, other = make.user(), make.user()
    make.link(parent, mine)
    make.link(other, theirs)
    login(client, parent)
    page = client.get("/records").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page


def test_a_record_not_yet_disclosed_says_what_that_means(client, make, login) -> None:
    parent = make.user()
    child = make.patient(source=RecordSource.BIRTH_CERTIFICATE, disclosed=False,
                         disclosed_on=None, shared=False, sharing_effective_on=None)  # fmt: skip
    make.link(parent, child)
    login(client, parent)
    page = client.get("/records").get_data(as_text=True)
    assert "started from the birth certificate" in page
    assert "cannot open it until a provider has given you the registry notice" in page
    assert "You can still see the record here." in page


def test_each_record_on_the_dashboard_links_to_its_record_page(client, make, login) -> None:
    parent = make.user()
    link = make.link(parent, make.patient())
    login(client, parent)
    page = client.get("/records").get_data(as_text=True)
    assert f'href="/records/{link.id}"' in page
    assert client.get(f"/records/{link.id}").status_code == 200


def test_a_guardian_link_ends_on_the_eighteenth_birthday(make, db, today) -> None:
    parent = make.user()
    teen = make.patient(birth_date=years_ago(today, 18, days=1))  # 18 tomorrow
    link = make.link(parent, teen)
    assert link.ends_on == today + timedelta(days=1)
    assert active_link_for(db, parent, link.id, today) is not None
    assert active_link_for(db, parent, link.id, today + timedelta(days=1)) is None
    assert active_links(db, parent, today + timedelta(days=1)) == []


def test_an_ended_link_disappears_and_answers_404(client, make, login, today) -> None:
    parent = make.user()
    adult = make.patient(first_name="Grown", birth_date=years_ago(today, 18))  # 18 today
    link = make.link(parent, adult)
    login(client, parent)
    assert "Grown" not in client.get("/records").get_data(as_text=True)
    assert client.get(f"/records/{link.id}/unlink").status_code == 404


def test_the_parent_is_warned_sixty_days_before(client, make, login, today) -> None:
    parent = make.user()
    soon = make.patient(first_name="Soon", birth_date=years_ago(today, 18, days=60))
    later = make.patient(first_name="Later", birth_date=years_ago(today, 18, days=61))
    soon_link = make.link(parent, soon)
    later_link = make.link(parent, later)
    login(client, parent)
    page = client.get("/records").get_data(as_text=True)
    assert page.count("Your access ends on") == 1
    assert "Soon turns 18 then" in page
    assert f"/records/{soon_link.id}/invite" in page
    assert f"/records/{later_link.id}/invite" not in page


def test_unlinking_asks_first_then_removes_the_record(client, make, login, db, today) -> None:
    parent = make.user()
    link = make.link(parent, make.patient(first_name="Leo"))
    login(client, parent)
    confirm = client.get(f"/records/{link.id}/unlink")
    assert confirm.status_code == 200 and b"Remove Leo" in confirm.data
    assert active_link_for(db, parent, link.id, today) is not None  # GET changes nothing
    response = client.post(f"/records/{link.id}/unlink")
    assert response.status_code == 302 and response.headers["Location"] == "/records"
    db.expire_all()
    assert db.get(PatientLink, link.id).unlinked_at is not None
    assert "Leo" not in client.get("/records").get_data(as_text=True)
    assert client.post(f"/records/{link.id}/unlink").status_code == 404


def test_unlinking_needs_the_csrf_token(client, make, login, db) -> None:
    parent = make.user()
    link = make.link(parent, make.patient())
    login(client, parent)
    assert client.post(f"/records/{link.id}/unlink", csrf=False).status_code == 400
    db.expire_all()
    assert db.get(PatientLink, link.id).unlinked_at is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/records/{id}/unlink"),
        ("post", "/records/{id}/unlink"),
        ("get", "/records/{id}/invite"),
        ("post", "/records/{id}/invite"),
    ],
)
def test_another_parents_link_is_not_found_by_any_url(
    client, make, login, db, today, method: str, path: str
) -> None:
    owner, intruder = make.user(), make.user()
    teen = make.patient(birth_date=years_ago(today, 18, days=20))  # invitations are offered
    link = make.link(owner, teen)
    login(client, intruder)
    response = getattr(client, method)(path.format(id=link.id), data={"email": "x@example.org"})
    assert response.status_code == 404
    db.expire_all()
    assert db.get(PatientLink, link.id).unlinked_at is None


def test_active_link_for_refuses_other_unlinked_and_ended_links(make, db, today) -> None:
    parent, other = make.user(), make.user()
    live = make.link(parent, make.patient())
    unlinked = make.link(parent, make.patient(), unlinked_at=utcnow())
    ended = make.link(parent, make.patient(), ends_on=today)
    own = make.link(parent, make.patient(birth_date=date(1980, 1, 1)),
                    relationship_=Relationship.SELF)  # fmt: skip
    assert active_link_for(db, parent, live.id, today) == live
    assert active_link_for(db, parent, own.id, today) == own
    assert active_link_for(db, other, live.id, today) is None
    assert active_link_for(db, parent, unlinked.id, today) is None
    assert active_link_for(db, parent, ended.id, today) is None
    assert active_link_for(db, parent, 999_999, today) is None
    assert {link.id for link in active_links(db, parent, today)} == {live.id, own.id}


@pytest.mark.parametrize("path", ["/records", "/records/add", "/records/add/verification"])
def test_school_and_staff_accounts_are_refused(app, make, login, path: str) -> None:
    for role in ("school_verifier", "agent"):
        client = app.test_client()
        login(client, make.user(role=role))
        assert client.get(path).status_code == 403


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)  # noon in California


def _last_updated(page: str) -> str:
    found = re.search(r"<dt>Last updated</dt><dd>([^<]*)</dd>", page.replace("\n", ""))
    assert found, page
    return found.group(1)


def test_last_updated_is_the_newest_change_to_the_record_doses_or_tb_tests(
    client, make, login
) -> None:
    parent = make.user()
    child = make.patient(updated_at=_at(date(2024, 1, 10)))
    make.dose(child, updated_at=_at(date(2024, 6, 1)))
    login(client, parent)
    make.link(parent, child)
    assert _last_updated(client.get("/records").get_data(as_text=True)) == "Jun 1, 2024"

    make.tb_test(child, created_at=_at(date(2025, 2, 3)))
    assert _last_updated(client.get("/records").get_data(as_text=True)) == "Feb 3, 2025"

    # Removing a dose is a change to the record too; the count leaves it out.
    make.dose(child, deleted=True, updated_at=_at(date(2025, 5, 5)))
    page = client.get("/records").get_data(as_text=True)
    assert _last_updated(page) == "May 5, 2025"
    assert "<dt>Shots on record</dt><dd>1</dd>" in page.replace("\n", "")


def _queries_for_dashboard(app, client) -> int:
    from portal.db import engine_for

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = engine_for(app.config["DATABASE_URL"])
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/records").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_dashboard_takes_the_same_few_queries_for_one_child_or_five(app, make, login) -> None:
    def family(children: int):  # type: ignore[no-untyped-def]
        parent = make.user()
        for i in range(children):
            child = make.patient(first_name=f"Kid{i}", birth_date=date(2015 + i, 1, 1))
            make.dose(child)
            make.tb_test(child)
            make.link(parent, child)
        client = app.test_client()
        login(client, parent)
        client.get("/records")  # the session's first request touches it; count a later one
        return client

    one, five = _queries_for_dashboard(app, family(1)), _queries_for_dashboard(app, family(5))
    assert one == five
    assert five <= 8, five
