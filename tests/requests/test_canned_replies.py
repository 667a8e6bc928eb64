"""The supervisor keeps the ready answers: list, add, edit, retire, offer again; each change
in the audit trail; the agent's request page offers only the active ones."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditAction
from portal.audit.models import AuditEntry
from portal.requests.models import CannedReply, RequestStatus
from tests.requests.test_staff_actions import new_request

FORM = {
    "title_en": "Ask for the second page",
    "text_en": "Please send the second page of the birth certificate.",
    "title_es": "Pedir la segunda página",
    "text_es": "Envíe la segunda página del acta de nacimiento.",
}


@pytest.fixture
def family(make):  # type: ignore[no-untyped-def]
    return make.user(locale="es")


@pytest.fixture
def supervisor(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.SUPERVISOR, email="boss@example.org")


@pytest.fixture
def boss(client, login, supervisor):  # type: ignore[no-untyped-def]
    login(client, supervisor)
    return client


def entries(db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def test_the_list_shows_each_answer_in_the_pages_language(boss, db, make) -> None:
    make.canned_reply()
    make.canned_reply(title_en="Old answer", title_es="Respuesta vieja", active=False)
    page = boss.get("/staff/replies").get_data(as_text=True)
    assert "Ask for a clearer document" in page and "Old answer" in page
    assert page.index("Ask for a clearer document") < page.index("Old answer")  # active first
    assert page.count(">Retire<") == 1 and page.count(">Offer again<") == 1


def test_adding_an_answer_needs_english_and_is_audited(boss, db, supervisor) -> None:
    answer = boss.post("/staff/replies/new", data={**FORM, "text_es": "  "})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Enter the text too, or leave both empty." in page  # Spanish half written
    assert "Please send the second page of the birth certificate." in page  # input kept
    assert 'value="Pedir la segunda página"' in page
    assert db.scalar(sa.select(sa.func.count()).select_from(CannedReply)) == 0

    long = boss.post("/staff/replies/new", data={**FORM, "title_en": "x" * 81})
    assert long.status_code == 200 and "Use 80 characters or fewer." in long.get_data(as_text=True)

    answer = boss.post("/staff/replies/new", data=dict(FORM))
    assert answer.status_code == 302 and answer.location == "/staff/replies"
    reply = db.scalars(sa.select(CannedReply)).one()
    assert (reply.title("es"), reply.text("es"), reply.active) == (
        "Pedir la segunda página", "Envíe la segunda página del acta de nacimiento.", True
    )  # fmt: skip
    [entry] = entries(db)
    assert entry.action == AuditAction.CANNED_REPLY_ADDED
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        supervisor.id, "canned_replies", reply.id
    )  # fmt: skip


def test_editing_keeps_before_and_after_of_what_changed(boss, db, make) -> None:
    reply = make.canned_reply()
    page = boss.get(f"/staff/replies/{reply.id}").get_data(as_text=True)
    assert 'value="Ask for a clearer document"' in page  # the form opens with its texts
    texts = {f"{part}_{lang}": getattr(row, part)
             for lang, row in reply.texts.items() for part in ("title", "text")}  # fmt: skip
    unchanged = boss.post(f"/staff/replies/{reply.id}", data=texts)
    assert unchanged.status_code == 302 and entries(db) == []  # nothing changed, no entry

    answer = boss.post(f"/staff/replies/{reply.id}", data={**texts, "title_es": "Pedir otro"})
    assert answer.status_code == 302
    db.refresh(reply)
    assert reply.title("es") == "Pedir otro" and reply.title("en") == "Ask for a clearer document"
    [entry] = entries(db)
    assert entry.action == AuditAction.CANNED_REPLY_EDITED
    assert entry.before == {"title_es": "Pedir un documento más claro"}
    assert entry.after == {"title_es": "Pedir otro"}

    bad = boss.post(f"/staff/replies/{reply.id}", data={**texts, "title_en": ""})
    assert bad.status_code == 200 and "Enter the title in English." in bad.get_data(as_text=True)
    db.refresh(reply)
    assert reply.title("en") == "Ask for a clearer document"
    assert boss.get("/staff/replies/999999").status_code == 404


def test_a_retired_answer_is_no_longer_offered_until_offered_again(
    boss, client, db, make, login, family, agent
) -> None:
    reply = make.canned_reply()
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    assert boss.post(f"/staff/replies/{reply.id}/retire").status_code == 302
    db.refresh(reply)
    assert reply.active is False
    assert boss.post(f"/staff/replies/{reply.id}/retire", csrf=False).status_code == 400
    assert boss.post("/staff/replies/999999/retire").status_code == 404

    agent_client = client.application.test_client()
    login(agent_client, agent)
    page = agent_client.get(f"/staff/requests/{request.id}").get_data(as_text=True)
    assert "Ask for a clearer document" not in page

    assert boss.post(f"/staff/replies/{reply.id}/restore").status_code == 302
    page = agent_client.get(f"/staff/requests/{request.id}").get_data(as_text=True)
    assert f'<option value="{reply.id}">Ask for a clearer document</option>' in page
    assert [e.action for e in entries(db)] == [
        AuditAction.CANNED_REPLY_RETIRED, AuditAction.CANNED_REPLY_RESTORED
    ]  # fmt: skip
    assert [e.after for e in entries(db)] == [{"active": False}, {"active": True}]


def test_agents_and_families_reach_none_of_it(client, db, make, login, agent, family) -> None:
    reply = make.canned_reply()
    for user in (agent, family):
        login(client, user)
        assert client.get("/staff/replies").status_code in (403, 404)
        assert client.post("/staff/replies/new", data=dict(FORM)).status_code in (403, 404)
        assert client.post(f"/staff/replies/{reply.id}/retire").status_code in (403, 404)
    db.refresh(reply)
    assert reply.active and db.scalar(sa.select(sa.func.count()).select_from(CannedReply)) == 1
