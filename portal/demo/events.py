"""Recent access-log entries, so a family's "who looked at my record" page has something to show.

Clinics send doses (SUBMIT) and query records (QUERY) over HL7; schools and
child care centers check printed proof (VERIFY); the sharing rules refuse
other organizations a locked or undisclosed record.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from portal.registry import AccessAction, AccessChannel, AccessOutcome

from . import featured
from . import organizations as org
from .specs import AccessSpec, PatientSpec

HL7 = AccessChannel.HL7
VERIFIER = AccessChannel.VERIFIER


def moment(day: date, rng: random.Random) -> datetime:
    """Office hours in California (UTC-7/-8), as a UTC time."""
    return datetime.combine(day, time(rng.randint(16, 23), rng.randint(0, 59)), tzinfo=UTC)


def featured_access(today: date) -> dict[str, list[AccessSpec]]:
    rng = random.Random("featured-access")

    def ago(days: int) -> datetime:
        return moment(today - timedelta(days=days), rng)

    denied = AccessOutcome.DENIED
    return {
        featured.SOFIA: [
            AccessSpec(ago(170), org.SUNRISE_PEDIATRICS, AccessAction.QUERY, HL7),
            AccessSpec(ago(96), org.CHILD_CARE, AccessAction.VERIFY, VERIFIER),
            AccessSpec(
                ago(61), org.BLOSSOM_TRAIL_PHARMACY, AccessAction.QUERY, HL7, denied, "not shared"
            ),
            AccessSpec(ago(34), org.ELEMENTARY_SCHOOL, AccessAction.VERIFY, VERIFIER),
            AccessSpec(ago(12), org.SUNRISE_PEDIATRICS, AccessAction.SUBMIT, HL7),
        ],
        featured.MATEO: [
            AccessSpec(ago(150), org.SUNRISE_PEDIATRICS, AccessAction.QUERY, HL7),
            AccessSpec(ago(88), org.HIGH_SCHOOL, AccessAction.VERIFY, VERIFIER),
            AccessSpec(ago(47), org.BLOSSOM_TRAIL_PHARMACY, AccessAction.QUERY, HL7),
            AccessSpec(ago(46), org.BLOSSOM_TRAIL_PHARMACY, AccessAction.SUBMIT, HL7),
            AccessSpec(ago(9), org.COUNTY_HEALTH, AccessAction.QUERY, HL7),
        ],
        featured.DANIELLE: [
            AccessSpec(ago(130), org.VALLE_VERDE_FAMILY, AccessAction.QUERY, HL7),
            AccessSpec(ago(58), org.BLOSSOM_TRAIL_PHARMACY, AccessAction.SUBMIT, HL7),
            AccessSpec(ago(20), org.COUNTY_HEALTH, AccessAction.QUERY, HL7),
        ],
    }


def routine_access(rng: random.Random, spec: PatientSpec, today: date) -> list[AccessSpec]:
    """A few events for a sample of records: recent submissions, queries, school checks."""
    events: list[AccessSpec] = []
    window = today - timedelta(days=180)
    for dose in spec.doses:
        if not spec.disclosed or (not spec.shared and dose.org != spec.owner):
            continue  # the registry would have refused these organizations
        if dose.org and dose.given_on >= window and rng.random() < 0.35:
            events.append(
                AccessSpec(moment(dose.given_on, rng), dose.org, AccessAction.SUBMIT, HL7)
            )
    if rng.random() > 0.15:
        return events
    age = spec.age_on(today)
    day = today - timedelta(days=rng.randint(1, 170))
    if not spec.disclosed:
        who = rng.choice((org.SUNRISE_PEDIATRICS, org.WIC_OFFICE))
        events.append(
            AccessSpec(
                moment(day, rng),
                who,
                AccessAction.QUERY,
                HL7,
                AccessOutcome.DENIED,
                "not disclosed",
            )
        )
    elif not spec.shared:
        events.append(
            AccessSpec(
                moment(day, rng),
                org.COUNTY_HEALTH,
                AccessAction.QUERY,
                HL7,
                AccessOutcome.DENIED,
                "not shared",
            )
        )
    elif age < 5 and rng.random() < 0.5:
        events.append(AccessSpec(moment(day, rng), org.CHILD_CARE, AccessAction.VERIFY, VERIFIER))
    elif age < 5:
        events.append(AccessSpec(moment(day, rng), org.WIC_OFFICE, AccessAction.QUERY, HL7))
    elif age < 18:
        school = org.ELEMENTARY_SCHOOL if age < 11 else org.HIGH_SCHOOL
        events.append(AccessSpec(moment(day, rng), school, AccessAction.VERIFY, VERIFIER))
    else:
        events.append(AccessSpec(moment(day, rng), spec.owner, AccessAction.QUERY, HL7))
    return events
