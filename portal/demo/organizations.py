"""The demo's organizations: a Central Valley county's clinics, pharmacy, schools and agencies.

Names are invented; the cities are real so addresses and area codes look right.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.registry import OrgKind


@dataclass(frozen=True, slots=True)
class OrgSpec:
    identifier: str
    name: str
    kind: OrgKind
    city: str


SUNRISE_PEDIATRICS = "CAIR-0001"
LITTLE_OAKS = "CAIR-0002"
VALLE_VERDE_FAMILY = "CAIR-0003"
COMUNIDAD_UNIDA_FQHC = "CAIR-0004"
KINGS_RIVER_HOSPITAL = "CAIR-0005"
BLOSSOM_TRAIL_PHARMACY = "CAIR-0006"
COUNTY_HEALTH = "CAIR-0007"
ELEMENTARY_SCHOOL = "CAIR-0008"
HIGH_SCHOOL = "CAIR-0009"
CHILD_CARE = "CAIR-0010"
WIC_OFFICE = "CAIR-0011"

ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(SUNRISE_PEDIATRICS, "Sunrise Pediatrics Medical Group", OrgKind.PROVIDER, "Fresno"),
    OrgSpec(LITTLE_OAKS, "Little Oaks Children's Clinic", OrgKind.PROVIDER, "Clovis"),
    OrgSpec(VALLE_VERDE_FAMILY, "Valle Verde Family Medicine", OrgKind.PROVIDER, "Sanger"),
    OrgSpec(
        COMUNIDAD_UNIDA_FQHC,
        "Comunidad Unida Health Center (FQHC)",
        OrgKind.PROVIDER,
        "Reedley",
    ),
    OrgSpec(KINGS_RIVER_HOSPITAL, "Kings River Community Hospital", OrgKind.PROVIDER, "Selma"),
    OrgSpec(BLOSSOM_TRAIL_PHARMACY, "Blossom Trail Pharmacy", OrgKind.PHARMACY, "Fresno"),
    OrgSpec(
        COUNTY_HEALTH,
        "Central Valley County Department of Public Health",
        OrgKind.HEALTH_DEPARTMENT,
        "Fresno",
    ),
    OrgSpec(
        ELEMENTARY_SCHOOL,
        "Pinedale Creek Elementary School (Valley Ridge Unified School District)",
        OrgKind.SCHOOL,
        "Clovis",
    ),
    OrgSpec(
        HIGH_SCHOOL,
        "Kings Canyon Ridge High School (Valley Ridge Unified School District)",
        OrgKind.SCHOOL,
        "Clovis",
    ),
    OrgSpec(CHILD_CARE, "Pequeños Pasos Child Development Center", OrgKind.CHILD_CARE, "Fresno"),
    OrgSpec(WIC_OFFICE, "Central Valley WIC, Fresno Office", OrgKind.WIC, "Fresno"),
)

# Clinics that own children's records, weighted by how many families each serves.
CHILD_OWNERS: tuple[tuple[str, int], ...] = (
    (SUNRISE_PEDIATRICS, 35),
    (LITTLE_OAKS, 25),
    (VALLE_VERDE_FAMILY, 15),
    (COMUNIDAD_UNIDA_FQHC, 25),
)
ADULT_OWNERS: tuple[tuple[str, int], ...] = (
    (VALLE_VERDE_FAMILY, 40),
    (COMUNIDAD_UNIDA_FQHC, 40),
    (BLOSSOM_TRAIL_PHARMACY, 20),
)
