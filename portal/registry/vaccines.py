"""The CDC CVX codes the portal knows, in plain language, with the vaccine groups they count for.

A combination vaccine counts once for each of its groups (DTaP-HepB-IPV is a
DTaP dose, a hepatitis B dose and a polio dose). Group names follow the CDC
CDSi vaccine groups; the plain-language names are for parents, in English
and Spanish here; the other languages translate the English name in their catalog
(N_ marks it for extraction; `translated` looks it up, with no Flask).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    return text


@cache
def _catalog(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [locale])


def translated(english: str, locale: str) -> str:
    """An English vaccine or group name in `locale` (English where the catalog lacks it)."""
    if locale.startswith("en"):
        return english
    return _catalog(locale).gettext(english)


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


GROUP_NAMES: dict[VaccineGroup, tuple[str, str]] = {
    VaccineGroup.DTAP: (N_("Diphtheria, tetanus, whooping cough"), "Difteria, tétanos, tos ferina"),
    VaccineGroup.POLIO: (N_("Polio"), "Polio"),
    VaccineGroup.HEPB: (N_("Hepatitis B"), "Hepatitis B"),
    VaccineGroup.HIB: (
        N_("Hib (Haemophilus influenzae type b)"),
        "Hib (Haemophilus influenzae tipo b)",
    ),
    VaccineGroup.PNEUMOCOCCAL: (N_("Pneumococcal"), "Neumococo"),
    VaccineGroup.ROTAVIRUS: (N_("Rotavirus"), "Rotavirus"),
    VaccineGroup.MMR: (N_("Measles, mumps, rubella"), "Sarampión, paperas, rubéola"),
    VaccineGroup.VARICELLA: (N_("Chickenpox (varicella)"), "Varicela"),
    VaccineGroup.HEPA: (N_("Hepatitis A"), "Hepatitis A"),
    VaccineGroup.INFLUENZA: (N_("Flu (influenza)"), "Gripe (influenza)"),
    VaccineGroup.HPV: (N_("HPV (human papillomavirus)"), "VPH (virus del papiloma humano)"),
    VaccineGroup.MENINGOCOCCAL: (N_("Meningococcal ACWY"), "Meningococo ACWY"),
    VaccineGroup.MENB: (N_("Meningococcal B"), "Meningococo B"),
    VaccineGroup.ZOSTER: (N_("Shingles (zoster)"), "Herpes zóster (culebrilla)"),
    VaccineGroup.COVID19: (N_("COVID-19"), "COVID-19"),
}


@dataclass(frozen=True, slots=True)
class Vaccine:
    cvx: str
    cdc_name: str  # CDC's short description, as sent in HL7 RXA-5
    name_en: str
    name_es: str
    groups: tuple[VaccineGroup, ...]

    def name(self, locale: str) -> str:
        return self.name_es if locale.startswith("es") else translated(self.name_en, locale)


G = VaccineGroup
_ALL = (
    Vaccine("20", "DTaP", N_("DTaP (diphtheria, tetanus, whooping cough)"), "DTaP (difteria, tétanos, tos ferina)", (G.DTAP,)),
    Vaccine("106", "DTaP, 5 pertussis antigens", N_("DTaP (diphtheria, tetanus, whooping cough)"), "DTaP (difteria, tétanos, tos ferina)", (G.DTAP,)),
    Vaccine("107", "DTaP, unspecified formulation", N_("DTaP, type not recorded"), "DTaP, tipo no registrado", (G.DTAP,)),
    Vaccine("110", "DTaP-Hep B-IPV", N_("DTaP + hepatitis B + polio (combination)"), "DTaP + hepatitis B + polio (combinada)", (G.DTAP, G.HEPB, G.POLIO)),
    Vaccine("120", "DTaP-Hib-IPV", N_("DTaP + Hib + polio (combination)"), "DTaP + Hib + polio (combinada)", (G.DTAP, G.HIB, G.POLIO)),
    Vaccine("130", "DTaP-IPV", N_("DTaP + polio (combination)"), "DTaP + polio (combinada)", (G.DTAP, G.POLIO)),
    Vaccine("146", "DTaP,IPV,Hib,HepB", N_("DTaP + polio + Hib + hepatitis B (combination)"), "DTaP + polio + Hib + hepatitis B (combinada)", (G.DTAP, G.POLIO, G.HIB, G.HEPB)),
    Vaccine("115", "Tdap", N_("Tdap (tetanus, diphtheria, whooping cough booster)"), "Tdap (refuerzo de tétanos, difteria, tos ferina)", (G.DTAP,)),
    Vaccine("113", "Td (adult) preservative free", N_("Td (tetanus and diphtheria booster)"), "Td (refuerzo de tétanos y difteria)", (G.DTAP,)),
    Vaccine("139", "Td(adult) unspecified formulation", N_("Td, type not recorded"), "Td, tipo no registrado", (G.DTAP,)),
    Vaccine("10", "IPV", N_("Polio (IPV)"), "Polio (IPV)", (G.POLIO,)),
    Vaccine("89", "Polio, unspecified formulation", N_("Polio, type not recorded"), "Polio, tipo no registrado", (G.POLIO,)),
    Vaccine("08", "Hep B, adolescent or pediatric", N_("Hepatitis B (children)"), "Hepatitis B (niños)", (G.HEPB,)),
    Vaccine("43", "Hep B, adult", N_("Hepatitis B (adults)"), "Hepatitis B (adultos)", (G.HEPB,)),
    Vaccine("45", "Hep B, unspecified formulation", N_("Hepatitis B, type not recorded"), "Hepatitis B, tipo no registrado", (G.HEPB,)),
    Vaccine("189", "HepB-CpG", N_("Hepatitis B (adults, 2 doses)"), "Hepatitis B (adultos, 2 dosis)", (G.HEPB,)),
    Vaccine("48", "Hib (PRP-T)", N_("Hib"), "Hib", (G.HIB,)),
    Vaccine("49", "Hib (PRP-OMP)", N_("Hib"), "Hib", (G.HIB,)),
    Vaccine("17", "Hib, unspecified formulation", N_("Hib, type not recorded"), "Hib, tipo no registrado", (G.HIB,)),
    Vaccine("133", "Pneumococcal conjugate PCV 13", N_("Pneumococcal (PCV13)"), "Neumococo (PCV13)", (G.PNEUMOCOCCAL,)),
    Vaccine("215", "Pneumococcal conjugate PCV15", N_("Pneumococcal (PCV15)"), "Neumococo (PCV15)", (G.PNEUMOCOCCAL,)),
    Vaccine("216", "Pneumococcal conjugate PCV20", N_("Pneumococcal (PCV20)"), "Neumococo (PCV20)", (G.PNEUMOCOCCAL,)),
    Vaccine("33", "pneumococcal polysaccharide PPV23", N_("Pneumococcal (PPSV23)"), "Neumococo (PPSV23)", (G.PNEUMOCOCCAL,)),
    Vaccine("109", "pneumococcal, unspecified formulation", N_("Pneumococcal, type not recorded"), "Neumococo, tipo no registrado", (G.PNEUMOCOCCAL,)),
    Vaccine("116", "rotavirus, pentavalent", N_("Rotavirus (RV5, 3 doses)"), "Rotavirus (RV5, 3 dosis)", (G.ROTAVIRUS,)),
    Vaccine("119", "rotavirus, monovalent", N_("Rotavirus (RV1, 2 doses)"), "Rotavirus (RV1, 2 dosis)", (G.ROTAVIRUS,)),
    Vaccine("122", "rotavirus, unspecified formulation", N_("Rotavirus, type not recorded"), "Rotavirus, tipo no registrado", (G.ROTAVIRUS,)),
    Vaccine("03", "MMR", N_("MMR (measles, mumps, rubella)"), "MMR (sarampión, paperas, rubéola)", (G.MMR,)),
    Vaccine("94", "MMRV", N_("MMRV (measles, mumps, rubella, chickenpox)"), "MMRV (sarampión, paperas, rubéola, varicela)", (G.MMR, G.VARICELLA)),
    Vaccine("21", "varicella", N_("Chickenpox (varicella)"), "Varicela", (G.VARICELLA,)),
    Vaccine("83", "Hep A, ped/adol, 2 dose", N_("Hepatitis A (children)"), "Hepatitis A (niños)", (G.HEPA,)),
    Vaccine("52", "Hep A, adult", N_("Hepatitis A (adults)"), "Hepatitis A (adultos)", (G.HEPA,)),
    Vaccine("85", "Hep A, unspecified formulation", N_("Hepatitis A, type not recorded"), "Hepatitis A, tipo no registrado", (G.HEPA,)),
    Vaccine("104", "Hep A-Hep B", N_("Hepatitis A + hepatitis B (combination)"), "Hepatitis A + hepatitis B (combinada)", (G.HEPA, G.HEPB)),
    Vaccine("140", "Influenza, seasonal, injectable, preservative free", N_("Flu shot"), "Vacuna contra la gripe", (G.INFLUENZA,)),
    Vaccine("150", "Influenza, injectable, quadrivalent, preservative free", N_("Flu shot (4-strain)"), "Vacuna contra la gripe (4 cepas)", (G.INFLUENZA,)),
    Vaccine("158", "influenza, injectable, quadrivalent, contains preservative", N_("Flu shot (4-strain)"), "Vacuna contra la gripe (4 cepas)", (G.INFLUENZA,)),
    Vaccine("149", "influenza, live, intranasal, quadrivalent", N_("Flu nasal spray"), "Vacuna contra la gripe en aerosol nasal", (G.INFLUENZA,)),
    Vaccine("88", "influenza, unspecified formulation", N_("Flu, type not recorded"), "Gripe, tipo no registrado", (G.INFLUENZA,)),
    Vaccine("165", "HPV9", N_("HPV (human papillomavirus)"), "VPH (virus del papiloma humano)", (G.HPV,)),
    Vaccine("137", "HPV, unspecified formulation", N_("HPV, type not recorded"), "VPH, tipo no registrado", (G.HPV,)),
    Vaccine("114", "meningococcal MCV4P", N_("Meningococcal ACWY (Menactra)"), "Meningococo ACWY (Menactra)", (G.MENINGOCOCCAL,)),
    Vaccine("136", "Meningococcal MCV4O", N_("Meningococcal ACWY (Menveo)"), "Meningococo ACWY (Menveo)", (G.MENINGOCOCCAL,)),
    Vaccine("203", "meningococcal polysaccharide (groups A, C, Y, W-135) TT conjugate", N_("Meningococcal ACWY (MenQuadfi)"), "Meningococo ACWY (MenQuadfi)", (G.MENINGOCOCCAL,)),
    Vaccine("108", "meningococcal ACWY, unspecified formulation", N_("Meningococcal ACWY, type not recorded"), "Meningococo ACWY, tipo no registrado", (G.MENINGOCOCCAL,)),
    Vaccine("162", "meningococcal B, recombinant", N_("Meningococcal B (Trumenba)"), "Meningococo B (Trumenba)", (G.MENB,)),
    Vaccine("163", "meningococcal B, OMV", N_("Meningococcal B (Bexsero)"), "Meningococo B (Bexsero)", (G.MENB,)),
    Vaccine("187", "zoster recombinant", N_("Shingles (Shingrix)"), "Herpes zóster (Shingrix)", (G.ZOSTER,)),
    Vaccine("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", N_("COVID-19 (Pfizer-BioNTech)"), "COVID-19 (Pfizer-BioNTech)", (G.COVID19,)),
    Vaccine("207", "COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose", N_("COVID-19 (Moderna)"), "COVID-19 (Moderna)", (G.COVID19,)),
    Vaccine("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED", N_("COVID-19, type not recorded"), "COVID-19, tipo no registrado", (G.COVID19,)),
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
    english, spanish = GROUP_NAMES[group]
    return spanish if locale.startswith("es") else translated(english, locale)
