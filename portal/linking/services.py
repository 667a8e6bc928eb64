"""Links between accounts and records: which records a user may open today, and changing them.

Other features call `active_link_for` to check a link id from a URL against the
current user; it answers None for anything the user may not open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import User
from portal.forecast.status import Summary, kept_record_status
from portal.registry import Immunization, Patient, RecordSource, Sex, TbTest

from . import rules
from .models import LinkMethod, PatientLink, Relationship


def _active(user: User, today: date) -> sa.Select[tuple[PatientLink]]:
    return sa.select(PatientLink).where(
        PatientLink.user_id == user.id,
        PatientLink.unlinked_at.is_(None),
        sa.or_(PatientLink.ends_on.is_(None), PatientLink.ends_on > today),
    )


# `_active` for one link, with the link id, the user and the day as parameters (link_id,
# user_id, today), for statements built once: building a statement costs more than
# running it, on pages that check a link each time. Other features join it (records).
LINK_IN_FORCE = sa.and_(
    PatientLink.id == sa.bindparam("link_id"),
    PatientLink.user_id == sa.bindparam("user_id"),
    PatientLink.unlinked_at.is_(None),
    sa.or_(PatientLink.ends_on.is_(None), PatientLink.ends_on > sa.bindparam("today")),
)


_LINK_IN_FORCE = sa.select(PatientLink).where(LINK_IN_FORCE)


def active_link_for(db: Session, user: User, link_id: int, today: date) -> PatientLink | None:
    """The user's own link, if it is still in force; None for anyone else's, unlinked or ended."""
    return db.scalar(_LINK_IN_FORCE, {"link_id": link_id, "user_id": user.id, "today": today})


def active_links(db: Session, user: User, today: date) -> list[PatientLink]:
    """The user's links in force: their own record first, then children from the youngest."""
    links = db.scalars(_active(user, today).options(joinedload(PatientLink.patient))).all()
    return sorted(
        links,
        key=lambda link: (
            link.relationship_ is not Relationship.SELF,
            -link.patient.birth_date.toordinal(),
            link.id,
        ),
    )


def _active_link_to(db: Session, user: User, patient: Patient, today: date) -> PatientLink | None:
    return db.scalar(_active(user, today).where(PatientLink.patient_id == patient.id))


def link_patient(
    db: Session,
    user: User,
    patient: Patient,
    *,
    relationship: Relationship,
    method: LinkMethod,
    today: date,
    guardian_age: int,
) -> PatientLink:
    """Link a record to an account (or return the link already in force)."""
    existing = _active_link_to(db, user, patient, today)
    if existing is not None:
        return existing
    _close_ended_links(db, user, patient, today)
    ends_on = None
    if relationship in rules.GUARDIAN_RELATIONSHIPS:
        ends_on = rules.guardian_link_ends_on(patient.birth_date, guardian_age)
    link = PatientLink(
        user=user, patient=patient, relationship_=relationship, method=method, ends_on=ends_on
    )
    try:
        with db.begin_nested():
            db.add(link)
            db.flush()
    except IntegrityError:
        # A parallel request linked the same record first (one active link per account and
        # record, a unique index): go on with its link, as if this one had found it.
        winner = _active_link_to(db, user, patient, today)
        if winner is None:
            raise
        return winner
    return link


def _close_ended_links(db: Session, user: User, patient: Patient, today: date) -> None:
    """Close links to this record that ran out (a guardian's at 18), ended on their last day."""
    for link in db.scalars(
        sa.select(PatientLink).where(
            PatientLink.user_id == user.id,
            PatientLink.patient_id == patient.id,
            PatientLink.unlinked_at.is_(None),
            PatientLink.ends_on <= today,
        )
    ):
        assert link.ends_on is not None
        link.unlinked_at = datetime.combine(link.ends_on, time(), tzinfo=UTC)
    db.flush()


def unlink(link: PatientLink, now: datetime) -> None:
    link.unlinked_at = link.unlinked_at or now


@dataclass(frozen=True)
class RecordSummary:
    """One line of the "My records" list."""

    link: PatientLink
    dose_count: int
    last_updated: datetime
    days_left: int | None  # set when a guardian's link ends within the warning period
    awaiting_disclosure: bool
    from_birth_certificate: bool
    due: Summary  # overdue / due now / due soon / up to date (portal.forecast.status)

    @property
    def patient(self) -> Patient:
        return self.link.patient

    @property
    def may_invite(self) -> bool:
        return self.days_left is not None


def cdsi_gender(sex: Sex) -> str:
    """CDSi's gender: F, M or unknown."""
    return sex.value if sex in (Sex.FEMALE, Sex.MALE) else ""


def record_summaries(db: Session, user: User, today: date) -> list[RecordSummary]:
    """The "My records" lines: a fixed number of queries, however many records are linked."""
    links = active_links(db, user, today)
    ids = [link.patient_id for link in links]
    doses: dict[int, tuple[int, datetime | None]] = {}
    tb_tests: dict[int, datetime | None] = {}
    given: dict[int, list[tuple[str, date]]] = {pid: [] for pid in ids}
    if ids:
        # A removed dose is not counted, but its removal is a change to the record.
        rows = db.execute(
            sa.select(
                Immunization.patient_id,
                sa.func.sum(sa.case((Immunization.deleted.is_(False), 1), else_=0)),
                sa.func.max(Immunization.updated_at),
            )
            .where(Immunization.patient_id.in_(ids))
            .group_by(Immunization.patient_id)
        ).all()
        doses = {pid: (int(n or 0), latest) for pid, n, latest in rows}
        for pid, cvx, given_on in db.execute(
            sa.select(Immunization.patient_id, Immunization.cvx_code, Immunization.given_on)
            .where(Immunization.patient_id.in_(ids), Immunization.deleted.is_(False))
        ):
            given[pid].append((cvx, given_on))
        tb_tests = {
            pid: latest
            for pid, latest in db.execute(
                sa.select(TbTest.patient_id, sa.func.max(TbTest.created_at))
                .where(TbTest.patient_id.in_(ids))
                .group_by(TbTest.patient_id)
            )
        }
    summaries = []
    for link in links:
        patient = link.patient
        count, latest_dose = doses.get(patient.id, (0, None))
        changes = (patient.updated_at, latest_dose, tb_tests.get(patient.id))
        summaries.append(
            RecordSummary(
                link=link,
                dose_count=count,
                last_updated=max(moment for moment in changes if moment is not None),
                days_left=rules.days_until_end(link.ends_on, today),
                awaiting_disclosure=not patient.disclosed,
                from_birth_certificate=patient.source == RecordSource.BIRTH_CERTIFICATE,
                due=kept_record_status(
                    patient.birth_date, given[patient.id], today, cdsi_gender(patient.sex)
                ).summary,
            )
        )
    return summaries
