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


ALL_LANGUAGES = {
    "en": ("Ask for the second page", "Please send the second page."),
    "es": ("Pedir la segunda página", "Envíe la segunda página."),
    "vi": ("Xin trang thứ hai", "Xin quý vị gửi trang thứ hai."),
    "zh_Hant": ("要求提供第二頁", "請寄來第二頁。"),
}


def test_a_vietnamese_family_gets_the_vietnamese_text(client, db, make, login, agent) -> None:
    family = make.user(locale="vi", email="vi@example.com")
    reply = make.canned_reply(texts=ALL_LANGUAGES)
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    login(client, agent)
    body = client.get(f"/staff/requests/{request.id}?reply={reply.id}").get_data(as_text=True)
    assert "Xin quý vị gửi trang thứ hai." in body
    assert "Please send the second page." not in body and "Envíe la segunda" not in body
    # the agent's page is in English: the title offered is the English one
    assert f'<option value="{reply.id}" selected>Ask for the second page</option>' in body


def test_a_korean_family_without_a_korean_text_gets_english(client, db, make, login, agent) -> None:
    family = make.user(locale="ko", email="ko@example.com")
    reply = make.canned_reply(texts=ALL_LANGUAGES)
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    login(client, agent)
    body = client.get(f"/staff/requests/{request.id}?reply={reply.id}").get_data(as_text=True)
    assert "Please send the second page." in body
    assert "Xin quý vị" not in body and "Envíe la segunda" not in body
    assert reply.text("ko") == reply.text(None) == "Please send the second page."
    assert reply.title("zh_Hant") == "要求提供第二頁" and reply.title("zh_Hans") == reply.title(
        "en"
    )


def test_the_form_has_each_language_by_its_own_name_and_english_alone_will_do(boss, db) -> None:
    page = boss.get("/staff/replies/new").get_data(as_text=True)
    for lang, name in [("es", "Español"), ("zh_Hans", "简体中文"), ("zh_Hant", "繁體中文"),
                       ("vi", "Tiếng Việt"), ("tl", "Tagalog"), ("ko", "한국어")]:  # fmt: skip
        assert f'<label for="title_{lang}">Title ({name})</label>' in page
        assert f'<label for="text_{lang}">Text ({name})</label>' in page
    assert '<legend lang="zh-Hant">繁體中文</legend>' in page
    assert 'name="csrf_token"' in page

    no_english = boss.post("/staff/replies/new", data={"title_vi": "Xin", "text_vi": "Xin gửi."})
    page = no_english.get_data(as_text=True)
    assert no_english.status_code == 200 and "Enter the title in English." in page
    assert "Enter the text in English." in page and 'value="Xin"' in page  # input kept
    assert boss.post("/staff/replies/new", data=dict(FORM), csrf=False).status_code == 400
    assert db.scalar(sa.select(sa.func.count()).select_from(CannedReply)) == 0

    english = {"title_en": "Only English", "text_en": "Just the English text."}
    assert boss.post("/staff/replies/new", data=english).status_code == 302
    reply = db.scalars(sa.select(CannedReply)).one()
    assert set(reply.texts) == {"en"} and reply.text("es") == "Just the English text."


def test_the_form_round_trip_in_every_language(boss, db, supervisor) -> None:
    data = {}
    for lang in ("en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko"):
        data[f"title_{lang}"] = f"Title {lang}"
        data[f"text_{lang}"] = f"Text {lang}"
    data["title_ko"], data["text_ko"] = "두 번째 페이지 요청", "두 번째 페이지를 보내 주세요."
    assert boss.post("/staff/replies/new", data=data).status_code == 302
    reply = db.scalars(sa.select(CannedReply)).one()
    assert {lang: (row.title, row.text) for lang, row in reply.texts.items()} == {
        lang: (data[f"title_{lang}"], data[f"text_{lang}"])
        for lang in ("en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko")
    }  # fmt: skip

    page = boss.get(f"/staff/replies/{reply.id}").get_data(as_text=True)
    assert 'value="두 번째 페이지 요청"' in page and "Text zh_Hant</textarea>" in page

    # Tagalog emptied, Vietnamese changed: the family of each gets English / the new text
    edited = {**data, "title_tl": "", "text_tl": "", "text_vi": "Xin gửi trang hai."}
    assert boss.post(f"/staff/replies/{reply.id}", data=edited).status_code == 302
    db.expire_all()
    reply = db.get(CannedReply, reply.id)
    assert "tl" not in reply.texts and reply.text("tl") == "Text en"
    assert reply.text("vi") == "Xin gửi trang hai."
    [_, entry] = entries(db)
    assert entry.action == AuditAction.CANNED_REPLY_EDITED
    assert entry.before == {"title_tl": "Title tl", "text_tl": "Text tl", "text_vi": "Text vi"}
    assert entry.after == {"title_tl": None, "text_tl": None, "text_vi": "Xin gửi trang hai."}

    half = boss.post(f"/staff/replies/{reply.id}", data={**edited, "title_ko": ""})
    assert half.status_code == 200
    assert "Enter the title too, or leave both empty." in half.get_data(as_text=True)
    db.expire_all()
    assert db.get(CannedReply, reply.id).title("ko") == "두 번째 페이지 요청"


def test_the_list_takes_the_same_queries_for_one_answer_or_many(app, boss, db, make) -> None:
    from portal.db import engine_for

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = engine_for(app.config["DATABASE_URL"])
    counts = []
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for n in (1, 12):
            for i in range(n - db.scalar(sa.select(sa.func.count()).select_from(CannedReply))):
                make.canned_reply(texts={**ALL_LANGUAGES, "en": (f"Answer {i}", "Text")})
            statements.clear()
            page = boss.get("/staff/replies")
            assert page.status_code == 200 and page.get_data(as_text=True).count(">Retire<") == n
            counts.append(len(statements))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1], statements
    assert sum("canned_repl" in s for s in statements) == 1, statements  # texts joined
