"""What /verify answers about a card, a photo of one, or a short code (no Flask here).

Only our own cards can be authentic: the key directory holds our current and
previous keys and nothing else, and revocation is read from our database. The
answer carries the card's signed content only when the signature is ours
(authentic or revoked), and then only what the paper shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .cards import (
    CardError,
    Reason,
    Verification,
    hash_short_code,
    normalize_short_code,
    verify_card,
    verify_qr_images,
)
from .cards.reasons import CardKeyError
from .crl import newer_printout_exists, revocation_check
from .keyring import Keyring
from .models import IssuedCard

# incomplete: one part of a card split over several QR codes, which cannot be
# checked alone (the signature covers all parts); the others must be scanned too.
Status = Literal["authentic", "not_authentic", "revoked", "unknown", "incomplete"]
Source = Literal["card", "code"]
SHOWS_CONTENT = frozenset({"authentic", "revoked"})


@dataclass(frozen=True)
class CheckedDose:
    cvx: str | None
    given_on: date | None
    occurred: str | None  # the card's own text when it is not a plain date
    given_by: str | None


@dataclass
class CheckResult:
    status: Status
    source: Source
    reasons: list[str] = field(default_factory=list)
    name: str | None = None
    birth_date: date | None = None
    issued_at: datetime | None = None  # the signed nbf
    doses: list[CheckedDose] = field(default_factory=list)
    patient_id: int | None = None  # set only for our own cards whose record we hold
    # Authentic, but the record was printed again since: every dose shown is still
    # on the record, later doses may be missing from this paper.
    newer_printout: bool = False
    parts_given: list[int] = field(default_factory=list)  # status "incomplete"
    parts_total: int | None = None

    @property
    def shows_content(self) -> bool:
        return self.status in SHOWS_CONTENT

    @property
    def is_newest(self) -> bool:
        return self.status == "authentic" and not self.newer_printout


class UnreadableImage(ValueError):  # noqa: N818 - names what the picture is
    """No QR code could be read from the picture: a retake, not a forgery."""


def _from_verification(
    db: Session, keyring: Keyring, v: Verification, source: Source
) -> CheckResult:
    status: Status = v.status
    if status == "unknown" and v.issuer == keyring.issuer:
        # Claims to be ours, but none of our keys signed it: we know every key we have.
        status = "not_authentic"
    if v.parts_total is not None and set(v.errors) == {Reason.MISSING_QR_CHUNK}:
        status = "incomplete"
    result = CheckResult(status=status, source=source, reasons=[str(r) for r in v.errors])
    result.parts_given, result.parts_total = list(v.parts_given), v.parts_total
    if status not in SHOWS_CONTENT or v.summary is None:
        return result
    result.name = v.summary.name
    result.birth_date = v.summary.birth_date
    result.issued_at = datetime.fromtimestamp(v.nbf, UTC) if v.nbf is not None else None
    result.doses = [
        CheckedDose(cvx=d.cvx, given_on=d.occurred_on, occurred=d.occurred, given_by=d.performer)
        for d in v.summary.doses
    ]
    result.patient_id = db.scalar(
        sa.select(IssuedCard.patient_id)
        .where(IssuedCard.kid == v.kid, IssuedCard.rid == v.rid)
        .limit(1)
    )
    if status == "authentic" and result.patient_id is not None and v.nbf is not None:
        result.newer_printout = newer_printout_exists(db, result.patient_id, v.nbf)
    return result


def _run(
    db: Session,
    keyring: Keyring,
    source: Source,
    now: datetime,
    verify: Callable[..., Verification],
    *args: Any,
) -> CheckResult:
    directory = keyring.directory()
    try:
        v = verify(
            *args,
            keys_for_issuer=directory.keys_for_issuer,
            issuer_for_kid=directory.issuer_for_kid,
            trusted_issuers={keyring.issuer},
            revoked=revocation_check(db),
            now=now,
        )
    except (CardError, CardKeyError, ValueError, OverflowError):
        # A hostile card must never become a server error. OverflowError: the cards
        # library passes a huge integer `nbf` to math.isfinite (reported upstream).
        return CheckResult(status="not_authentic", source=source, reasons=[Reason.SCHEMA_ERROR])
    return _from_verification(db, keyring, v, source)


def check_card_text(db: Session, keyring: Keyring, text: str, *, now: datetime) -> CheckResult:
    """A card given as `shc:/` text (one or several chunks), a JWS, or a card file."""
    return _run(db, keyring, "card", now, verify_card, text.strip())


def check_card_images(
    db: Session, keyring: Keyring, images: Sequence[bytes], *, now: datetime
) -> CheckResult:
    """A card given as photos or scans of its QR code(s); UnreadableImage if none is found."""
    result = _run(db, keyring, "card", now, verify_qr_images, list(images))
    if Reason.QR_DECODE_ERROR in result.reasons:
        raise UnreadableImage("no QR code could be read")
    return result


def check_short_code(db: Session, keyring: Keyring, code: str, *, now: datetime) -> CheckResult:
    """The card a short code was printed with, checked exactly as if its QR had been
    scanned; "unknown" when no card has that code. Raises ValueError for text
    that cannot be a code."""
    card = db.scalar(
        sa.select(IssuedCard).where(IssuedCard.short_code_hash == hash_short_code(code))
    )
    if card is None:
        return CheckResult(status="unknown", source="code", reasons=["NO_SUCH_CODE"])
    result = _run(db, keyring, "code", now, verify_card, card.jws)
    if result.shows_content:
        result.patient_id = card.patient_id
    return result


def looks_like_short_code(text: str) -> bool:
    try:
        normalize_short_code(text)
    except ValueError:
        return False
    return True


def check_proof(db: Session, keyring: Keyring, proof: str, *, now: datetime) -> CheckResult:
    """For the JSON API: one field holding either the card text or a short code."""
    text = proof.strip()
    if looks_like_short_code(text):
        return check_short_code(db, keyring, text, now=now)
    return check_card_text(db, keyring, text, now=now)
