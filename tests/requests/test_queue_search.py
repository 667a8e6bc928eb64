"""Patient search: by registry number, or last name and birth date; no PHI in addresses;
finding a record writes no access event, opening it does."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.registry.access_log import AccessEvent


@pytest.fixture
def staff_client(client, login, agent):  # type: ignore[no-untyped-def]
    login(client, agent)
    return client


@pytest.fixture
def people(make):  # type: ignore[no-untyped-def]
    return (
        make.patient(registry_id="CA00001234", first_name="Sofía", last_name="Morales",
                     birth_date=date(2019, 3, 14)),
        make.patient(first_name="Mateo", last_name="Morales", birth_date=date(2019, 3, 14)),
        make.patient(first_name="Sofia", last_name="Morales", birth_date=date(2018, 1, 2)),
    )  # fmt: skip


def events(db) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(sa.select(sa.func.count()).select_from(AccessEvent))


def test_by_registry_number_in_the_address(db, staff_client, people) -> None:
    page = staff_client.get("/staff/search?registry_id=ca00001234").get_data(as_text=True)
    assert f'href="/staff/patients/{people[0].id}"' in page
    assert f"/staff/patients/{people[1].id}" not in page
    assert events(db) == 0  # a search result is not an opening of the record


def test_a_name_in_the_address_is_ignored(staff_client, people) -> None:
    page = staff_client.get("/staff/search?last_name=Morales&birth_date=2019-03-14")
    assert page.status_code == 200
    assert b"/staff/patients/" not in page.data


def test_by_name_and_birth_date_by_post(staff_client, people) -> None:
    page = staff_client.post(
        "/staff/search", data={"last_name": " morales ", "birth_date": "2019-03-14"}
    ).get_data(as_text=True)
    assert f'/staff/patients/{people[0].id}"' in page
    assert f'/staff/patients/{people[1].id}"' in page
    assert f'/staff/patients/{people[2].id}"' not in page
    narrowed = staff_client.post(
        "/staff/search",
        data={"last_name": "Morales", "first_name": "mat", "birth_date": "2019-03-14"},
    ).get_data(as_text=True)
    assert f'/staff/patients/{people[1].id}"' in narrowed
    assert f'/staff/patients/{people[0].id}"' not in narrowed


@pytest.mark.parametrize(
    "data",
    [{}, {"last_name": "Morales"}, {"birth_date": "2019-03-14"},
     {"last_name": "Morales", "birth_date": "14/03/2019x"}, {"registry_id": "CA 12;--"},
     {"registry_id": "x" * 40}],
)  # fmt: skip
def test_an_incomplete_or_tampered_search_is_a_form_error(staff_client, people, data) -> None:
    answer = staff_client.post("/staff/search", data=data)
    assert answer.status_code == 200
    assert b"Please check the form" in answer.data
    assert b"/staff/patients/" not in answer.data


def test_nothing_found_says_so(staff_client, people) -> None:
    answer = staff_client.post("/staff/search", data={"registry_id": "CA99999999"})
    assert answer.status_code == 200 and b"No record matches" in answer.data


def test_opening_a_result_is_an_access_event(db, staff_client, people, agent) -> None:
    assert staff_client.get(f"/staff/patients/{people[0].id}").status_code == 200
    assert events(db) == 1
    event = db.scalars(sa.select(AccessEvent)).one()
    assert (event.patient_id, event.user_id) == (people[0].id, agent.id)


def test_families_and_second_factorless_staff_cannot_search(client, login, make, agent) -> None:
    login(client, make.user())
    assert client.get("/staff/search").status_code == 403
    other = client.application.test_client()
    login(other, agent, mfa=False)
    assert other.post("/staff/search", data={"registry_id": "CA1"}).status_code == 401


def test_the_search_page_carries_a_csrf_token_for_its_post(staff_client) -> None:
    assert b'name="csrf_token"' in staff_client.get("/staff/search").data
