"""Every health card the portal has signed: what the verifier and the revocation list read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, utcnow
from portal.registry.patients import Patient


class IssuedCard(Base):
    """One signed card. Printing a record again supersedes (revokes) its older cards."""

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
