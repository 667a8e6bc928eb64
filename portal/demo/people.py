"""Families: names, addresses and the contact on file, as a county registry holds them.

About a third of records cannot reach the family through the contact on file
(no email, no phone, or an old one), which is why the portal offers more
than one way to prove parenthood.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from portal.registry import Sex

from .names import BACKGROUNDS, CITIES, LATINO, STREETS, Background
from .specs import Contact, PatientSpec

_CONTACT_WEIGHTS = {
    Contact.CURRENT: 64,
    Contact.NO_EMAIL: 12,
    Contact.NO_PHONE: 4,
    Contact.MISSING: 8,
    Contact.OUTDATED: 12,
}
_PHONE_FORMATS = ("({a}) {p}-{l}", "{a}-{p}-{l}", "{a}{p}{l}", "{a}.{p}.{l}", "1{a}{p}{l}")


@dataclass(slots=True)
class Household:
    number: int
    background: Background
    surname: str  # the children's family name
    guardian_first: str
    guardian_last: str
    guardian_sex: Sex
    street: str
    city: str
    zip_code: str
    area_code: str
    phone: str | None
    email: str | None
    contact: Contact

    @property
    def guardian_name(self) -> str:
        return f"{self.guardian_first} {self.guardian_last}"


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def phone_number(rng: random.Random, area: str) -> str:
    """A number in the 555-0100..0199 block that is reserved for fiction."""
    line = f"{rng.randint(100, 199):04d}"
    return rng.choice(_PHONE_FORMATS).format(a=area, p="555", l=line)


def make_household(rng: random.Random, number: int) -> Household:
    background = rng.choices(BACKGROUNDS, [b.weight for b in BACKGROUNDS])[0]
    father = rng.choice(background.surnames)
    mother = rng.choice(background.surnames)
    surname = father
    if background is LATINO and mother != father:
        surname = rng.choices((father, f"{father} {mother}", f"{father}-{mother}"), (50, 30, 20))[0]
    guardian_sex = Sex.FEMALE if rng.random() < 0.75 else Sex.MALE
    pool = background.adult_female if guardian_sex == Sex.FEMALE else background.adult_male
    # Mothers in Latino families usually keep their own surname.
    guardian_last = mother if background is LATINO and guardian_sex == Sex.FEMALE else father
    city, zips, area, _ = rng.choices(CITIES, [c[3] for c in CITIES])[0]
    street = f"{rng.randint(100, 9899)} {rng.choice(STREETS)}"
    if rng.random() < 0.2:
        street += f" Apt {rng.randint(1, 40)}"
    first = rng.choice(pool)
    contact = rng.choices(list(_CONTACT_WEIGHTS), list(_CONTACT_WEIGHTS.values()))[0]
    phone: str | None = phone_number(rng, area)
    email: str | None = _email(rng, first, guardian_last, number, "demo.example")
    if contact in (Contact.NO_EMAIL, Contact.MISSING):
        email = None
    if contact in (Contact.NO_PHONE, Contact.MISSING):
        phone = None
    if contact == Contact.OUTDATED:
        # A number or mailbox from years ago: still on the record, no longer the family's.
        phone = phone_number(rng, rng.choice(("209", "661", "831")))
        email = _email(rng, first, guardian_last, number, "oldmail.example")
    return Household(
        number=number,
        background=background,
        surname=surname,
        guardian_first=first,
        guardian_last=guardian_last,
        guardian_sex=guardian_sex,
        street=street,
        city=city,
        zip_code=rng.choice(zips),
        area_code=area,
        phone=phone,
        email=email,
        contact=contact,
    )


def _email(rng: random.Random, first: str, last: str, number: int, domain: str) -> str:
    f, la = ascii_fold(first), ascii_fold(last)
    # The household number keeps two families with the same names apart.
    local = rng.choice((f"{f}.{la}{number}", f"{f}{la}{number}", f"{la}.family{number}"))
    return f"{local}@{domain}"


def child_sex(rng: random.Random) -> Sex:
    roll = rng.random()
    if roll < 0.495:
        return Sex.FEMALE
    if roll < 0.99:
        return Sex.MALE
    return Sex.NONBINARY if roll < 0.996 else Sex.UNKNOWN


def make_child(
    rng: random.Random, household: Household, registry_id: str, birth: date, owner: str | None
) -> PatientSpec:
    sex = child_sex(rng)
    background = household.background
    pool = background.female if sex == Sex.FEMALE else background.male
    if sex in (Sex.NONBINARY, Sex.UNKNOWN):
        pool = background.female + background.male
    first = rng.choice(pool)
    middle = rng.choice(pool) if rng.random() < 0.3 else None
    if middle == first:
        middle = None
    return PatientSpec(
        registry_id=registry_id,
        first_name=first,
        middle_name=middle,
        last_name=household.surname,
        birth_date=birth,
        sex=sex,
        guardian_name=household.guardian_name,
        address_street=household.street,
        address_city=household.city,
        address_zip=household.zip_code,
        phone=household.phone,
        email=household.email,
        contact=household.contact,
        owner=owner,
    )


def make_adult(
    rng: random.Random,
    household: Household,
    registry_id: str,
    birth: date,
    owner: str | None,
    *,
    is_guardian: bool,
) -> PatientSpec:
    """The household's guardian, or another adult of the family, with their own email."""
    spec = make_child(rng, household, registry_id, birth, owner)
    background = household.background
    if is_guardian:
        spec.sex, spec.first_name = household.guardian_sex, household.guardian_first
    else:
        spec.sex = child_sex(rng)
        pool = background.adult_female if spec.sex == Sex.FEMALE else background.adult_male
        if spec.sex in (Sex.NONBINARY, Sex.UNKNOWN):
            pool = background.adult_female + background.adult_male
        spec.first_name = rng.choice(pool)
    spec.middle_name = None
    spec.last_name = household.guardian_last
    spec.guardian_name = None
    if spec.email:
        domain = spec.email.rsplit("@", 1)[1]
        spec.email = _email(rng, spec.first_name, spec.last_name, household.number, domain)
    return spec
