"""Childhood doses that follow the CDC schedule, as a family that keeps (or misses) visits gets.

A child's products are chosen once (separate shots, or Pediarix, Pentacel or
Vaxelis for the infant series; Kinrix/Quadracel and sometimes MMRV at 4-6
years), then each well-child visit gives what is due on its date. Doses
given abroad before the family arrived are transcribed as historical doses
with the "unspecified" codes a card naming only the disease allows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from portal.registry import DoseKind

from . import products
from .specs import Compliance, DoseSpec, add_months

# Visit name, nominal age in months, and the least time after the previous visit given.
VISITS: tuple[tuple[str, int, int], ...] = (
    ("birth", 0, 0),
    ("2m", 2, 1),
    ("4m", 4, 1),
    ("6m", 6, 1),
    ("12m", 12, 1),
    ("15m", 15, 1),
    ("18m", 18, 6),  # the second hepatitis A dose: six months after the first
    ("4y", 48, 1),
    ("11y", 132, 1),
    ("11y6m", 138, 6),  # the second HPV dose
    ("16y", 192, 1),
    ("16y6m", 198, 6),  # the second MenB dose
)

# What a combination product counts for, to transcribe it from a card that names diseases.
_PARTS = {
    "110": ("DTAP", "HEPB", "IPV"),
    "120": ("DTAP", "HIB", "IPV"),
    "146": ("DTAP", "IPV", "HIB", "HEPB"),
    "DTAP_IPV": ("DTAP", "IPV"),
    "48": ("HIB",),
    "49": ("HIB",),
    "116": ("RV",),
    "119": ("RV",),
}


@dataclass(slots=True)
class Clinics:
    """Where a child went for shots: the owning clinic, then perhaps another after a move."""

    owner: str
    later: str | None = None
    switched_on: date | None = None
    birth_hospital: str | None = None
    outreach: str | None = None  # back-to-school clinics of the health department

    def on(self, day: date) -> str:
        if self.later and self.switched_on and day >= self.switched_on:
            return self.later
        return self.owner


@dataclass(slots=True)
class Abroad:
    place: str
    arrived_on: date


def visit_slots(rng: random.Random, birth: date) -> dict[str, list[str]]:
    """The vaccines due at each visit for this child's products."""
    two_months = add_months(birth, 2)
    styles = ["separate"]
    weights = [30]
    for style, since, weight in (
        ("pediarix", date(2003, 1, 1), 30),
        ("pentacel", date(2008, 7, 1), 25),
        ("vaxelis", date(2021, 6, 1), 15),
    ):
        if two_months >= since:
            styles.append(style)
            weights.append(weight)
    style = rng.choices(styles, weights)[0]
    # ActHIB (48) needs a 6-month dose and PedvaxHIB (49) does not; RotaTeq (116) has
    # three doses and Rotarix (119) two.
    hib = "48" if rng.random() < 0.6 else "49"
    three_hib = hib == "48"
    rv = None
    if two_months >= date(2006, 3, 1):
        rv = "116" if two_months < date(2008, 6, 1) or rng.random() < 0.55 else "119"
    three_rv = rv == "116"

    infant = {"2m": [], "4m": [], "6m": []}
    primary = {
        "separate": ["DTAP", "IPV", hib],
        "pediarix": ["110", hib],
        "pentacel": ["120"],
        "vaxelis": ["146"],
    }[style]
    for name in infant:
        slots = [s for s in primary if not (name == "6m" and s == hib and not three_hib)]
        slots.append("PCV")
        if rv and (name != "6m" or three_rv):
            slots.append(rv)
        infant[name] = slots
    birth_dose = rng.random() < 0.92  # a few parents decline the hospital's birth dose
    if style in ("separate", "pentacel"):
        infant["2m"].append("HEPB")
        infant["6m"].append("HEPB")
        if not birth_dose:
            infant["4m"].append("HEPB")

    booster_12m = ["MMR", "VAR", "HEPA", "PCV"] + ([] if style == "pentacel" else [hib])
    if birth >= date(2005, 1, 1) and rng.random() < 0.05:
        booster_12m[:2] = ["MMRV"]
    kinder = rng.choices(
        (["DTAP_IPV", "MMR", "VAR"], ["DTAP", "IPV", "MMR", "VAR"], ["DTAP_IPV", "MMRV"]),
        (45, 35, 20),
    )[0]
    hpv = rng.random() < 0.75  # a quarter of families decline or put off HPV
    menb = rng.random() < 0.25
    return {
        "birth": ["HEPB"] if birth_dose else [],
        **infant,
        "12m": booster_12m,
        "15m": ["120" if style == "pentacel" else "DTAP"],
        "18m": ["HEPA"],
        "4y": kinder,
        "11y": ["TDAP", "MENACWY"] + (["HPV"] if hpv else []),
        "11y6m": ["HPV"] if hpv else [],
        "16y": ["MENACWY"] + (["MENB"] if menb else []),
        "16y6m": ["MENB"] if menb else [],
    }


