"""The California school check in words, for the printout and /verify.

forecast/school.py decides (no Flask); this module names its requirements and antigens
through Babel, in the language of the caller's locale, and puts one answer into the
sentence both the PDF and the verifier print: "Meets California K-12 entry requirements
as of DATE: yes/no", then what is missing and when the next missing dose may be given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from portal.forecast.school import ANTIGENS, REQUIREMENTS, SchoolCheck, check

__all__ = ["REQUIREMENTS", "SchoolAnswer", "answer", "requirement_choices", "requirement_label"]


def requirement_label(requirement: str) -> str:
    """The requirement's name in a list to pick from."""
    return {
        "k12_entry": _("K-12 entry (including TK)"),
        "grade7_12_entry": _("7th to 12th grade entry"),
        "grade7_advancement": _("7th grade advancement"),
        "childcare": _("Child care (up to kindergarten)"),
    }[requirement]


def _headline(requirement: str, as_of: date, met: bool) -> str:
    words = {"date": format_date(as_of, "long"), "answer": _("yes") if met else _("no")}
    if requirement == "k12_entry":
        return _("Meets California K-12 entry requirements as of %(date)s: %(answer)s", **words)
    if requirement == "grade7_12_entry":
        return _("Meets California 7th to 12th grade entry requirements as of %(date)s: "
                 "%(answer)s", **words)  # fmt: skip
    if requirement == "grade7_advancement":
        return _("Meets California 7th grade advancement requirements as of %(date)s: "
                 "%(answer)s", **words)  # fmt: skip
    return _("Meets California child care requirements as of %(date)s: %(answer)s", **words)


def requirement_choices() -> list[tuple[str, str]]:
    return [(r, requirement_label(r)) for r in REQUIREMENTS]


def antigen_label(antigen: str) -> str:
    return {
        "polio": _("Polio"),
        "dtap": _("DTaP, Tdap or Td (diphtheria, tetanus, whooping cough)"),
        "tdap": _("Tdap (whooping cough) on or after the 7th birthday"),
        "hepb": _("Hepatitis B"),
        "mmr": _("MMR (measles, mumps, rubella)"),
        "varicella": _("Varicella (chickenpox)"),
        "hib": _("Hib"),
    }[antigen]


@dataclass(frozen=True)
class SchoolAnswer:
    result: SchoolCheck
    headline: str  # "Meets California K-12 entry requirements as of DATE: yes"
    missing: tuple[str, ...]  # the antigens short of the rule, in words, in ANTIGENS order
    next_due: str | None  # "The next missing dose may be given from DATE."


def answer(birth_date: date, doses: Iterable[tuple[str, date]], requirement: str,
           as_of: date) -> SchoolAnswer:  # fmt: skip
    result = check(birth_date, doses, requirement, as_of)
    headline = _headline(requirement, as_of, result.met)
    missing = tuple(antigen_label(a) for a in ANTIGENS if a in result.missing)
    next_due = None
    if result.next_due is not None:
        next_due = _("The next missing dose may be given from %(date)s.",
                     date=format_date(result.next_due, "long"))  # fmt: skip
    return SchoolAnswer(result, headline, missing, next_due)
