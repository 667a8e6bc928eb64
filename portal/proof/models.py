"""Every health card the portal has signed, and the issuer's state that schools read.

- `issued_cards`: one row per signed card (what /verify reads).
- `card_points`: per record, the last revocation point handed out. Taking the next
  one is a single upsert, which locks the record's row (PostgreSQL) or takes the
  write lock (SQLite) first, so parallel printouts get distinct, increasing points.
- `crl_entries`: per key and record, "cards before this point are revoked". Only a
  correction or a deletion writes one, so the list follows corrections, not prints.
- `issuer_documents`: the JWKS and each key's CRL, rewritten in the transaction
  that changes them, so serving one is a single primary-key read.
- `card_keys`: signing keys made by `portal rotate-card-key`, private part sealed.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, utcnow
from portal.registry.patients import Patient


class IssuedCard(Base):
    """One signed card. A correction of the record revokes the cards printed before it."""

    __tablename__ = "issued_cards"
    __table_args__ = (
        sa.Index("ix_issued_cards_kid_rid", "kid", "rid"),
        sa.Index("ix_issued_cards_patient_id_nbf", "patient_id", "nbf"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    kid: Mapped[str] = mapped_column(sa.String(64))  # RFC 7638 thumbprint of the signing key
    rid: Mapped[str] = mapped_column(sa.String(24))  # the card's revocation id (per record and key)
    nbf: Mapped[int] = mapped_column(sa.BigInteger)  # the signed issue time, seconds since 1970
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Only a hash: the code itself is printed once and never stored.
    short_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    jws: Mapped[str] = mapped_column(sa.Text)
    revoked_at: Mapped[datetime | None]
    issued_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    patient: Mapped[Patient] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<IssuedCard {self.id} kid={self.kid[:8]} nbf={self.nbf}>"


class CardPoint(Base):
    """The record's last revocation point (an nbf or a revocation's `rid.<ts>`)."""

    __tablename__ = "card_points"

    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), primary_key=True)
    last_point: Mapped[int] = mapped_column(sa.BigInteger)


class CrlEntry(Base):
    """Cards of `rid` under `kid` with nbf before `before` are revoked."""

    __tablename__ = "crl_entries"

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    rid: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    before: Mapped[int] = mapped_column(sa.BigInteger)
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuerDocument(Base):
    """A public document as served: `jwks` or `crl/<kid>`, with its ETag."""

    __tablename__ = "issuer_documents"

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    body: Mapped[str] = mapped_column(sa.Text)
    etag: Mapped[str] = mapped_column(sa.String(64))
    version: Mapped[int] = mapped_column(default=1)  # a CRL's ctr
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CardKey(Base):
    """A signing key made by rotation. Once retired its private part is destroyed and
    only the public key stays, so older printouts keep verifying."""

    __tablename__ = "card_keys"

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    public_jwk: Mapped[str] = mapped_column(sa.Text)
    private_sealed: Mapped[str | None] = mapped_column(sa.Text)  # SecretBox-sealed JWK
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