def visit_dates(rng: random.Random, birth: date, compliance: Compliance) -> dict[str, date]:
    """When each visit happened (or would happen): on time with jitter, late, or missed."""
    mode = rng.choice(("late", "missed", "stopped")) if compliance == Compliance.BEHIND else None
    stop_after = rng.randrange(2, len(VISITS)) if mode == "stopped" else len(VISITS)
    delay = 0
    dates: dict[str, date] = {}
    previous: date | None = None
    for index, (name, months, gap) in enumerate(VISITS):
        if index >= stop_after:
            break
        if mode == "missed" and months > 6 and rng.random() < 0.45:
            continue
        if mode == "late" and months >= 2:
            delay += rng.randint(0, 75)
        if name == "birth":
            day = birth + timedelta(days=rng.choice((0, 0, 1)))
        else:
            spread = 200 if name == "4y" else 300 if name == "11y" else 21
            day = add_months(birth, months) + timedelta(days=rng.randint(0, spread) + delay)
        if previous is not None:
            day = max(day, add_months(previous, gap) + timedelta(days=rng.randint(0, 10)))
        dates[name] = day
        previous = day
    return dates


def childhood_doses(
    rng: random.Random,
    birth: date,
    today: date,
    compliance: Compliance,
    clinics: Clinics,
    abroad: Abroad | None = None,
) -> list[DoseSpec]:
    if compliance == Compliance.NONE:
        return _birth_dose_only(rng, birth, clinics, today)
    slots = visit_slots(rng, birth)
    dtap = rng.choice(("20", "106"))
    doses: list[DoseSpec] = []
    for name, day in visit_dates(rng, birth, compliance).items():
        if day > today:
            break
        if name == "2m" and (day - birth).days > 104:
            slots = {k: [s for s in v if s not in ("116", "119")] for k, v in slots.items()}
        if abroad and day < abroad.arrived_on:
            doses += _historical(slots[name], day, birth, abroad.place)
            continue
        for slot in slots[name]:
            cvx = _product(slot, day, birth, dtap, rng)
            if cvx:
                doses.append(given(cvx, day, _where(name, day, clinics, rng)))
    if abroad:
        doses += _catch_up(rng, birth, abroad.arrived_on, today, clinics)
    return doses


def given(cvx: str, day: date, org: str) -> DoseSpec:
    mvx = products.manufacturer(cvx, org)
    lot = products.lot_number(mvx, org, cvx, day) if mvx else None
    return DoseSpec(cvx=cvx, given_on=day, org=org, mvx=mvx, lot=lot)


def _where(visit: str, day: date, clinics: Clinics, rng: random.Random) -> str:
    if visit == "birth" and clinics.birth_hospital:
        return clinics.birth_hospital
    if visit in ("4y", "11y") and clinics.outreach and rng.random() < 0.12:
        return clinics.outreach
    return clinics.on(day)


def _product(slot: str, day: date, birth: date, dtap: str, rng: random.Random) -> str | None:
    age_days = (day - birth).days
    if slot in ("116", "119") and age_days > 240:
        return None  # rotavirus is not given after 8 months
    if slot in ("48", "49", "PCV") and age_days > 5 * 365:
        return None
    if slot == "PCV" and day < date(2010, 3, 1):
        return "109"  # PCV7, which this registry's code list does not name
    if slot == "HPV" and day < date(2015, 1, 1):
        return "137"
    if slot == "DTAP":
        return dtap
    if slot.isdigit():
        return slot
    return products.choose(slot, day, rng)


def _historical(slots: list[str], day: date, birth: date, place: str) -> list[DoseSpec]:
    doses = []
    for slot in slots:
        for part in _PARTS.get(slot, (slot,)):
            if part in ("VAR", "HEPA", "MENB"):
                continue  # not on most national schedules abroad; caught up on arrival
            if part == "RV" and (day - birth).days > 240:
                continue
            cvx = products.UNSPECIFIED[part]
            doses.append(DoseSpec(cvx, day, administered_at_text=place, kind=DoseKind.HISTORICAL))
    return doses


def _catch_up(
    rng: random.Random, birth: date, arrived: date, today: date, clinics: Clinics
) -> list[DoseSpec]:
    """The first US visit gives the chickenpox and hepatitis A shots that were not given abroad.

    A child who arrives before 19 months gets them at the US 12- or 18-month visit instead.
    """
    day = arrived + timedelta(days=rng.randint(14, 60))
    if day > today or arrived < add_months(birth, 19):
        return []
    org = clinics.on(day)
    return [given("21", day, org), given("83", day, org)]


def _birth_dose_only(
    rng: random.Random, birth: date, clinics: Clinics, today: date
) -> list[DoseSpec]:
    if rng.random() < 0.5 or not clinics.birth_hospital or birth > today:
        return []
    return [given("08", birth, clinics.birth_hospital)]
