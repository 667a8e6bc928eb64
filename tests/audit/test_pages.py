"""/staff/audit: supervisors only; search by record and by staff member; newest first, paged."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.audit import service

SUPERVISOR_ROUTES = [("get", "/staff/audit"), ("post", "/staff/audit")]


@pytest.fixture
def supervisor_client(app, make, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, make.user(role=Role.SUPERVISOR))
    return client


@pytest.mark.parametrize(("method", "path"), SUPERVISOR_ROUTES)
def test_only_a_supervisor_past_the_second_factor_gets_in(app, make, login, method, path) -> None:
    anonymous = app.test_client()
    assert getattr(anonymous, method)(path).status_code in (302, 401)
    for role in (Role.PARENT, Role.AGENT, Role.SCHOOL_VERIFIER):
        client = app.test_client()
        login(client, make.user(role=role))
        assert getattr(client, method)(path).status_code == 403, role
    pending = app.test_client()
    login(pending, make.user(role=Role.SUPERVISOR), mfa=False)
    assert getattr(pending, method)(path).status_code in (302, 401)


def test_the_page_lists_entries_newest_first(supervisor_client, make, append) -> None:
    agent = make.user(role=Role.AGENT, email="rosa@example.org")
    first = make.patient(registry_id="CA00000111")
    second = make.patient(registry_id="CA00000222")
    append(agent, patient=first)
    append(agent, patient=second)
    page = supervisor_client.get("/staff/audit").get_data(as_text=True)
    assert page.index("CA00000222") < page.index("CA00000111")
    assert "rosa@example.org" in page and "Opened a record" in page


def test_search_by_record_and_by_staff_member_keeps_them_out_of_the_address(
    supervisor_client, make, append
) -> None:
    rosa = make.user(role=Role.AGENT, email="rosa@example.org")
    luis = make.user(role=Role.AGENT, email="luis@example.org")
    mine, other = make.patient(registry_id="CA00000333"), make.patient(registry_id="CA00000444")
    append(rosa, patient=mine)
    append(luis, patient=mine)
    append(rosa, patient=other)

    found = supervisor_client.post("/staff/audit", data={"registry_id": " CA00000333 "})
    assert found.status_code == 302
    assert "CA00000333" not in found.headers["Location"]
    page = supervisor_client.get(found.headers["Location"]).get_data(as_text=True)
    assert page.count("CA00000333") == 3  # the filled-in field and two rows
    assert "CA00000444" not in page

    by_staff = supervisor_client.post("/staff/audit", data={"staff_email": "ROSA@example.org"})
    assert "rosa" not in by_staff.headers["Location"]
    page = supervisor_client.get(by_staff.headers["Location"]).get_data(as_text=True)
    assert "CA00000444" in page and "luis@example.org" not in page

    both = supervisor_client.post(
        "/staff/audit", data={"registry_id": "CA00000333", "staff_email": "luis@example.org"}
    )
    page = supervisor_client.get(both.headers["Location"]).get_data(as_text=True)
    assert "luis@example.org" in page and "CA00000444" not in page and page.count("<tr>") == 2


def test_unknown_record_or_staff_member_is_a_form_error_with_the_input_kept(
    supervisor_client, make
) -> None:
    parent = make.user(email="parent@example.org")
    response = supervisor_client.post(
        "/staff/audit", data={"registry_id": "CA99999999", "staff_email": parent.email}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No record has this registry id." in page
    assert "No staff member has this email address." in page
    assert 'value="CA99999999"' in page


def test_the_service_walks_every_entry_once_newest_first(db, make, append) -> None:
    agent = make.user(role=Role.AGENT)
    for _ in range(5):
        append(agent)
    append(make.user(role=Role.AGENT))  # someone else's, filtered out
    seen, before = [], None
    while True:
        page = service.search(db, actor_id=agent.id, before=before, size=2)
        seen += [entry.id for entry, _registry_id in page.entries]
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == [5, 4, 3, 2, 1]


def test_the_page_links_to_older_entries(supervisor_client, make, append) -> None:
    agent = make.user(role=Role.AGENT)
    for _ in range(service.PAGE_SIZE + 1):
        append(agent)
    page = supervisor_client.get("/staff/audit").get_data(as_text=True)
    assert page.count("<tr>") == service.PAGE_SIZE + 1  # with the header row
    older = "/staff/audit?before=2"  # entries 51..2 on the first page
    assert older in page
    last = supervisor_client.get(older).get_data(as_text=True)
    assert last.count("<tr>") == 2 and "Older entries" not in last


def test_an_empty_search_asks_for_something_to_search_by(supervisor_client) -> None:
    response = supervisor_client.post("/staff/audit", data={})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter a registry id, a staff member's email, or both." in page


@pytest.mark.parametrize("query", ["before=abc", "before=99999999999999999999", "patient=-1",
                                   "actor=99999999999", "patient=123456"])  # fmt: skip
def test_odd_addresses_answer_a_page_not_an_error(supervisor_client, query) -> None:
    assert supervisor_client.get(f"/staff/audit?{query}").status_code == 200
