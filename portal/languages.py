"""The portal's languages, and which one a browser's language tag means.

One list: each language's code (its catalog directory under portal/translations, the
account's saved preference and the switcher's value), its name in itself, the html
`lang` attribute, the CLDR locale Babel formats its dates and plural rules with, and
the PDF font family that prints its letters (portal/records/fonts.py).

Tagalog has no CLDR locale: its code stays `tl` (catalog, account, switcher, html) and
Babel formats it as Filipino (`fil`), whose dates and plural rules Tagalog shares;
`register_tagalog()` teaches Babel that `tl` reads as `fil`.

The rule functions take plain strings: no Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale, localedata
from babel.core import UnknownLocaleError
from babel.messages import plurals


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # catalog directory, account preference, switcher value
    endonym: str  # the language's name in itself
    html_lang: str  # the BCP 47 tag for <html lang> and lang="" on its name
    cldr: str  # the Babel locale for dates, numbers and plural rules
    pdf_font: str  # the printout's font family: "latin", "vietnamese" or "cjk"


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "en", "en", "latin"),
    Language("es", "Español", "es", "es", "latin"),
    Language("zh_Hans", "简体中文", "zh-Hans", "zh_Hans", "cjk"),
    Language("zh_Hant", "繁體中文", "zh-Hant", "zh_Hant", "cjk"),
    Language("vi", "Tiếng Việt", "vi", "vi", "vietnamese"),
    Language("tl", "Tagalog", "tl", "fil", "latin"),
    Language("ko", "한국어", "ko", "ko", "cjk"),
)
CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}

# Chinese written in Traditional characters where the region's custom is so.
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})


def language(code: str) -> Language:
    """The language for a code in CODES; English for anything else."""
    return _BY_CODE.get(code, LANGUAGES[0])


def register_tagalog() -> None:
    """Let Babel parse `tl` as Filipino, so a `tl` catalog, Locale('tl') and flask-babel's
    dates and plurals work. Babel keeps loaded locale data in `localedata._cache`, which
    `localedata.exists` and `load` consult first; putting Filipino's data there under `tl`
    is the smallest way to add a locale Babel lacks. Idempotent."""
    if "tl" not in localedata._cache:  # noqa: SLF001 - no public way to alias a locale
        localedata._cache["tl"] = localedata.load("fil")  # noqa: SLF001
    # pybabel's Plural-Forms for a new or updated catalog come from this table, not CLDR.
    plurals.PLURALS.setdefault("tl", plurals.PLURALS["fil"])


def choose(tag: str, offered: Iterable[str] = CODES) -> str | None:
    """The offered code a browser's language tag means, or None.

    The script decides Chinese: zh-Hant, zh-TW, zh-HK and zh-MO are Traditional; zh,
    zh-Hans, zh-CN and zh-SG are Simplified. fil and tl are Tagalog. Otherwise the
    language part decides (es-MX is es). Werkzeug's best_match is not used: it maps
    zh-TW to zh_Hans by prefix."""
    offered = set(offered)
    tag = tag.strip().replace("_", "-")
    if not tag or tag == "*":
        return None
    primary = tag.split("-", 1)[0].lower()
    if primary in {"tl", "fil"}:
        return "tl" if "tl" in offered else None
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        try:  # an unknown region or variant: the language alone may still be ours
            locale = Locale.parse(primary)
        except (ValueError, TypeError, UnknownLocaleError):
            return None
    if locale.language == "zh":
        script = locale.script or ("Hant" if locale.territory in _TRADITIONAL_REGIONS else "Hans")
        code = f"zh_{script}" if script in {"Hans", "Hant"} else "zh_Hans"
    else:
        code = locale.language
    return code if code in offered else None


def negotiate(accepted: Iterable[tuple[str, float]], offered: Iterable[str] = CODES) -> str | None:
    """The first offered language among a browser's (tag, quality) pairs, best quality
    first (ties keep the browser's order); quality 0 means 'not this one'."""
    offered = tuple(offered)
    ranked = sorted(((tag, q) for tag, q in accepted if q > 0), key=lambda pair: -pair[1])
    for tag, _quality in ranked:
        code = choose(tag, offered)
        if code:
            return code
    return None
