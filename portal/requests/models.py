"""One request model for everything a family asks of the help desk, with its timeline.

``version`` makes a concurrent change by two agents fail loudly (optimistic
locking) instead of one silently overwriting the other.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from portal.accounts.models import User
from portal.orm import Base, enum_column, utcnow
from portal.registry.patients import Patient


class RequestKind(StrEnum):
    VERIFICATION = "verification"  # prove parenthood by a document
    CORRECTION = "correction"  # report a mistake in the record
    LOCK = "lock"  # stop sharing the record
    UNLOCK = "unlock"  # share the record again


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset(
    {RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.NEEDS_INFO}
)


_OPEN_SHARING = "kind IN ('lock', 'unlock') AND status IN ('submitted', 'in_review', 'needs_info')"


class Request(Base):
    __tablename__ = "requests"
    __table_args__ = (
        sa.Index("ix_requests_status_created_at", "status", "created_at"),
        # The supervisor's figures read the last 30 days' answers.
        sa.Index("ix_requests_closed_at", "closed_at"),
        # A form sent twice (two clicks, a resent page) carries one token: one request.
        sa.UniqueConstraint("requester_id", "idempotency_token"),
        # One open lock or unlock per record, even when two parents ask at the same moment.
        sa.Index(
            "uq_requests_open_sharing_patient_id",
            "patient_id",
            unique=True,
            sqlite_where=sa.text(_OPEN_SHARING),
            postgresql_where=sa.text(_OPEN_SHARING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.SUBMITTED
    )
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Null for a verification request until the help desk finds the record.
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    # The hidden token of the form that filed it (null for requests filed otherwise).
    idempotency_token: Mapped[str | None] = mapped_column(sa.String(64))

    __mapper_args__ = {"version_id_col": version}

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    patient: Mapped[Patient | None] = relationship()
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.id"
    )
    documents: Mapped[list[RequestDocument]] = relationship(back_populates="request")


class RequestEvent(Base):
    """One step on a request's timeline: submitted, claimed, asked for more, approved, ..."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus))
    note: Mapped[str | None] = mapped_column(sa.Text)  # shown to the family when public
    public: Mapped[bool] = mapped_column(default=True)

    request: Mapped[Request] = relationship(back_populates="events")


class RequestDocument(Base):
    """An uploaded proof (birth certificate, custody order), stored outside the web root."""

    __tablename__ = "request_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("requests.id"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)  # random; not the upload's
    original_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[Request] = relationship(back_populates="documents")


ENGLISH = "en"  # every ready answer has it; the fallback for every other language
TITLE_MAX = 80
REPLY_TEXT_MAX = 1000


class CannedReply(Base):
    """A ready answer the supervisor keeps, with a title and a text per language (English
    always, the others when written); a retired one is kept (older notes were written from
    it) but no longer offered."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    texts: Mapped[dict[str, CannedReplyText]] = relationship(
        collection_class=attribute_keyed_dict("lang"),
        lazy="selectin",  # never one query per reply; canned.py joins them in its lists
        cascade="all, delete-orphan",
        back_populates="reply",
    )

    def _wording(self, locale: str | None) -> CannedReplyText:
        return self.texts.get(locale or "") or self.texts[ENGLISH]

    def title(self, locale: str | None) -> str:
        """The title in `locale`; English when the reply has none in that language."""
        return self._wording(locale).title

    def text(self, locale: str | None) -> str:
        """The text in `locale`; English when the family has no language or the reply has
        no text in theirs."""
        return self._wording(locale).text


class CannedReplyText(Base):
    """One language's title and text of a ready answer."""

    __tablename__ = "canned_reply_texts"

    reply_id: Mapped[int] = mapped_column(sa.ForeignKey("canned_replies.id"), primary_key=True)
    lang: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    text: Mapped[str] = mapped_column(sa.String(REPLY_TEXT_MAX))

    reply: Mapped[CannedReply] = relationship(back_populates="texts")
