"""Account settings: changing the password rotates sessions; the language is saved."""

from __future__ import annotations

import re

import pytest

from portal.accounts.models import Role, User, UserSession
from tests.factories import PASSWORD

from .conftest import reread, session_cookie

NEW = "blue kitchen river song"


def _change(client, current=PASSWORD, new=NEW, confirm=None):  # type: ignore[no-untyped-def]
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return client.post("/account/password", data=data)


def test_changing_the_password_ends_other_sessions_and_rotates_this_one(
    app, client, make, db, login, outbox
) -> None:
    user = make.user(email="ana@example.org")
    changed_at = user.password_changed_at
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    before = session_cookie(client)
    other_device = app.test_client()
    login(other_device, user)

    response = _change(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "Your password is changed." in client.get("/account").get_data(as_text=True)
    assert session_cookie(client) != before

    reread(db)
    rows = db.query(UserSession).filter_by(user_id=user.id).all()
    assert [r.ended_at is None for r in rows].count(True) == 1  # only the new one lives
    assert other_device.get("/account").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", before)
    assert thief.get("/account").status_code == 302
    assert db.get(User, user.id).password_changed_at > changed_at
    assert outbox()[-1].subject == "Your password was changed"


def test_a_wrong_current_password_changes_nothing(client, make, db, login) -> None:
    user = make.user(email="ana@example.org")
    login(client, user)
    response = _change(client, current="not my password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your current password is not right." in page
    reread(db)
    assert db.get(User, user.id).password_hash == user.password_hash


def test_the_new_password_follows_the_rules(client, make, login) -> None:
    login(client, make.user(email="ana@example.org"))
    assert "one of the most used" in _change(client, new="iloveyou1").get_data(as_text=True)
    page = _change(client, confirm="something different").get_data(as_text=True)
    assert "The two passwords are not the same." in page


def test_a_staff_member_keeps_the_second_factor_after_a_change(client, make, db, login) -> None:
    user = make.user(role=Role.AGENT)
    login(client, user)
    assert _change(client).status_code == 302
    assert client.get("/account").status_code == 200  # not sent back to the code page
    reread(db)
    live = db.query(UserSession).filter_by(user_id=user.id, ended_at=None).one()
    assert live.mfa_at is not None


def test_the_language_is_saved_on_the_account(client, make, db, login) -> None:
    user = make.user()
    login(client, user)
    response = client.post("/account/language", data={"locale": "es"})
    assert response.status_code == 302
    reread(db)
    assert db.get(User, user.id).locale == "es"
    assert client.post("/account/language", data={"locale": "fr"}).status_code == 200
    reread(db)
    assert db.get(User, user.id).locale == "es"


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "vi", "tl", "ko"])
def test_each_language_can_be_saved_and_is_offered_by_its_name(  # type: ignore[no-untyped-def]
    client, make, db, login, locale
) -> None:
    from portal.languages import language

    user = make.user()
    login(client, user)
    settings = client.get("/account").get_data(as_text=True)
    lang = language(locale)
    option = rf'<option lang="{lang.html_lang}" value="{locale}">{lang.endonym}</option>'
    assert re.search(option, settings), option

    assert client.post("/account/language", data={"locale": locale}).status_code == 302
    reread(db)
    assert db.get(User, user.id).locale == locale
    assert f'<html lang="{lang.html_lang}">' in client.get("/account").get_data(as_text=True)


def test_settings_need_a_signed_in_account(client) -> None:
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post("/account/password", data={}).status_code == 401


def test_staff_reach_settings_only_after_the_second_factor(client, make, login) -> None:
    login(client, make.user(role=Role.SUPERVISOR), mfa=False)
    response = client.get("/account")
    assert response.headers["Location"].startswith("/account/second-factor")
