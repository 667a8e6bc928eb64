"""Language: which one a visitor gets, and whether the Spanish catalog is complete."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "portal" / "translations"
ES_PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
ES_MO = ES_PO.with_suffix(".mo")


def page_language(client, **headers: str) -> str:
    html = client.get("/", headers=headers).get_data(as_text=True)
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


# --- Choosing the language ------------------------------------------------------


def test_english_without_any_preference(client) -> None:
    assert page_language(client) == "en"


def test_accept_language_spanish_gives_spanish(client) -> None:
    assert page_language(client, **{"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}) == "es"


@pytest.mark.parametrize("header", ["fr", "de-DE,de;q=0.9", "zh-CN", "*"])
def test_unsupported_languages_fall_back_to_english(client, header: str) -> None:
    assert page_language(client, **{"Accept-Language": header}) == "en"


def test_a_supported_language_lower_in_the_list_is_used(client) -> None:
    assert page_language(client, **{"Accept-Language": "fr, es;q=0.5"}) == "es"


def test_the_switcher_overrides_accept_language(client) -> None:
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 302

    assert page_language(client, **{"Accept-Language": "es"}) == "en"


def test_the_switcher_ignores_a_language_we_do_not_offer(client) -> None:
    client.post("/language", data={"lang": "fr"})

    assert page_language(client, **{"Accept-Language": "es"}) == "es"


def test_a_signed_in_users_saved_language_wins(client, make, login) -> None:
    user = make.user(locale="es")
    login(client, user)
    with client.session_transaction() as session:
        session["lang"] = "en"  # an earlier choice on the switcher, before signing in

    assert page_language(client, **{"Accept-Language": "en"}) == "es"


def test_switching_while_signed_in_saves_the_choice_on_the_account(client, make, login, db) -> None:
    user = make.user(locale="en")
    login(client, user)

    client.post("/language", data={"lang": "es"})

    db.refresh(user)
    assert user.locale == "es"
    assert page_language(client) == "es"


# --- The Spanish catalog ------------------------------------------------------------

needs_catalog = pytest.mark.skipif(
    not ES_PO.exists(), reason="no Spanish catalog yet: portal/translations/es is made at the end"
)


def read_po(path: Path) -> Catalog:
    with path.open("rb") as f:
        return pofile.read_po(f, locale=path.parents[1].name)


def messages_of(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:  # plural forms come back as lists from a .mo
        return tuple(value) if isinstance(value, list) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}


@needs_catalog
def test_every_spanish_message_is_translated_and_none_is_fuzzy() -> None:
    catalog = read_po(ES_PO)
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)

    assert len(catalog) > 0
    assert untranslated == [], f"{len(untranslated)} messages have no Spanish: {untranslated[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy messages: {fuzzy[:20]}"


@needs_catalog
def test_the_compiled_spanish_catalog_matches_the_po_file() -> None:
    assert ES_MO.exists(), "messages.mo is missing: run pybabel compile -d portal/translations"
    compiled = io.BytesIO()
    mofile.write_mo(compiled, read_po(ES_PO))
    compiled.seek(0)
    with ES_MO.open("rb") as f:
        on_disk = mofile.read_mo(f)

    assert messages_of(on_disk) == messages_of(mofile.read_mo(compiled)), (
        "messages.mo is out of date: run pybabel compile -d portal/translations"
    )


@needs_catalog
@pytest.mark.skipif(not (ROOT / "babel.cfg").exists(), reason="no babel.cfg yet")
def test_every_string_in_the_code_is_in_the_spanish_catalog() -> None:
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
    in_code = {
        message_id if isinstance(message_id, str) else message_id[0]
        for _file, _line, message_id, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    in_catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(ES_PO) if m.id}

    missing = sorted(in_code - in_catalog)
    assert missing == [], (
        f"{len(missing)} strings are not in the Spanish catalog (pybabel extract and update): "
        f"{missing[:20]}"
    )
