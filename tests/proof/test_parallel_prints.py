"""Parallel printouts of one record, each in its own session as separate requests would be.

Six prints in the same second once got the same nbf on SQLite: the revocation list
could then tell none of them apart, and the newest card read as revoked. Each
printout takes its point from the database under the record's lock.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from portal.orm import utcnow
from portal.proof.issuance import issue_proof
from portal.proof.models import IssuedCard
from portal.proof.verification import check_proof
from portal.registry import Patient

PRINTS = 6


def _print_in_parallel(app, keyring, patient_id: int) -> list[BaseException]:
    barrier = threading.Barrier(PRINTS)
    errors: list[BaseException] = []

    def one_print() -> None:
        session = app.extensions["portal.db"]()
        try:
            patient = session.get(Patient, patient_id)  # each request has read the record
            barrier.wait()
            issue_proof(
                session,
                patient,
                issuer_url=keyring.issuer,
                key=keyring.signing_key,
                rid_secret=keyring.rid_secret,
                now=utcnow(),
            )
            session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
            session.rollback()
        finally:
            session.close()

    threads = [threading.Thread(target=one_print) for _ in range(PRINTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_parallel_prints_get_distinct_increasing_points_and_one_is_current(
    app, db, child, keyring
) -> None:
    assert _print_in_parallel(app, keyring, child.id) == []
    cards = db.scalars(
        sa.select(IssuedCard).where(IssuedCard.patient_id == child.id).order_by(IssuedCard.id)
    ).all()
    assert len(cards) == PRINTS
    points = [c.nbf for c in cards]
    assert len(set(points)) == PRINTS, points
    assert points == sorted(points)  # in the order the prints took the lock (and committed)

    results = [check_proof(db, keyring, c.jws, now=utcnow()) for c in cards]
    assert {r.status for r in results} == {"authentic"}  # none was corrected: none is wrong
    newest = [r for r in results if r.is_newest]
    assert len(newest) == 1
    assert newest[0].issued_at.timestamp() == max(points)
    assert all(r.newer_printout for r in results if not r.is_newest)
