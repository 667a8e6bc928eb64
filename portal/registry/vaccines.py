"""The CDC CVX codes the portal knows, in plain language, with the vaccine groups they count for.

A combination vaccine counts once for each of its groups (DTaP-HepB-IPV is a
DTaP dose, a hepatitis B dose and a polio dose). Group names follow the CDC
CDSi vaccine groups; the plain-language names are for parents, in English
and Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    VaccineGroup.DTAP: ("Diphtheria, tetanus, whooping cough", "Difteria, tétanos, tos ferina"),
    VaccineGroup.POLIO: ("Polio", "Polio"),
    VaccineGroup.HEPB: ("Hepatitis B", "Hepatitis B"),
    VaccineGroup.HIB: (
        "Hib (Haemophilus influenzae type b)",
        "Hib (Haemophilus influenzae tipo b)",
    ),
    VaccineGroup.PNEUMOCOCCAL: ("Pneumococcal", "Neumococo"),
    VaccineGroup.ROTAVIRUS: ("Rotavirus", "Rotavirus"),
    VaccineGroup.MMR: ("Measles, mumps, rubella", "Sarampión, paperas, rubéola"),
    VaccineGroup.VARICELLA: ("Chickenpox (varicella)", "Varicela"),
    VaccineGroup.HEPA: ("Hepatitis A", "Hepatitis A"),
    VaccineGroup.INFLUENZA: ("Flu (influenza)", "Gripe (influenza)"),
    VaccineGroup.HPV: ("HPV (human papillomavirus)", "VPH (virus del papiloma humano)"),
    VaccineGroup.MENINGOCOCCAL: ("Meningococcal ACWY", "Meningococo ACWY"),
    VaccineGroup.MENB: ("Meningococcal B", "Meningococo B"),
    VaccineGroup.ZOSTER: ("Shingles (zoster)", "Herpes zóster (culebrilla)"),
    VaccineGroup.COVID19: ("COVID-19", "COVID-19"),
}


@dataclass(frozen=True, slots=True)
class Vaccine:
    cvx: str
    cdc_name: str  # CDC's short description, as sent in HL7 RXA-5
    name_en: str
    name_es: str
    groups: tuple[VaccineGroup, ...]

    def name(self, locale: str) -> str:
        return self.name_es if locale.startswith("es") else self.name_en


G = VaccineGroup
_ALL = (
    Vaccine("20", "DTaP", "DTaP (diphtheria, tetanus, whooping cough)", "DTaP (difteria, tétanos, tos ferina)", (G.DTAP,)),
    Vaccine("106", "DTaP, 5 pertussis antigens", "DTaP (diphtheria, tetanus, whooping cough)", "DTaP (difteria, tétanos, tos ferina)", (G.DTAP,)),
    Vaccine("107", "DTaP, unspecified formulation", "DTaP, type not recorded", "DTaP, tipo no registrado", (G.DTAP,)),
    Vaccine("110", "DTaP-Hep B-IPV", "DTaP + hepatitis B + polio (combination)", "DTaP + hepatitis B + polio (combinada)", (G.DTAP, G.HEPB, G.POLIO)),
    Vaccine("120", "DTaP-Hib-IPV", "DTaP + Hib + polio (combination)", "DTaP + Hib + polio (combinada)", (G.DTAP, G.HIB, G.POLIO)),
    Vaccine("130", "DTaP-IPV", "DTaP + polio (combination)", "DTaP + polio (combinada)", (G.DTAP, G.POLIO)),
    Vaccine("146", "DTaP,IPV,Hib,HepB", "DTaP + polio + Hib + hepatitis B (combination)", "DTaP + polio + Hib + hepatitis B (combinada)", (G.DTAP, G.POLIO, G.HIB, G.HEPB)),
    Vaccine("115", "Tdap", "Tdap (tetanus, diphtheria, whooping cough booster)", "Tdap (refuerzo de tétanos, difteria, tos ferina)", (G.DTAP,)),
    Vaccine("113", "Td (adult) preservative free", "Td (tetanus and diphtheria booster)", "Td (refuerzo de tétanos y difteria)", (G.DTAP,)),
    Vaccine("139", "Td(adult) unspecified formulation", "Td, type not recorded", "Td, tipo no registrado", (G.DTAP,)),
    Vaccine("10", "IPV", "Polio (IPV)", "Polio (IPV)", (G.POLIO,)),
    Vaccine("89", "Polio, unspecified formulation", "Polio, type not recorded", "Polio, tipo no registrado", (G.POLIO,)),
    Vaccine("08", "Hep B, adolescent or pediatric", "Hepatitis B (children)", "Hepatitis B (niños)", (G.HEPB,)),
    Vaccine("43", "Hep B, adult", "Hepatitis B (adults)", "Hepatitis B (adultos)", (G.HEPB,)),
    Vaccine("45", "Hep B, unspecified formulation", "Hepatitis B, type not recorded", "Hepatitis B, tipo no registrado", (G.HEPB,)),
    Vaccine("189", "HepB-CpG", "Hepatitis B (adults, 2 doses)", "Hepatitis B (adultos, 2 dosis)", (G.HEPB,)),
    Vaccine("48", "Hib (PRP-T)", "Hib", "Hib", (G.HIB,)),
    Vaccine("49", "Hib (PRP-OMP)", "Hib", "Hib", (G.HIB,)),
    Vaccine("17", "Hib, unspecified formulation", "Hib, type not recorded", "Hib, tipo no registrado", (G.HIB,)),
    Vaccine("133", "Pneumococcal conjugate PCV 13", "Pneumococcal (PCV13)", "Neumococo (PCV13)", (G.PNEUMOCOCCAL,)),
    Vaccine("215", "Pneumococcal conjugate PCV15", "Pneumococcal (PCV15)", "Neumococo (PCV15)", (G.PNEUMOCOCCAL,)),
    Vaccine("216", "Pneumococcal conjugate PCV20", "Pneumococcal (PCV20)", "Neumococo (PCV20)", (G.PNEUMOCOCCAL,)),
    Vaccine("33", "pneumococcal polysaccharide PPV23", "Pneumococcal (PPSV23)", "Neumococo (PPSV23)", (G.PNEUMOCOCCAL,)),
    Vaccine("109", "pneumococcal, unspecified formulation", "Pneumococcal, type not recorded", "Neumococo, tipo no registrado", (G.PNEUMOCOCCAL,)),
    Vaccine("116", "rotavirus, pentavalent", "Rotavirus (RV5, 3 doses)", "Rotavirus (RV5, 3 dosis)", (G.ROTAVIRUS,)),
    Vaccine("119", "rotavirus, monovalent", "Rotavirus (RV1, 2 doses)", "Rotavirus (RV1, 2 dosis)", (G.ROTAVIRUS,)),
    Vaccine("122", "rotavirus, unspecified formulation", "Rotavirus, type not recorded", "Rotavirus, tipo no registrado", (G.ROTAVIRUS,)),
    Vaccine("03", "MMR", "MMR (measles, mumps, rubella)", "MMR (sarampión, paperas, rubéola)", (G.MMR,)),
    Vaccine("94", "MMRV", "MMRV (measles, mumps, rubella, chickenpox)", "MMRV (sarampión, paperas, rubéola, varicela)", (G.MMR, G.VARICELLA)),
    Vaccine("21", "varicella", "Chickenpox (varicella)", "Varicela", (G.VARICELLA,)),
    Vaccine("83", "Hep A, ped/adol, 2 dose", "Hepatitis A (children)", "Hepatitis A (niños)", (G.HEPA,)),
    Vaccine("52", "Hep A, adult", "Hepatitis A (adults)", "Hepatitis A (adultos)", (G.HEPA,)),
    Vaccine("85", "Hep A, unspecified formulation", "Hepatitis A, type not recorded", "Hepatitis A, tipo no registrado", (G.HEPA,)),
    Vaccine("104", "Hep A-Hep B", "Hepatitis A + hepatitis B (combination)", "Hepatitis A + hepatitis B (combinada)", (G.HEPA, G.HEPB)),
    Vaccine("140", "Influenza, seasonal, injectable, preservative free", "Flu shot", "Vacuna contra la gripe", (G.INFLUENZA,)),
    Vaccine("150", "Influenza, injectable, quadrivalent, preservative free", "Flu shot (4-strain)", "Vacuna contra la gripe (4 cepas)", (G.INFLUENZA,)),
    Vaccine("158", "influenza, injectable, quadrivalent, contains preservative", "Flu shot (4-strain)", "Vacuna contra la gripe (4 cepas)", (G.INFLUENZA,)),
    Vaccine("149", "influenza, live, intranasal, quadrivalent", "Flu nasal spray", "Vacuna contra la gripe en aerosol nasal", (G.INFLUENZA,)),
    Vaccine("88", "influenza, unspecified formulation", "Flu, type not recorded", "Gripe, tipo no registrado", (G.INFLUENZA,)),
    Vaccine("165", "HPV9", "HPV (human papillomavirus)", "VPH (virus del papiloma humano)", (G.HPV,)),
    Vaccine("137", "HPV, unspecified formulation", "HPV, type not recorded", "VPH, tipo no registrado", (G.HPV,)),
    Vaccine("114", "meningococcal MCV4P", "Meningococcal ACWY (Menactra)", "Meningococo ACWY (Menactra)", (G.MENINGOCOCCAL,)),
    Vaccine("136", "Meningococcal MCV4O", "Meningococcal ACWY (Menveo)", "Meningococo ACWY (Menveo)", (G.MENINGOCOCCAL,)),
    Vaccine("203", "meningococcal polysaccharide (groups A, C, Y, W-135) TT conjugate", "Meningococcal ACWY (MenQuadfi)", "Meningococo ACWY (MenQuadfi)", (G.MENINGOCOCCAL,)),
    Vaccine("108", "meningococcal ACWY, unspecified formulation", "Meningococcal ACWY, type not recorded", "Meningococo ACWY, tipo no registrado", (G.MENINGOCOCCAL,)),
    Vaccine("162", "meningococcal B, recombinant", "Meningococcal B (Trumenba)", "Meningococo B (Trumenba)", (G.MENB,)),
    Vaccine("163", "meningococcal B, OMV", "Meningococcal B (Bexsero)", "Meningococo B (Bexsero)", (G.MENB,)),
    Vaccine("187", "zoster recombinant", "Shingles (Shingrix)", "Herpes zóster (Shingrix)", (G.ZOSTER,)),
    Vaccine("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", "COVID-19 (Pfizer-BioNTech)", "COVID-19 (Pfizer-BioNTech)", (G.COVID19,)),
    Vaccine("207", "COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose", "COVID-19 (Moderna)", "COVID-19 (Moderna)", (G.COVID19,)),
    Vaccine("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED", "COVID-19, type not recorded", "COVID-19, tipo no registrado", (G.COVID19,)),
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
    return spanish if locale.startswith("es") else english
