"""The running app's keyring, and the one call the printable record makes.

The keyring is loaded when the proof blueprint is registered, so a portal with a
missing or broken signing key refuses to start (see keyring.py) instead of
failing on the first print.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.orm import utcnow
from portal.registry import Patient

from .issuance import IssuedProof, issue_proof
from .keyring import Keyring, load_keyring

_EXTENSION = "portal.proof.keyring"


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = load_keyring(app.config, app.instance_path)


def current_keyring() -> Keyring:
    return current_app.extensions[_EXTENSION]


def issue_for_current_app(db: Session, patient: Patient, user_id: int | None = None) -> IssuedProof:
    """A new signed card for `patient` (already checked against the user), in the
    caller's transaction. Raises issuance.NothingToPrint for a record without doses.

    The PDF view: `proof = issue_for_current_app(db.session, patient, current_user.id)`,
    then `PrintedProof(proof.qr_chunks, proof.short_code, proof.issued_at)`."""
    keyring = current_keyring()
    return issue_proof(
        db,
        patient,
        issuer_url=keyring.issuer,
        key=keyring.signing_key,
        rid_secret=keyring.rid_secret,
        now=utcnow(),
        issued_by_user_id=user_id,
    )
