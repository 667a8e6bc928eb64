"""Language: which one a visitor gets, and whether every catalog is complete."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog

from portal.languages import CODES, register_tagalog

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


@pytest.mark.parametrize("header", ["fr", "de-DE,de;q=0.9", "ja-JP", "*"])
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


@pytest.mark.parametrize(
    ("header", "html_lang"),
    [
        ("zh-TW,zh;q=0.9", "zh-Hant"),  # Werkzeug's best_match would give Simplified
        ("zh-HK", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("vi-VN", "vi"),
        ("fil-PH", "tl"),
        ("ko-KR,en;q=0.5", "ko"),
    ],
)
def test_accept_language_picks_each_new_language(client, header: str, html_lang: str) -> None:
    assert page_language(client, **{"Accept-Language": header}) == html_lang


def test_the_switcher_names_every_language_in_itself(client) -> None:
    html = client.get("/").get_data(as_text=True)

    for code, name, lang in [("es", "Español", "es"), ("zh_Hant", "繁體中文", "zh-Hant"),
                             ("ko", "한국어", "ko"), ("vi", "Tiếng Việt", "vi")]:  # fmt: skip
        assert f'value="{code}" lang="{lang}" class="link-button">{name}</button>' in html
    assert '<span lang="en" aria-current="true">English</span>' in html


def test_the_switcher_saves_traditional_chinese(client) -> None:
    client.post("/language", data={"lang": "zh_Hant", "next": "/"})

    assert page_language(client, **{"Accept-Language": "es"}) == "zh-Hant"


# --- The catalogs ------------------------------------------------------------

needs_catalog = pytest.mark.skipif(
    not ES_PO.exists(), reason="no Spanish catalog yet: portal/translations/es is made at the end"
)
# Every catalog on disk, so a new language is checked as soon as its directory exists.
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
each_catalog = pytest.mark.parametrize("po", CATALOGS, ids=[p.parents[1].name for p in CATALOGS])


def read_po(path: Path) -> Catalog:
    register_tagalog()  # Babel reads the `tl` catalog as Filipino
    with path.open("rb") as f:
        return pofile.read_po(f, locale=path.parents[1].name)


def messages_of(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:  # plural forms come back as lists from a .mo
        return tuple(value) if isinstance(value, list) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}


def test_there_is_a_catalog_for_every_language_but_english() -> None:
    assert sorted(p.parents[1].name for p in CATALOGS) == sorted(set(CODES) - {"en"})


@each_catalog
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    catalog = read_po(po)
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
    assert untranslated == [], f"{len(untranslated)} messages untranslated: {untranslated[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy messages: {fuzzy[:20]}"


@each_catalog
def test_the_catalogs_header_names_its_language_and_plural_rules(po: Path) -> None:
    from babel.messages.plurals import get_plural

    register_tagalog()
    code = po.parents[1].name
    with po.open("rb") as f:
        catalog = pofile.read_po(f)  # no locale given: the header alone speaks
    headers = dict(catalog.mime_headers)

    assert headers["Language"] == code
    if code == "es":  # the two forms every Spanish gettext catalog has (CLDR adds a third, 'many')
        assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    else:  # tl: Filipino's rules (languages.register_tagalog)
        assert headers["Plural-Forms"] == get_plural("fil" if code == "tl" else code).plural_forms


@each_catalog
def test_the_compiled_catalog_matches_the_po_file(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), "messages.mo is missing: run portal translate compile"
    compiled = io.BytesIO()
    mofile.write_mo(compiled, read_po(po))
    compiled.seek(0)
    with mo.open("rb") as f:
        on_disk = mofile.read_mo(f)

    assert messages_of(on_disk) == messages_of(mofile.read_mo(compiled)), (
        "messages.mo is out of date: run portal translate compile"
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
