"""Language: the account's preference, then the switcher, then the browser's Accept-Language."""

from __future__ import annotations

from datetime import date

from flask import current_app, request, session
from flask_babel import format_date, get_locale, get_timezone
from flask_login import current_user

from portal.languages import Language, language, negotiate
from portal.orm import utcnow

SESSION_KEY = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    # Not Werkzeug's best_match: it gives zh-TW the Simplified catalog (languages.choose).
    return negotiate(request.accept_languages, languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "en")


def html_lang() -> str:
    """The page's `lang` attribute: zh-Hans, not the catalog's zh_Hans."""
    return language(current_language()).html_lang


def site_languages() -> list[Language]:
    """The languages this app offers, for the switcher."""
    return [language(code) for code in current_app.config["LANGUAGES"]]


def long_date(value: date | None) -> str:
    return format_date(value, "long") if value else ""


def medium_date(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


def local_today() -> date:
    """Today in the registry's time zone: birthdays and link ends turn over at local midnight."""
    return utcnow().astimezone(get_timezone()).date()
