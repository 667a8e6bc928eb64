"""The whole demo registry, generated from a seed and today's date.

Each household and each patient draws from its own seeded Random, so tuning
one generator does not reshuffle every other record; birth dates are counted
back from `today` so that ages stay what the story needs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from portal.registry import RecordSource

from . import organizations as org
from .accounts import DEMO_ACCOUNTS, AccountSpec
from .adults import adult_doses, tb_tests
from .events import featured_access, routine_access
from .featured import DIEGO, featured_patients
from .names import ABROAD, LATINO
from .organizations import ORGANIZATIONS, OrgSpec
from .people import Household, make_adult, make_child, make_household
from .schedule import Abroad, Clinics, childhood_doses
from .seasonal import Place, covid_doses, flu_doses
from .specs import Compliance, PatientSpec, add_years, age_in_years

DEFAULT_SEED = 2026
CHILDREN = 310
STANDALONE_ADULTS = 30


@dataclass(slots=True)
class Dataset:
    organizations: tuple[OrgSpec, ...]
    patients: list[PatientSpec]
    accounts: tuple[AccountSpec, ...]
    linking_example: str  # registry id of the unlinked child the hint names


def build_dataset(today: date, seed: int = DEFAULT_SEED) -> Dataset:
    patients = featured_patients(today)
    access = featured_access(today)
    for spec in patients:
        spec.access = access.get(spec.registry_id, [])
    generated: list[PatientSpec] = []
    number = 0
    while sum(1 for p in generated if p.age_on(today) < 18) < CHILDREN:
        number += 1
        generated += _household_records(seed, number, today, len(generated))
    for _ in range(STANDALONE_ADULTS):
        number += 1
        rng = random.Random(f"{seed}:household:{number}")
        household = make_household(rng, number)
        generated.append(_adult(seed, household, _registry_id(len(generated)), today))
    return Dataset(ORGANIZATIONS, patients + generated, DEMO_ACCOUNTS, DIEGO)


def _registry_id(index: int) -> str:
    # A stride coprime with 10**6 scatters the numbers without ever repeating one.
    return f"CA{41_000_000 + (index * 7919) % 1_000_000:08d}"


def _household_records(seed: int, number: int, today: date, start: int) -> list[PatientSpec]:
    rng = random.Random(f"{seed}:household:{number}")
    household = make_household(rng, number)
    owner = rng.choices([o for o, _ in org.CHILD_OWNERS], [w for _, w in org.CHILD_OWNERS])[0]
    abroad = _abroad(rng, household, today)
    flu_habit = rng.choices((0.9, 0.3, 0.0), (35, 35, 30))[0]
    records: list[PatientSpec] = []
    age_days = rng.randint(0, 18 * 365 - 1)
    for _ in range(rng.choices((1, 2, 3), (35, 40, 25))[0]):
        if age_days < 0:
            break
        registry_id = _registry_id(start + len(records))
        birth = today - timedelta(days=age_days)
        child_rng = random.Random(f"{seed}:{registry_id}")
        spec = make_child(child_rng, household, registry_id, birth, owner)
        _child_history(child_rng, spec, today, abroad, flu_habit)
        records.append(spec)
        age_days -= rng.randint(450, 1800)
    if records and rng.random() < 0.15:
        eldest = records[0].birth_date
        birth = eldest - timedelta(days=rng.randint(19 * 365, 40 * 365))
        registry_id = _registry_id(start + len(records))
        records.append(_adult(seed, household, registry_id, today, birth=birth, is_guardian=True))
    return records


def _abroad(rng: random.Random, household: Household, today: date) -> Abroad | None:
    share = 0.18 if household.background is LATINO else 0.08
    if rng.random() >= share:
        return None
    places = {
        "latino": ABROAD[:5],
        "filipino": ABROAD[5:6],
        "armenian": ABROAD[6:7],
        "south_asian": ABROAD[7:8],
    }.get(household.background.key, ABROAD[8:])
    return Abroad(rng.choice(places), today - timedelta(days=rng.randint(120, 10 * 365)))


def _places(rng: random.Random, clinic: str) -> Place:
    def place(age: int, day: date) -> str:
        roll = rng.random()
        if age >= 3 and roll < 0.3:
            return org.BLOSSOM_TRAIL_PHARMACY
        return org.COUNTY_HEALTH if roll > 0.88 else clinic

    return place


def _child_history(
    rng: random.Random, spec: PatientSpec, today: date, abroad: Abroad | None, flu_habit: float
) -> None:
    birth = spec.birth_date
    owner = spec.owner or org.SUNRISE_PEDIATRICS
    compliance = rng.choices(list(Compliance), (72, 24, 4))[0]
    if abroad and birth >= abroad.arrived_on:
        abroad = None
    clinics = Clinics(
        owner,
        birth_hospital=None if abroad else org.KINGS_RIVER_HOSPITAL,
        outreach=org.COUNTY_HEALTH,
    )
    if rng.random() < 0.15 and birth < today - timedelta(days=400):
        clinics.later = rng.choice([o for o, _ in org.CHILD_OWNERS if o != owner])
        clinics.switched_on = birth + timedelta(days=rng.randint(300, (today - birth).days))
    spec.compliance = compliance
    spec.doses = childhood_doses(rng, birth, today, compliance, clinics, abroad)
    if compliance != Compliance.NONE:
        spec.doses += flu_doses(rng, birth, today, flu_habit, _places(rng, owner))
        if rng.random() < 0.25:
            spec.doses += covid_doses(rng, birth, today, _places(rng, owner))
    if spec.age_on(today) >= 13 and rng.random() < 0.1:
        where = rng.choice((owner, org.COUNTY_HEALTH))
        spec.tb_tests = tb_tests(rng, birth, today, where, repeat=False)
    newborn = (today - birth).days < 120 and rng.random() < 0.6
    never_seen = compliance == Compliance.NONE and rng.random() < 0.5
    if newborn or never_seen:
        _from_birth_certificate(spec)
    else:
        _disclose(rng, spec, today, first_seen=abroad.arrived_on if abroad else birth)
    spec.access = routine_access(rng, spec, today)


def _adult(
    seed: int,
    household: Household,
    registry_id: str,
    today: date,
    *,
    birth: date | None = None,
    is_guardian: bool = False,
) -> PatientSpec:
    rng = random.Random(f"{seed}:{registry_id}")
    if birth is None:
        young = rng.random() < 0.35
        low, high = (18 * 365 + 30, 26 * 365) if young else (26 * 365, 78 * 365)
        birth = today - timedelta(days=rng.randint(low, high))
    owner = rng.choices([o for o, _ in org.ADULT_OWNERS], [w for _, w in org.ADULT_OWNERS])[0]
    spec = make_adult(rng, household, registry_id, birth, owner, is_guardian=is_guardian)
    if age_in_years(birth, today) < 26:  # grew up here: the childhood record is in the registry
        clinics = Clinics(org.VALLE_VERDE_FAMILY, later=owner, switched_on=add_years(birth, 18))
        spec.doses = childhood_doses(rng, birth, today, Compliance.UP_TO_DATE, clinics)
    spec.doses += adult_doses(rng, birth, today, owner)
    spec.doses += flu_doses(rng, birth, today, rng.choice((0.8, 0.4, 0.1)), _places(rng, owner))
    if rng.random() < 0.6:
        spec.doses += covid_doses(rng, birth, today, _places(rng, owner))
    roll = rng.random()
    if roll < 0.55:
        repeat = roll < 0.35  # school and child care staff are screened every four years
        where = rng.choice((owner, org.COUNTY_HEALTH))
        spec.tb_tests = tb_tests(rng, birth, today, where, repeat=repeat)
    first_seen = min((d.given_on for d in spec.doses), default=today - timedelta(days=400))
    _disclose(rng, spec, today, first_seen=first_seen)
    spec.access = routine_access(rng, spec, today)
    return spec


def _from_birth_certificate(spec: PatientSpec) -> None:
    """Policy rule 3: vital records start undisclosed and unshared, with no owner yet."""
    spec.source = RecordSource.BIRTH_CERTIFICATE
    spec.disclosed = spec.shared = False
    spec.disclosed_on = spec.sharing_effective_on = None
    spec.owner = None
    spec.doses = [d for d in spec.doses if d.given_on <= spec.birth_date + timedelta(days=2)]


def _disclose(rng: random.Random, spec: PatientSpec, today: date, first_seen: date) -> None:
    day = min(max(first_seen, spec.birth_date) + timedelta(days=rng.randint(0, 14)), today)
    spec.disclosed, spec.disclosed_on = True, day
    spec.shared, spec.sharing_effective_on = True, day
    if rng.random() < 0.05 and day < today - timedelta(days=30):
        # The family asked for the record to be locked: only the owner may open it.
        spec.shared = False
        spec.sharing_effective_on = day + timedelta(days=rng.randint(30, (today - day).days))
