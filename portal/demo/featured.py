"""The records the demo accounts use, written out by hand so the demo tells a story.

The parent has a 5-year-old whose record is locked, a 16-year-old with a
long record (every flu season, a TB test) for the printable proof, a baby whose
2-month shots are due soon and a toddler who missed the 6-month visit (overdue),
as of the demo's today (portal.forecast.status); the
adult patient has her own record; one child with a very long name came with
a vaccination card from Mexico; one unlinked child is the linking journey's
example.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.registry import Sex, TbInterpretation, TbTestType

from . import organizations as org
from .adults import adult_doses, tb_tests
from .schedule import Abroad, Clinics, childhood_doses, given
from .seasonal import Place, covid_doses, flu_doses
from .specs import Compliance, Contact, PatientSpec, TbSpec, add_months, add_years

SOFIA = "CA39000001"
MATEO = "CA39000002"
DANIELLE = "CA39000003"
LONG_NAME = "CA39000004"
DIEGO = "CA39000005"
LUCAS = "CA39000006"
CAMILA = "CA39000007"

PARENT_EMAIL = "parent@demo.example"
PATIENT_EMAIL = "patient@demo.example"


def _rng(registry_id: str) -> random.Random:
    return random.Random(f"featured:{registry_id}")


def _clinic_or_pharmacy(owner: str) -> Place:
    """Some seasons at the pharmacy down the street, the others at the clinic."""
    return lambda age, day: (
        org.BLOSSOM_TRAIL_PHARMACY if age >= 3 and day.toordinal() % 3 == 0 else owner
    )


def _morales(registry_id: str, first: str, birth: date, sex: Sex, phone: str) -> PatientSpec:
    return PatientSpec(
        registry_id=registry_id,
        first_name=first,
        middle_name=None,
        last_name="Rodríguez-Morales",
        birth_date=birth,
        sex=sex,
        guardian_name="Ana Morales",
        address_street="2418 E Shields Ave",
        address_city="Fresno",
        address_zip="93726",
        phone=phone,
        email=PARENT_EMAIL,
        contact=Contact.CURRENT,
        owner=org.SUNRISE_PEDIATRICS,
    )


def featured_patients(today: date) -> list[PatientSpec]:
    clinics = Clinics(
        org.SUNRISE_PEDIATRICS,
        birth_hospital=org.KINGS_RIVER_HOSPITAL,
        outreach=org.COUNTY_HEALTH,
    )
    return [
        _sofia(today, clinics),
        _mateo(today, clinics),
        _danielle(today),
        _long_name(today),
        _diego(today),
        _lucas(today, clinics),
        _camila(today, clinics),
    ]


def _sofia(today: date, clinics: Clinics) -> PatientSpec:
    rng = _rng(SOFIA)
    birth = add_years(today, -5) - timedelta(days=130)
    spec = _morales(SOFIA, "Sofía", birth, Sex.FEMALE, "(559) 555-0142")
    spec.doses = childhood_doses(rng, birth, today, Compliance.UP_TO_DATE, clinics)
    spec.doses += flu_doses(rng, birth, today, 0.9, _clinic_or_pharmacy(clinics.owner))
    spec.disclosed_on = birth + timedelta(days=2)
    # Locked at the family's request last spring: only Sunrise Pediatrics may open it.
    spec.shared = False
    spec.sharing_effective_on = today - timedelta(days=240)
    return spec


def _mateo(today: date, clinics: Clinics) -> PatientSpec:
    rng = _rng(MATEO)
    birth = add_years(today, -16) - timedelta(days=75)
    spec = _morales(MATEO, "Mateo", birth, Sex.MALE, "559-555-0142")
    spec.middle_name = "Alejandro"
    spec.doses = childhood_doses(rng, birth, today, Compliance.UP_TO_DATE, clinics)
    place = _clinic_or_pharmacy(clinics.owner)
    spec.doses += flu_doses(rng, birth, today, 1.0, place)
    spec.doses += covid_doses(rng, birth, today, place)
    placed = today - timedelta(days=300)
    spec.tb_tests = [
        TbSpec(
            TbTestType.SKIN,
            placed,
            placed + timedelta(days=2),
            "0 mm",
            TbInterpretation.NEGATIVE,
            org.SUNRISE_PEDIATRICS,
        )
    ]
    spec.disclosed_on = spec.sharing_effective_on = birth + timedelta(days=2)
    return spec


def _danielle(today: date) -> PatientSpec:
    rng = _rng(DANIELLE)
    birth = add_years(today, -34) - timedelta(days=200)
    owner = org.VALLE_VERDE_FAMILY
    spec = PatientSpec(
        registry_id=DANIELLE,
        first_name="Danielle",
        middle_name="Simone",
        last_name="Washington",
        birth_date=birth,
        sex=Sex.FEMALE,
        guardian_name=None,
        address_street="715 W Olive Ave Apt 6",
        address_city="Fresno",
        address_zip="93728",
        phone="(559) 555-0187",
        email=PATIENT_EMAIL,
        contact=Contact.CURRENT,
        owner=owner,
    )
    place = _clinic_or_pharmacy(owner)
    spec.doses = adult_doses(rng, birth, today, owner)
    spec.doses += flu_doses(rng, birth, today, 0.8, place)
    spec.doses += covid_doses(rng, birth, today, place)
    # She works at a child care center: screened for TB every four years.
    spec.tb_tests = tb_tests(rng, birth, today, org.COUNTY_HEALTH, repeat=True)
    spec.disclosed_on = spec.sharing_effective_on = today - timedelta(days=5 * 365)
    return spec


def _long_name(today: date) -> PatientSpec:
    rng = _rng(LONG_NAME)
    birth = add_years(today, -9) - timedelta(days=33)
    owner = org.COMUNIDAD_UNIDA_FQHC
    spec = PatientSpec(
        registry_id=LONG_NAME,
        first_name="María de los Ángeles",
        middle_name="Guadalupe Xóchitl",
        last_name="Villaseñor-Castañeda de la Cruz",
        birth_date=birth,
        sex=Sex.FEMALE,
        guardian_name="María Guadalupe Castañeda de la Cruz",
        address_street="10482 S Chestnut Ave Apt 31",
        address_city="Parlier",
        address_zip="93648",
        phone="(559) 555-0121",
        email=None,
        contact=Contact.NO_EMAIL,
        owner=owner,
    )
    abroad = Abroad("Clínica in Guadalajara, MX", add_years(birth, 3) + timedelta(days=60))
    spec.doses = childhood_doses(
        rng, birth, today, Compliance.UP_TO_DATE, Clinics(owner, outreach=org.COUNTY_HEALTH), abroad
    )
    spec.disclosed_on = spec.sharing_effective_on = abroad.arrived_on + timedelta(days=20)
    return spec


def _diego(today: date) -> PatientSpec:
    rng = _rng(DIEGO)
    birth = add_years(today, -7) - timedelta(days=41)
    owner = org.LITTLE_OAKS
    spec = PatientSpec(
        registry_id=DIEGO,
        first_name="Diego",
        middle_name=None,
        last_name="Martínez",
        birth_date=birth,
        sex=Sex.MALE,
        guardian_name="Rosa Martínez",
        address_street="3390 N Cedar Ave",
        address_city="Fresno",
        address_zip="93726",
        phone="(559) 555-0163",
        email="martinez.familia@demo.example",
        contact=Contact.CURRENT,
        owner=owner,
    )
    clinics = Clinics(owner, birth_hospital=org.KINGS_RIVER_HOSPITAL)
    spec.doses = childhood_doses(rng, birth, today, Compliance.UP_TO_DATE, clinics)
    spec.disclosed_on = spec.sharing_effective_on = birth + timedelta(days=1)
    return spec


def _lucas(today: date, clinics: Clinics) -> PatientSpec:
    """40 days old with both hepatitis B doses so far: the 2-month shots are due soon."""
    birth = today - timedelta(days=40)
    spec = _morales(LUCAS, "Lucas", birth, Sex.MALE, "(559) 555-0142")
    spec.doses = [
        given("08", birth, clinics.birth_hospital or clinics.owner),
        given("08", birth + timedelta(days=31), clinics.owner),
    ]
    spec.disclosed_on = spec.sharing_effective_on = birth + timedelta(days=2)
    return spec


def _camila(today: date, clinics: Clinics) -> PatientSpec:
    """10 months old, on time to the 4-month visit, then missed the 6-month one: overdue."""
    rng = _rng(CAMILA)
    birth = add_months(today, -10)
    spec = _morales(CAMILA, "Camila", birth, Sex.FEMALE, "(559) 555-0142")
    spec.doses = childhood_doses(
        rng, birth, add_months(birth, 5), Compliance.UP_TO_DATE, clinics
    )
    spec.disclosed_on = spec.sharing_effective_on = birth + timedelta(days=2)
    return spec
