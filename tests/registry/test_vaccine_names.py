"""The vaccine and vaccine-group names for parents, in the portal's seven languages."""

from __future__ import annotations

import pytest

from portal.registry.vaccines import (
    GROUP_NAMES,
    LANGUAGES,
    VACCINES,
    VaccineGroup,
    group_name,
    lookup,
    pick_name,
)

# Characters written differently in Simplified and Traditional Chinese that the
# names use: each pair is (Simplified, Traditional).
_HANS_HANT = (
    ("伤", "傷"), ("风", "風"), ("记", "記"), ("录", "錄"), ("类", "類"), ("剂", "劑"),
    ("轮", "輪"), ("联", "聯"), ("儿", "兒"), ("带", "帶"), ("价", "價"), ("喷", "噴"),
    ("脑", "腦"), ("头", "頭"), ("杆", "桿"), ("针", "針"),
)  # fmt: skip
_SIMPLIFIED_ONLY = {hans for hans, _ in _HANS_HANT}
_TRADITIONAL_ONLY = {hant for _, hant in _HANS_HANT}


def _every_table() -> list[tuple[str, dict[str, str]]]:
    tables = [(f"group {g.value}", dict(GROUP_NAMES[g])) for g in VaccineGroup]
    return tables + [(f"CVX {v.cvx}", dict(v.names)) for v in VACCINES.values()]


def test_the_seven_languages_are_the_portal_s() -> None:
    assert LANGUAGES == ("en", "es", "zh_Hans", "zh_Hant", "vi", "tl", "ko")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_vaccine_and_group_has_a_name_in_each_language(lang: str) -> None:
    for group in VaccineGroup:
        assert group_name(group, lang).strip(), (group, lang)
        assert GROUP_NAMES[group][lang].strip(), (group, lang)  # its own, not the fallback
    for vaccine in VACCINES.values():
        assert vaccine.name(lang).strip(), (vaccine.cvx, lang)
        assert vaccine.names[lang].strip(), (vaccine.cvx, lang)


def test_the_names_file_has_only_the_seven_languages() -> None:
    for what, names in _every_table():
        assert set(names) == set(LANGUAGES), what


def test_each_language_gets_its_own_name() -> None:
    assert group_name(VaccineGroup.MMR, "en") == "Measles, mumps, rubella"
    assert group_name(VaccineGroup.MMR, "es") == "Sarampión, paperas, rubéola"
    assert group_name(VaccineGroup.MMR, "zh_Hans") == "麻疹、腮腺炎、风疹"
    assert group_name(VaccineGroup.MMR, "zh_Hant") == "麻疹、腮腺炎、德國麻疹"
    assert group_name(VaccineGroup.MMR, "vi") == "Sởi, quai bị, rubella"
    assert group_name(VaccineGroup.MMR, "tl") == "Tigdas, beke, rubella"
    assert group_name(VaccineGroup.MMR, "ko") == "홍역, 볼거리, 풍진"
    flu = lookup("140")
    assert flu is not None
    assert [flu.name(lang) for lang in LANGUAGES] == [
        "Flu shot", "Vacuna contra la gripe", "流感疫苗", "流感疫苗", "Mũi tiêm cúm",
        "Bakuna laban sa trangkaso", "독감 예방접종",
    ]  # fmt: skip


def test_a_regional_locale_falls_back_to_its_language() -> None:
    polio = lookup("10")
    assert polio is not None
    assert polio.name("es_MX") == polio.name("es") == "Polio (IPV)"
    assert group_name(VaccineGroup.ZOSTER, "es_MX") == "Herpes zóster (culebrilla)"
    assert group_name(VaccineGroup.ZOSTER, "es-US") == "Herpes zóster (culebrilla)"
    assert group_name(VaccineGroup.ZOSTER, "ko_KR") == "대상포진"
    assert group_name(VaccineGroup.ZOSTER, "zh_Hant_TW") == "帶狀疱疹"
    assert group_name(VaccineGroup.ZOSTER, "zh_Hans_CN") == "带状疱疹"


def test_a_script_code_is_used_as_it_is() -> None:
    assert group_name(VaccineGroup.POLIO, "zh_Hant") == "小兒麻痺"
    assert group_name(VaccineGroup.POLIO, "zh_Hans") == "脊髓灰质炎"


@pytest.mark.parametrize("locale", ["fr", "de_DE", "zh", "", "xx_Hant", "EN"])
def test_an_unknown_locale_gets_english(locale: str) -> None:
    hep_b = lookup("08")
    assert hep_b is not None
    assert hep_b.name(locale) == "Hepatitis B (children)"
    assert group_name(VaccineGroup.HEPB, locale) == "Hepatitis B"


def test_an_empty_name_falls_back_rather_than_showing_nothing() -> None:
    assert pick_name({"en": "Polio", "es_MX": "", "es": "Polio (es)"}, "es_MX") == "Polio (es)"
    assert pick_name({"en": "Polio", "es": ""}, "es_MX") == "Polio"


def test_chinese_names_differ_where_the_characters_do() -> None:
    differing = 0
    for what, names in _every_table():
        hans, hant = names["zh_Hans"], names["zh_Hant"]
        assert not _TRADITIONAL_ONLY & set(hans), (what, hans)
        assert not _SIMPLIFIED_ONLY & set(hant), (what, hant)
        if _SIMPLIFIED_ONLY & set(hans):
            assert hans != hant, what
            differing += 1
    assert differing > 20
    assert group_name(VaccineGroup.DTAP, "zh_Hans") == "白喉、破伤风、百日咳"
    assert group_name(VaccineGroup.DTAP, "zh_Hant") == "白喉、破傷風、百日咳"


def test_brand_names_and_abbreviations_stay_as_they_are() -> None:
    kept = {"03": "MMR", "133": "PCV13", "187": "Shingrix", "115": "Tdap", "110": "DTaP",
            "163": "Bexsero", "208": "Pfizer-BioNTech"}  # fmt: skip
    for cvx, word in kept.items():
        vaccine = lookup(cvx)
        assert vaccine is not None
        for lang in LANGUAGES:
            assert word in vaccine.name(lang), (cvx, lang)
