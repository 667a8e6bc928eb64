"""The CDC CVX codes the portal knows, in plain language, with the vaccine groups they count for.

A combination vaccine counts once for each of its groups (DTaP-HepB-IPV is a
DTaP dose, a hepatitis B dose and a polio dose). Group names follow the CDC
CDSi vaccine groups. The plain-language names, for parents, in the portal's
seven languages, are in vaccine_names.toml next to this module (read once, at
import); a name for a locale is the exact code's, else its language's ("es_MX"
-> "es"), else the English one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from types import MappingProxyType

from portal.languages import CODES

# The languages every vaccine and group has a name in (English is the fallback).
LANGUAGES = CODES  # every vaccine has a name in each (tests/registry/test_vaccine_names.py)


class VaccineGroup(StrEnum):
    DTAP = "DTaP/Tdap/Td"
    POLIO = "Polio"
    HEPB = "HepB"
    HIB = "Hib"
    PNEUMOCOCCAL = "Pneumococcal"
    ROTAVIRUS = "Rotavirus"
    MMR = "MMR"
    VARICELLA = "Varicella"
    HEPA = "HepA"
    INFLUENZA = "Influenza"
    HPV = "HPV"
    MENINGOCOCCAL = "Meningococcal"
    MENB = "MenB"
    ZOSTER = "Zoster"
    COVID19 = "COVID-19"


def _read_names() -> tuple[dict[str, Mapping[str, str]], dict[str, Mapping[str, str]]]:
    text = files("portal.registry").joinpath("vaccine_names.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    groups = {key: MappingProxyType(dict(names)) for key, names in data["groups"].items()}
    vaccines = {key: MappingProxyType(dict(names)) for key, names in data["vaccines"].items()}
    return groups, vaccines


_GROUP_TABLE, _VACCINE_TABLE = _read_names()


def pick_name(names: Mapping[str, str], locale: str) -> str:
    """The name for a locale: the exact code, then its shorter parts ("zh_Hant_TW" ->
    "zh_Hant", "es_MX" -> "es"), then English."""
    parts = locale.replace("-", "_").split("_")
    for end in range(len(parts), 0, -1):
        name = names.get("_".join(parts[:end]))
        if name:
            return name
    return names["en"]


# Every group's names by language code ({"en": ..., "es": ..., "zh_Hans": ...}).
GROUP_NAMES: Mapping[VaccineGroup, Mapping[str, str]] = MappingProxyType(
    {group: _GROUP_TABLE[group.value] for group in VaccineGroup}
)


@dataclass(frozen=True, slots=True)
class Vaccine:
    cvx: str
    cdc_name: str  # CDC's short description, as sent in HL7 RXA-5
    groups: tuple[VaccineGroup, ...]
    # The plain-language names by language code, from vaccine_names.toml.
    names: Mapping[str, str] = field(compare=False, repr=False)

    def name(self, locale: str) -> str:
        return pick_name(self.names, locale)


G = VaccineGroup
_ALL = (
    Vaccine("20", "DTaP", (G.DTAP,), _VACCINE_TABLE["20"]),
    Vaccine("106", "DTaP, 5 pertussis antigens", (G.DTAP,), _VACCINE_TABLE["106"]),
    Vaccine("107", "DTaP, unspecified formulation", (G.DTAP,), _VACCINE_TABLE["107"]),
    Vaccine("110", "DTaP-Hep B-IPV", (G.DTAP, G.HEPB, G.POLIO), _VACCINE_TABLE["110"]),
    Vaccine("120", "DTaP-Hib-IPV", (G.DTAP, G.HIB, G.POLIO), _VACCINE_TABLE["120"]),
    Vaccine("130", "DTaP-IPV", (G.DTAP, G.POLIO), _VACCINE_TABLE["130"]),
    Vaccine("146", "DTaP,IPV,Hib,HepB", (G.DTAP, G.POLIO, G.HIB, G.HEPB), _VACCINE_TABLE["146"]),
    Vaccine("115", "Tdap", (G.DTAP,), _VACCINE_TABLE["115"]),
    Vaccine("113", "Td (adult) preservative free", (G.DTAP,), _VACCINE_TABLE["113"]),
    Vaccine("139", "Td(adult) unspecified formulation", (G.DTAP,), _VACCINE_TABLE["139"]),
    Vaccine("10", "IPV", (G.POLIO,), _VACCINE_TABLE["10"]),
    Vaccine("89", "Polio, unspecified formulation", (G.POLIO,), _VACCINE_TABLE["89"]),
    Vaccine("08", "Hep B, adolescent or pediatric", (G.HEPB,), _VACCINE_TABLE["08"]),
    Vaccine("43", "Hep B, adult", (G.HEPB,), _VACCINE_TABLE["43"]),
    Vaccine("45", "Hep B, unspecified formulation", (G.HEPB,), _VACCINE_TABLE["45"]),
    Vaccine("189", "HepB-CpG", (G.HEPB,), _VACCINE_TABLE["189"]),
    Vaccine("48", "Hib (PRP-T)", (G.HIB,), _VACCINE_TABLE["48"]),
    Vaccine("49", "Hib (PRP-OMP)", (G.HIB,), _VACCINE_TABLE["49"]),
    Vaccine("17", "Hib, unspecified formulation", (G.HIB,), _VACCINE_TABLE["17"]),
    Vaccine("133", "Pneumococcal conjugate PCV 13", (G.PNEUMOCOCCAL,), _VACCINE_TABLE["133"]),
    Vaccine("215", "Pneumococcal conjugate PCV15", (G.PNEUMOCOCCAL,), _VACCINE_TABLE["215"]),
    Vaccine("216", "Pneumococcal conjugate PCV20", (G.PNEUMOCOCCAL,), _VACCINE_TABLE["216"]),
    Vaccine("33", "pneumococcal polysaccharide PPV23", (G.PNEUMOCOCCAL,), _VACCINE_TABLE["33"]),
    Vaccine("109", "pneumococcal, unspecified formulation", (G.PNEUMOCOCCAL,), _VACCINE_TABLE["109"]),
    Vaccine("116", "rotavirus, pentavalent", (G.ROTAVIRUS,), _VACCINE_TABLE["116"]),
    Vaccine("119", "rotavirus, monovalent", (G.ROTAVIRUS,), _VACCINE_TABLE["119"]),
    Vaccine("122", "rotavirus, unspecified formulation", (G.ROTAVIRUS,), _VACCINE_TABLE["122"]),
    Vaccine("03", "MMR", (G.MMR,), _VACCINE_TABLE["03"]),
    Vaccine("94", "MMRV", (G.MMR, G.VARICELLA), _VACCINE_TABLE["94"]),
    Vaccine("21", "varicella", (G.VARICELLA,), _VACCINE_TABLE["21"]),
    Vaccine("83", "Hep A, ped/adol, 2 dose", (G.HEPA,), _VACCINE_TABLE["83"]),
    Vaccine("52", "Hep A, adult", (G.HEPA,), _VACCINE_TABLE["52"]),
    Vaccine("85", "Hep A, unspecified formulation", (G.HEPA,), _VACCINE_TABLE["85"]),
    Vaccine("104", "Hep A-Hep B", (G.HEPA, G.HEPB), _VACCINE_TABLE["104"]),
    Vaccine("140", "Influenza, seasonal, injectable, preservative free", (G.INFLUENZA,), _VACCINE_TABLE["140"]),
    Vaccine("150", "Influenza, injectable, quadrivalent, preservative free", (G.INFLUENZA,), _VACCINE_TABLE["150"]),
    Vaccine("158", "influenza, injectable, quadrivalent, contains preservative", (G.INFLUENZA,), _VACCINE_TABLE["158"]),
    Vaccine("149", "influenza, live, intranasal, quadrivalent", (G.INFLUENZA,), _VACCINE_TABLE["149"]),
    Vaccine("88", "influenza, unspecified formulation", (G.INFLUENZA,), _VACCINE_TABLE["88"]),
    Vaccine("165", "HPV9", (G.HPV,), _VACCINE_TABLE["165"]),
    Vaccine("137", "HPV, unspecified formulation", (G.HPV,), _VACCINE_TABLE["137"]),
    Vaccine("114", "meningococcal MCV4P", (G.MENINGOCOCCAL,), _VACCINE_TABLE["114"]),
    Vaccine("136", "Meningococcal MCV4O", (G.MENINGOCOCCAL,), _VACCINE_TABLE["136"]),
    Vaccine("203", "meningococcal polysaccharide (groups A, C, Y, W-135) TT conjugate", (G.MENINGOCOCCAL,), _VACCINE_TABLE["203"]),
    Vaccine("108", "meningococcal ACWY, unspecified formulation", (G.MENINGOCOCCAL,), _VACCINE_TABLE["108"]),
    Vaccine("162", "meningococcal B, recombinant", (G.MENB,), _VACCINE_TABLE["162"]),
    Vaccine("163", "meningococcal B, OMV", (G.MENB,), _VACCINE_TABLE["163"]),
    Vaccine("187", "zoster recombinant", (G.ZOSTER,), _VACCINE_TABLE["187"]),
    Vaccine("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", (G.COVID19,), _VACCINE_TABLE["208"]),
    Vaccine("207", "COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose", (G.COVID19,), _VACCINE_TABLE["207"]),
    Vaccine("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED", (G.COVID19,), _VACCINE_TABLE["213"]),
)  # fmt: skip

VACCINES: dict[str, Vaccine] = {v.cvx: v for v in _ALL}


def lookup(cvx: str) -> Vaccine | None:
    """The vaccine for a CVX code; HL7 senders may drop the leading zero ("3" for "03")."""
    code = cvx.strip()
    return VACCINES.get(code) or VACCINES.get(code.zfill(2))


def groups_for(cvx: str) -> tuple[VaccineGroup, ...]:
    vaccine = lookup(cvx)
    return vaccine.groups if vaccine else ()


def group_name(group: VaccineGroup, locale: str) -> str:
    return pick_name(GROUP_NAMES[group], locale)
