"""The value sets the exchange checks codes against (CDC IG 1.5 and its addendum).

HL7 tables by number, CDC's by their code system name. CVX: the registry's own list
(`portal.registry.vaccines`, with groups and plain names) plus the further CDC codes
a registry receives in history and in refusals; tests hold every one of these to the
CDC CDSi supporting data's list when the conformance material is present. NDC: the
few National Drug Codes of vaccines seen in the conformance material, mapped to
their CVX (CDC's NDC crosswalk is the full source; codes not here are "not
recognized"). MVX: CDC's manufacturer codes, active and inactive.
"""

from __future__ import annotations

import re

from portal.registry.vaccines import VACCINES

# HL7 0001 administrative sex: the guide's value set (F, M, U).
SEX = frozenset({"F", "M", "U"})

# HL7 0005 / CDCREC race.
RACE = frozenset({"1002-5", "2028-9", "2054-5", "2076-8", "2106-3", "2131-1", "UNK", "ASKU"})

# HL7 0189 / CDCREC ethnic group.
ETHNICITY = frozenset({"2135-2", "2186-5", "UNK", "ASKU"})

# HL7 0063 relationship (NK1-3).
RELATIONSHIP = frozenset(
    "ASC BRO CGV CHD DEP DOM EMC EME EMR EXF FCH FND FTH GCH GRD GRP MGR MTH NCH NON "
    "OAD OTH OWN PAR SCH SEL SIB SIS SPO TRA UNK WRD".split()
)
GUARDIAN_RELATIONSHIPS = frozenset({"MTH", "FTH", "PAR", "GRD", "CGV", "GRP", "FCH"})

# HL7 0064 financial class: VFC eligibility (OBX-5 of LOINC 64994-7).
VFC_ELIGIBILITY = frozenset({"V00", "V01", "V02", "V03", "V04", "V05", "V07"})

# HL7 0136 yes/no (PD1-12 protection indicator, PID-24, PID-30).
YES_NO = frozenset({"Y", "N"})

# HL7 0215 publicity code (PD1-11).
PUBLICITY = frozenset(f"{n:02d}" for n in range(1, 13))

# HL7 0441 immunization registry status (PD1-16).
REGISTRY_STATUS = frozenset({"A", "I", "L", "M", "P", "U"})

# HL7 0322 completion status (RXA-20) and 0323 action code (RXA-21).
COMPLETION = frozenset({"CP", "RE", "NA", "PA"})
ACTION = frozenset({"A", "U", "D"})

# NIP001 immunization information source (RXA-9): 00 new record, 01..08 historical.
INFORMATION_SOURCE = frozenset(f"{n:02d}" for n in range(9))

# NIP002 substance refusal reason (RXA-18).
REFUSAL_REASON = frozenset({"00", "01", "02", "03"})

# HL7 0163 body site (RXR-2) and route (RXR-1: NCIT, or HL7 0162).
BODY_SITE = frozenset("LA LD LG LLFA LT LVL RA RD RG RLFA RT RVL".split())
ROUTE = frozenset(
    "C28161 C38238 C38284 C38276 C38288 C38676 C38299 C38305 IM ID NS IV PO OTH SC TD".split()
)

# HL7 0104 version, 0155 accept/application acknowledgement conditions (MSH-15/16).
ACK_CONDITION = frozenset({"AL", "ER", "NE", "SU"})

# HL7 0190 address type, 0201 telecommunication use, 0202 equipment type.
ADDRESS_TYPE = frozenset("B BA BDL BR C F H L M N O P RH".split())
PHONE_USE = frozenset("PRN ORN VHN WPN NET ASN BPN EMR PRS".split())
PHONE_EQUIPMENT = frozenset("PH FX MD CP BP Internet X.400 TDD TTY".split())

# HL7 0203 identifier type (PID-3.5) as the guide uses it.
IDENTIFIER_TYPE = frozenset("MR SR PI PT MA MC SS PN BR".split())

# CDC MVX manufacturers (RXA-17), active and inactive.
MVX = frozenset(
    "AB ACA AD AKR ALP AR ASZ AVB AVI BA BAH BAY BN BP BPC BRR BTP CEN CHI CMP CNJ CON CRU "
    "CSL DVC DVX EVN GEO GRE GRF IAG IDB IM INT IUS JNJ JPN JSN KED KGC LED MA MBL MED MIL "
    "MIP MOD MSD NAB NAV NOV NVX NYB ORT OTC OTH PAX PD PFR PMC PRX PSC PWJ SCL SEQ SI SKB "
    "SOL TAL UNK USA VAL VXG WA WAL ZLB".split()
)

# CVX codes beyond the registry's named list: older and unspecified formulations sent as
# history, influenza and COVID-19 products, and the two "no vaccine" codes of refusals.
_MORE_CVX = frozenset(
    "01 02 09 28 31 44 46 47 50 51 62 118 121 141 144 152 153 155 161 166 168 171 185 "
    "186 197 205 210 211 212 217 218 219 221 998 999".split()
)
CVX = frozenset(VACCINES) | _MORE_CVX
NO_VACCINE_CVX = frozenset({"998"})  # "no vaccine administered", with RXA-20 NA or RE

# NDC (labeler-product, 5-4 digits) -> CVX, for vaccines sent by NDC alone.
NDC_TO_CVX: dict[str, str] = {
    "49281-0560": "120",  # Pentacel
    "00006-4047": "116",  # RotaTeq
    "00005-1971": "133",  # Prevnar 13
    "58160-0806": "48",  # Hiberix
    "00006-4095": "83",  # Vaqta, pediatric/adolescent
    "00006-4681": "03",  # M-M-R II
    "00006-4171": "94",  # ProQuad
    "58160-0812": "130",  # Kinrix
    "58160-0820": "08",  # Engerix-B, pediatric/adolescent
    "58160-0821": "43",  # Engerix-B, adult
    "00006-4119": "165",  # Gardasil 9
    "49281-0215": "113",  # Tenivac
    "58160-0811": "110",  # Pediarix
    "49281-0286": "106",  # Daptacel
    "49281-0860": "10",  # IPOL
    "58160-0854": "119",  # Rotarix
    "00006-4897": "49",  # PedvaxHIB
    "00006-4827": "21",  # Varivax
    "58160-0825": "83",  # Havrix, pediatric/adolescent
    "49281-0413": "150",  # Fluzone Quadrivalent, 0.5 mL
    "49281-0514": "161",  # Fluzone Quadrivalent, pediatric
    "58160-0883": "140",  # Fluarix
    "33332-0010": "140",  # Afluria, preservative free
}

_NDC = re.compile(r"(\d{4,5})-(\d{3,4})-(\d{1,2})")


def ndc_product(code: str) -> str | None:
    """The labeler-product part of an NDC in 5-4 form ("0006-4681-00" -> "00006-4681")."""
    match = _NDC.fullmatch(code.strip())
    if match is None:
        return None
    labeler, product, _package = match.groups()
    return f"{labeler.zfill(5)}-{product.zfill(4)}"


def cvx_known(code: str) -> bool:
    code = code.strip()
    return code in CVX or code.zfill(2) in CVX


def cvx_for_ndc(code: str) -> str | None:
    product = ndc_product(code)
    return NDC_TO_CVX.get(product) if product else None
