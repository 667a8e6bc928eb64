"""Which product a clinic would have used on a given date, its manufacturer (MVX) and a lot.

Product choices follow what US clinics stocked: Prevnar 13 until PCV15/PCV20
arrived in 2022-2023, Menactra until 2022, quadrivalent flu vaccines from 2013
until the return to trivalent in the 2024-25 season, no nasal flu vaccine in
2016-2018. Lots are stable for one clinic, product and quarter, as a real
clinic works through one lot at a time.
"""

from __future__ import annotations

import random
from datetime import date
from functools import lru_cache

# The manufacturer for each product CVX (the one most used where several make it).
_MAKERS: dict[str, tuple[str, ...]] = {
    "20": ("SKB",),  # Infanrix
    "106": ("PMC",),  # Daptacel
    "110": ("SKB",),  # Pediarix
    "120": ("PMC",),  # Pentacel
    "130": ("SKB", "PMC"),  # Kinrix, Quadracel
    "146": ("MSP",),  # Vaxelis
    "115": ("SKB", "PMC"),  # Boostrix, Adacel
    "113": ("MBL", "PMC"),  # TdVax, Tenivac
    "10": ("PMC",),  # IPOL
    "08": ("SKB", "MSD"),  # Engerix-B, Recombivax HB
    "43": ("SKB", "MSD"),
    "189": ("DVX",),  # Heplisav-B
    "48": ("PMC",),  # ActHIB
    "49": ("MSD",),  # PedvaxHIB
    "133": ("PFR",),
    "215": ("MSD",),
    "216": ("PFR",),
    "33": ("MSD",),
    "109": ("WAL",),  # Prevnar 7, given before 2010 under an older code
    "137": ("MSD",),  # Gardasil 4, likewise
    "116": ("MSD",),  # RotaTeq
    "119": ("SKB",),  # Rotarix
    "03": ("MSD",),
    "94": ("MSD",),  # ProQuad
    "21": ("MSD",),  # Varivax
    "83": ("SKB", "MSD"),  # Havrix, Vaqta
    "52": ("SKB", "MSD"),
    "104": ("SKB",),  # Twinrix
    "140": ("SKB", "PMC", "SEQ"),
    "150": ("SKB", "PMC", "SEQ"),
    "158": ("PMC", "SEQ"),
    "149": ("MED",),  # FluMist
    "165": ("MSD",),  # Gardasil 9
    "114": ("PMC",),  # Menactra
    "136": ("SKB",),  # Menveo
    "203": ("PMC",),  # MenQuadfi
    "162": ("PFR",),  # Trumenba
    "163": ("SKB",),  # Bexsero
    "187": ("SKB",),  # Shingrix
    "208": ("PFR",),
    "207": ("MOD",),
}

# What a transcriber records from a paper card that names only the disease.
UNSPECIFIED: dict[str, str] = {
    "DTAP": "107",
    "IPV": "89",
    "HEPB": "45",
    "HIB": "17",
    "PCV": "109",
    "RV": "122",
    "MMR": "03",
    "VAR": "21",
    "MMRV": "94",
    "HEPA": "85",
    "TDAP": "115",
    "HPV": "137",
    "MENACWY": "108",
    "FLU": "88",
    "COVID": "213",
}


def choose(group: str, on: date, rng: random.Random) -> str:
    """The CVX a California clinic would most likely have given for `group` on `on`."""
    if group == "PCV":
        if on < date(2022, 9, 1):
            return "133"
        return rng.choices(("133", "215", "216"), weights=(1, 3, 6))[0]
    if group == "MENACWY":
        if on < date(2020, 6, 1):
            return rng.choices(("114", "136"), weights=(2, 1))[0]
        if on < date(2022, 6, 1):
            return rng.choice(("114", "136", "203"))
        return rng.choice(("136", "203"))
    if group == "DTAP":
        return rng.choice(("20", "106"))
    return _SIMPLE[group]


_SIMPLE: dict[str, str] = {
    "HEPB": "08",
    "IPV": "10",
    "MMR": "03",
    "VAR": "21",
    "MMRV": "94",
    "HEPA": "83",
    "TDAP": "115",
    "HPV": "165",
    "MENB": "162",
    "DTAP_IPV": "130",
}


def flu_cvx(on: date, age: int, rng: random.Random) -> str:
    season = on.year if on.month >= 7 else on.year - 1
    nasal_ok = 2 <= age < 50 and 2013 <= season <= 2023 and season not in (2016, 2017)
    if nasal_ok and rng.random() < 0.15:
        return "149"
    if season < 2013 or season >= 2024:
        return "140"
    return "150" if rng.random() < 0.8 else "158"


@lru_cache(maxsize=4096)
def manufacturer(cvx: str, key: str) -> str | None:
    makers = _MAKERS.get(cvx)
    if not makers:
        return None
    return makers[random.Random(f"mvx:{key}:{cvx}").randrange(len(makers))]


def lot_number(mvx: str, org: str, cvx: str, on: date) -> str:
    """One lot per clinic, product and quarter; formats look like each maker's."""
    return _lot(mvx, org, cvx, on.year, (on.month - 1) // 3)


@lru_cache(maxsize=8192)
def _lot(mvx: str, org: str, cvx: str, year: int, quarter: int) -> str:
    rng = random.Random(f"lot:{org}:{cvx}:{year}:{quarter}")
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    d = rng.randrange
    match mvx:
        case "MSD":
            return f"{rng.choice('RSTUVWXYZ')}{d(10**6):06d}"
        case "SKB":
            return f"A{rng.choice(letters)}{d(10, 99)}{rng.choice(letters)}{d(100, 999)}AA"
        case "PMC":
            return f"U{d(1000, 9999)}{rng.choice('ABCD')}A"
        case "PFR":
            return f"{rng.choice(letters)}{rng.choice(letters)}{d(1000, 9999)}"
        case "MOD":
            return f"{d(100, 999):03d}{rng.choice(letters)}{d(10, 99)}A"
        case "SEQ":
            return f"P{d(10**5, 10**6)}"
        case "MED":
            return f"MF{d(1000, 9999)}"
        case _:
            return f"{mvx[0]}{d(10**4, 10**5)}"
