"""The language rules: which of our languages a browser's tag means (portal/languages.py)."""

from __future__ import annotations

from datetime import date

import pytest
from babel import Locale
from babel.dates import format_date

from portal.languages import CODES, LANGUAGES, choose, language, negotiate, register_tagalog


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh-TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-MO", "zh_Hant"), ("zh-Hant", "zh_Hant"),
        ("zh-Hant-TW", "zh_Hant"), ("zh_TW", "zh_Hant"),
        ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-SG", "zh_Hans"), ("zh-Hans", "zh_Hans"),
        ("fil", "tl"), ("fil-PH", "tl"), ("tl", "tl"), ("TL-ph", "tl"),
        ("vi-VN", "vi"), ("ko-KR", "ko"), ("es-MX", "es"), ("en-US", "en"),
    ],
)  # fmt: skip
def test_a_tag_means_our_language(tag: str, code: str) -> None:
    assert choose(tag) == code


@pytest.mark.parametrize("tag", ["fr", "ja-JP", "*", "", "x-klingon", "zz-ZZ", "-"])
def test_a_tag_we_do_not_offer_means_none(tag: str) -> None:
    assert choose(tag) is None


def test_only_offered_languages_are_chosen() -> None:
    assert choose("zh-TW", offered=("en", "es")) is None
    assert choose("fil", offered=("en",)) is None


def test_negotiate_takes_the_best_quality_we_offer() -> None:
    assert negotiate([("fr", 1.0), ("zh-TW", 0.8), ("en", 0.5)]) == "zh_Hant"
    assert negotiate([("en", 0.3), ("ko", 0.9)]) == "ko"
    assert negotiate([("ko", 0), ("es", 0.2)]) == "es"  # q=0: not this one
    assert negotiate([("fr", 1.0)]) is None
    assert negotiate([]) is None


def test_each_language_has_an_endonym_an_html_tag_and_a_font() -> None:
    assert CODES == ("en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko")
    tags = ["en", "es", "zh-Hans", "zh-Hant", "vi", "tl", "ko"]
    assert [lang.html_lang for lang in LANGUAGES] == tags
    assert {lang.pdf_font for lang in LANGUAGES} == {"latin", "vietnamese", "cjk"}
    assert language("nope").code == "en"


def test_tagalog_is_formatted_as_filipino() -> None:
    register_tagalog()
    tl = Locale.parse("tl")

    assert str(tl) == "tl"  # the catalog directory stays tl
    assert format_date(date(2026, 3, 4), "long", locale="tl") == "Marso 4, 2026"
    assert tl.plural_form(1) == "one" and tl.plural_form(4) == "other"
