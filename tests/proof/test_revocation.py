"""The revocation list follows corrections, not prints.

A reprint leaves the older printouts valid (out of date: /verify says a newer one
exists); a correction or deletion of a dose they carry revokes them, in our
verifier and in every verifier that reads our CRL.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.orm import utcnow
from portal.proof.cards import generate_key, is_revoked, qr_chunks_to_jws, thumbprint
from portal.proof.crl import crl_for, revoke_cards_before
from portal.proof.documents import crl_versions
from portal.proof.issuance import NothingToPrint
from portal.proof.models import IssuedCard
from portal.proof.verification import check_proof
from portal.registry import Immunization


def _revoked_flags(db, patient) -> list[bool]:
    db.expire_all()
    cards = db.scalars(
        sa.select(IssuedCard).where(IssuedCard.patient_id == patient.id).order_by(IssuedCard.nbf)
    ).all()
    return [c.revoked_at is not None for c in cards]


def _status(db, keyring, proof) -> tuple[str, bool]:
    result = check_proof(db, keyring, qr_chunks_to_jws(proof.qr_chunks), now=utcnow())
    return result.status, result.newer_printout


def test_a_reprint_leaves_older_printouts_valid_and_publishes_nothing(
    db, child, issue, keyring
) -> None:
    first, second, third = issue(child), issue(child), issue(child)  # in one second
    assert first.nbf < second.nbf < third.nbf
    assert first.rid == second.rid == third.rid
    assert _revoked_flags(db, child) == [False, False, False]
    assert crl_for(db, keyring.kid) is None
    assert crl_versions(db, {keyring.kid}) == {}
    assert _status(db, keyring, first) == ("authentic", True)
    assert _status(db, keyring, third) == ("authentic", False)


def test_a_dose_added_since_does_not_make_the_older_printout_wrong(
    db, make, child, issue, keyring
) -> None:
    first = issue(child)
    make.dose(child, cvx_code="08", given_on=date(2024, 2, 2))
    db.commit()
    issue(child)
    assert _revoked_flags(db, child) == [False, False]
    assert _status(db, keyring, first) == ("authentic", True)


def test_a_deleted_dose_revokes_the_printouts_that_carry_it(db, child, issue, keyring) -> None:
    first = issue(child)
    dose = db.scalars(
        sa.select(Immunization).where(
            Immunization.patient_id == child.id, Immunization.deleted.is_(False)
        )
    ).first()
    dose.deleted = True
    db.commit()
    later = issue(child)
    assert _revoked_flags(db, child) == [True, False]
    crl = crl_for(db, keyring.kid)
    assert (crl["ctr"], crl["rids"]) == (1, [f"{first.rid}.{later.nbf}"])
    assert is_revoked(crl["rids"], first.rid, first.nbf)
    assert not is_revoked(crl["rids"], later.rid, later.nbf)
    assert _status(db, keyring, first)[0] == "revoked"
    assert _status(db, keyring, later) == ("authentic", False)


def test_a_corrected_dose_date_revokes_too(db, child, issue, keyring) -> None:
    first = issue(child)
    dose = db.scalars(sa.select(Immunization).where(Immunization.patient_id == child.id)).first()
    dose.given_on = date(2020, 3, 21)
    db.commit()
    issue(child)
    assert _status(db, keyring, first)[0] == "revoked"


def test_revoke_cards_before_is_what_a_correction_calls(db, child, issue, keyring) -> None:
    first = issue(child)
    point = revoke_cards_before(db, child, utcnow())
    db.commit()
    assert point > first.nbf
    assert crl_for(db, keyring.kid) == {
        "kid": keyring.kid,
        "method": "rid",
        "ctr": 1,
        "rids": [f"{first.rid}.{point}"],
    }
    later = issue(child)
    assert later.nbf >= point
    revoke_cards_before(db, child, utcnow())
    db.commit()
    crl = crl_for(db, keyring.kid)
    assert crl["ctr"] == 2  # each change of the list raises ctr, and the JWKS says so
    assert crl_versions(db, {keyring.kid}) == {keyring.kid: 2}
    assert crl["rids"] == [f"{first.rid}.{point + 1}"] or is_revoked(
        crl["rids"], later.rid, later.nbf
    )
    assert _revoked_flags(db, child) == [True, True]


def test_a_printout_after_every_dose_was_deleted_revokes_the_older_ones(
    db, child, issue, keyring
) -> None:
    import pytest

    first = issue(child)
    db.execute(
        sa.update(Immunization).where(Immunization.patient_id == child.id).values(deleted=True)
    )
    db.commit()
    with pytest.raises(NothingToPrint):
        issue(child)
    db.commit()  # the print view commits the revocation and prints a page without a QR code
    assert _status(db, keyring, first)[0] == "revoked"
    assert is_revoked(crl_for(db, keyring.kid)["rids"], first.rid, first.nbf)


def test_a_correction_revokes_under_each_key_the_record_was_printed_with(
    db, child, issue, keyring
) -> None:
    old = issue(child)
    new_key = generate_key()
    new = issue(child, key=new_key)
    assert new.kid == thumbprint(new_key) != old.kid
    assert new.rid != old.rid  # rids are per key, so CRLs of two keys cannot be linked
    point = revoke_cards_before(db, child, utcnow())
    db.commit()
    assert crl_for(db, old.kid)["rids"] == [f"{old.rid}.{point}"]
    assert crl_for(db, new.kid)["rids"] == [f"{new.rid}.{point}"]


def test_other_records_are_not_revoked(db, make, child, issue) -> None:
    other = make.patient()
    make.dose(other)
    issue(other)
    issue(child)
    revoke_cards_before(db, child, utcnow())
    db.commit()
    assert _revoked_flags(db, other) == [False]
