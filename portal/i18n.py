"""Language: the account's preference, then the switcher, then the browser's Accept-Language."""

from __future__ import annotations

from datetime import date

from flask import current_app, request, session
from flask_babel import format_date, get_locale, get_timezone
from flask_login import current_user

from portal.orm import utcnow

SESSION_KEY = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "en")


def long_date(value: date | None) -> str:
    return format_date(value, "long") if value else ""


def medium_date(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


def local_today() -> date:
    """Today in the registry's time zone: birthdays and link ends turn over at local midnight."""
    return utcnow().astimezone(get_timezone()).date()
