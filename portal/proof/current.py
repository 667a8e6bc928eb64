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

from .issuance import IssuedProof, NothingToPrint, issue_proof
from .keyring import Keyring, load_keyring
from .rotation import card_key_box, stored_keys, with_stored_keys

_EXTENSION = "portal.proof.keyring"


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = load_keyring(app.config, app.instance_path)


def current_keyring() -> Keyring:
    """The keyring of the settings alone; `active_keyring` adds the rotated keys."""
    return current_app.extensions[_EXTENSION]


def active_keyring(db: Session) -> Keyring:
    """The keyring in force now: the settings' keys and the rotated ones (one small
    read), so every app server signs with the newest key as soon as it is stored."""
    box = card_key_box(current_app.config.get("SECRET_KEY"))
    return with_stored_keys(current_keyring(), stored_keys(db), box)


def issue_for_current_app(db: Session, patient: Patient, user_id: int | None = None) -> IssuedProof:
    """A new signed card for `patient` (already checked against the user), in the
    caller's transaction. Raises issuance.NothingToPrint for a record without doses.

    Printing goes through `proof_for_printout`, which also handles a record without doses."""
    keyring = active_keyring(db)
    return issue_proof(
        db,
        patient,
        issuer_url=keyring.issuer,
        key=keyring.signing_key,
        rid_secret=keyring.rid_secret,
        now=utcnow(),
        issued_by_user_id=user_id,
    )


def proof_for_printout(db: Session, patient: Patient, user_id: int | None) -> IssuedProof | None:
    """The signed card for a new printout, or None when the record has no doses.

    Older printouts stay valid (a newer one exists, /verify says so) unless a dose
    they carry has been corrected or deleted since: issuance revokes those, also
    when the record has no dose left to print."""
    try:
        return issue_for_current_app(db, patient, user_id)
    except NothingToPrint:
        return None
