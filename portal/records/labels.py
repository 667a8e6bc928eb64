"""Words for the record's values in the reader's language, shared by the page and the PDF.

`Words` holds one request's translations and locale, fetched once: the record
page asks for a few hundred strings, and flask-babel looks up its context on
every call. The module-level functions ask flask-babel each time, for callers
that need only a few words (the PDF).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from portal.registry import Sex, TbInterpretation, TbTestType
from portal.registry.vaccines import VaccineGroup, group_name

from .services import Age, GroupView

# Groups whose abbreviation is what schools and clinics write on their forms.
_ABBREVIATED = frozenset(
    {VaccineGroup.DTAP, VaccineGroup.MMR, VaccineGroup.HEPA, VaccineGroup.HEPB}
)


class Words:
    """The reader's words for one request: translations and locale fetched once."""

    def __init__(self, translations: NullTranslations, locale: Locale | str) -> None:
        self.translations = translations
        self.locale = locale
        self._locale = str(locale)  # Babel's Locale spells itself out anew on each str()
        self._ages: dict[Age | None, str] = {}
        self._dates: dict[tuple[date, str], str] = {}

    @classmethod
    def current(cls) -> Words:
        return cls(get_translations(), get_locale() or "en")

    def gettext(self, string: str, **variables: Any) -> str:
        """As flask_babel.gettext: format only when there are variables."""
        text = self.translations.ugettext(string)
        return text % variables if variables else text

    def markup(self, string: str, **variables: Any) -> Markup:
        """As `_()` in a template: the translation is markup, the variables are escaped."""
        return _format_markup(self.translations.ugettext(string), variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return self.translations.ungettext(singular, plural, num) % variables

    def date(self, value: date | None, style: str = "medium") -> str:
        """A date in the reader's words ('Mar 20, 2020'); '' for none, as the page filters do."""
        if value is None:
            return ""
        key = (value, style)
        if key not in self._dates:
            self._dates[key] = _format_date(value, style, self._locale)
        return self._dates[key]

    def age_label(self, age: Age | None) -> str:
        """'2 months', '4 years 3 months'; days only in the first month of life."""
        if age not in self._ages:
            self._ages[age] = self._age_label(age)
        return self._ages[age]

    def _age_label(self, age: Age | None) -> str:
        _, ngettext = self.gettext, self.ngettext
        if age is None:
            return _("unknown")
        if age.years == 0 and age.months == 0:
            if age.days == 0:
                return _("at birth")
            return ngettext("%(num)d day", "%(num)d days", age.days)
        months = ngettext("%(num)d month", "%(num)d months", age.months)
        if age.years == 0:
            return months
        years = ngettext("%(num)d year", "%(num)d years", age.years)
        if age.months == 0:
            return years
        # TRANSLATORS: an age such as "4 years 3 months"; reorder if your language needs it.
        return _("%(years)s %(months)s", years=years, months=months)

    def tick_label(self, months: int) -> str:
        """The age under a tick of the timeline: 'Birth', '6 months', '4 years'."""
        if months == 0:
            return self.gettext("Birth")
        return self.age_label(Age(months // 12, months % 12, 0))

    def sex_label(self, sex: Sex) -> str:
        _ = self.gettext
        return {
            Sex.FEMALE: _("Female"),
            Sex.MALE: _("Male"),
            Sex.NONBINARY: _("Nonbinary (X)"),
            Sex.UNKNOWN: _("Not recorded"),
        }[sex]

    def tb_type_label(self, test_type: TbTestType) -> str:
        _ = self.gettext
        return {
            TbTestType.SKIN: _("Skin test (TST)"),
            TbTestType.BLOOD: _("Blood test (IGRA)"),
        }[test_type]

    def tb_interpretation_label(self, value: TbInterpretation | None) -> str:
        _ = self.gettext
        if value is None:
            return _("Not recorded")
        return {
            TbInterpretation.NEGATIVE: _("Negative"),
            TbInterpretation.POSITIVE: _("Positive"),
            TbInterpretation.INDETERMINATE: _("Indeterminate"),
        }[value]

    def group_title(self, group: GroupView) -> str:
        """The group's plain name, with the abbreviation schools use where the name lacks it."""
        if group.group is None or group.name is None:
            return self.gettext("Other vaccines")
        abbreviation = group.group.value
        if group.group in _ABBREVIATED and abbreviation.casefold() not in group.name.casefold():
            return f"{group.name} ({abbreviation})"
        return group.name

    def due_title(self, group: str) -> str:
        """A forecast group's title (portal.forecast.status gives the registry's group value)."""
        vaccine_group = VaccineGroup(group)
        return self.group_title(
            GroupView(vaccine_group, group_name(vaccine_group, self._locale), ())
        )

    def group_short(self, group: GroupView) -> str:
        """A label of at most 16 characters for the timeline's rows, in the reader's language."""
        if group.group is None or group.name is None:
            return self.gettext("Other")
        short = group.name.split(" (")[0]
        return short if len(short) <= 16 else group.group.value


def age_label(age: Age | None) -> str:
    return Words.current().age_label(age)


def tick_label(months: int) -> str:
    return Words.current().tick_label(months)


def sex_label(sex: Sex) -> str:
    return Words.current().sex_label(sex)


def tb_type_label(test_type: TbTestType) -> str:
    return Words.current().tb_type_label(test_type)


def tb_interpretation_label(value: TbInterpretation | None) -> str:
    return Words.current().tb_interpretation_label(value)


def group_title(group: GroupView) -> str:
    return Words.current().group_title(group)


def group_short(group: GroupView) -> str:
    return Words.current().group_short(group)


@lru_cache(maxsize=8192)
def _format_date(value: date, style: str, locale: str) -> str:
    """Babel's date in a locale, kept: formatting one took longer than the rest of its row.
    A date's words depend on nothing else, so a kept one is always right."""
    return format_date(value, style, locale=locale)


def template_gettext(words: Words) -> dict[str, Any]:
    """`_`, `gettext` and `ngettext` for a template, bound to the request's translations.

    They behave as the i18n extension's newstyle callables that flask-babel installs
    (translate, mark safe under autoescape, then always %-format with the variables,
    escaped), without looking up flask-babel's context on each of several hundred calls.
    """
    translations = words.translations

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        if eval_ctx.autoescape:
            return _format_markup(text, variables)
        return text % variables

    @pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            return _format_markup(text, variables)
        return text % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _format_markup(text: str, variables: dict[str, Any]) -> Markup:
    """`Markup(text) % variables`, the same string, without markupsafe's wrapper per value.

    Numbers go in as numbers (for %d), everything else escaped; a text without a
    '%' has nothing to format (it is formatted all the same when it has one: '%%').
    """
    # Our own catalogs' text is markup, as the template's i18n extension takes it.
    if not variables and "%" not in text:
        return Markup(text)  # noqa: S704
    values = {k: v if isinstance(v, int | float) else escape(v) for k, v in variables.items()}
    return Markup(text % values)  # noqa: S704
