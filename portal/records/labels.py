"""Words for the record's values in the reader's language, shared by the page and the PDF."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.registry import Sex, TbInterpretation, TbTestType
from portal.registry.vaccines import VaccineGroup

from .services import Age, GroupView


def age_label(age: Age | None) -> str:
    """'2 months', '4 years 3 months'; days only in the first month of life."""
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


def tick_label(months: int) -> str:
    """The age under a tick of the timeline: 'Birth', '6 months', '4 years'."""
    if months == 0:
        return _("Birth")
    return age_label(Age(months // 12, months % 12, 0))


def sex_label(sex: Sex) -> str:
    return {
        Sex.FEMALE: _("Female"),
        Sex.MALE: _("Male"),
        Sex.NONBINARY: _("Nonbinary (X)"),
        Sex.UNKNOWN: _("Not recorded"),
    }[sex]


def tb_type_label(test_type: TbTestType) -> str:
    return {
        TbTestType.SKIN: _("Skin test (TST)"),
        TbTestType.BLOOD: _("Blood test (IGRA)"),
    }[test_type]


def tb_interpretation_label(value: TbInterpretation | None) -> str:
    if value is None:
        return _("Not recorded")
    return {
        TbInterpretation.NEGATIVE: _("Negative"),
        TbInterpretation.POSITIVE: _("Positive"),
        TbInterpretation.INDETERMINATE: _("Indeterminate"),
    }[value]


# Groups whose abbreviation is what schools and clinics write on their forms.
_ABBREVIATED = frozenset(
    {VaccineGroup.DTAP, VaccineGroup.MMR, VaccineGroup.HEPA, VaccineGroup.HEPB}
)


def group_title(group: GroupView) -> str:
    """The group's plain name, with the abbreviation schools use where the name lacks it."""
    if group.group is None or group.name is None:
        return _("Other vaccines")
    if group.group in _ABBREVIATED and group.group.value.casefold() not in group.name.casefold():
        return f"{group.name} ({group.group.value})"
    return group.name


def group_short(group: GroupView) -> str:
    """A label of at most 16 characters for the timeline's rows, in the reader's language."""
    if group.group is None or group.name is None:
        return _("Other")
    short = group.name.split(" (")[0]
    return short if len(short) <= 16 else group.group.value


@cache
def language_name(code: str) -> str:
    """A language named in itself ('English', 'Español'), as a reader of it looks for it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
