"""Canned replies: the help desk's ready answers to the common cases, kept by the
supervisor (`/staff/replies`) in English and in Spanish.

Plain functions over a Session (they flush, never commit); each change is appended to
the audit trail in the same transaction. The staff request page offers the active ones
and fills the note box with the text in the family's language (the requester's
account language). A retired reply stays in the table, no longer offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User

from .models import CannedReply

FIELDS = ("title_en", "title_es", "text_en", "text_es")


@dataclass(frozen=True)
class ReplyTexts:
    title_en: str
    title_es: str
    text_en: str
    text_es: str


def all_replies(db: Session) -> list[CannedReply]:
    """Every reply, the active ones first, each group in the order they were added."""
    return list(db.scalars(sa.select(CannedReply).order_by(CannedReply.active.desc(),
                                                            CannedReply.id)))  # fmt: skip


def active_replies(db: Session) -> list[CannedReply]:
    return list(
        db.scalars(sa.select(CannedReply).where(CannedReply.active).order_by(CannedReply.id))
    )


def reply_text(db: Session, reply_id: int | None, locale: str | None) -> str | None:
    """The active reply's text in `locale` (English when the family has none), or None."""
    if reply_id is None or not 0 < reply_id < 2**31:  # a typed address: no INTEGER, no reply
        return None
    reply = db.get(CannedReply, reply_id)
    if reply is None or not reply.active:
        return None
    return reply.text(locale)


def add_reply(db: Session, actor: User, texts: ReplyTexts, *, now: datetime) -> CannedReply:
    reply = CannedReply(**{name: getattr(texts, name) for name in FIELDS},
                        active=True, created_at=now, updated_at=now)  # fmt: skip
    db.add(reply)
    db.flush()
    audit.record(db, actor=actor, action=audit.AuditAction.CANNED_REPLY_ADDED, subject=reply,
                 after={"title_en": reply.title_en}, now=now)  # fmt: skip
    return reply


def edit_reply(
    db: Session, actor: User, reply: CannedReply, texts: ReplyTexts, *, now: datetime
) -> bool:
    """Change what differs; False (and no audit entry) when nothing did."""
    changed = [name for name in FIELDS if getattr(reply, name) != getattr(texts, name)]
    if not changed:
        return False
    before = {name: getattr(reply, name) for name in changed}
    for name in changed:
        setattr(reply, name, getattr(texts, name))
    reply.updated_at = now
    db.flush()
    audit.record(db, actor=actor, action=audit.AuditAction.CANNED_REPLY_EDITED, subject=reply,
                 before=before, after={name: getattr(reply, name) for name in changed},
                 now=now)  # fmt: skip
    return True


def set_active(
    db: Session, actor: User, reply: CannedReply, active: bool, *, now: datetime
) -> bool:
    """Retire (active=False) or restore a reply; False when it already was so."""
    if reply.active is active:
        return False
    reply.active = active
    reply.updated_at = now
    db.flush()
    actions = audit.AuditAction
    action = actions.CANNED_REPLY_RESTORED if active else actions.CANNED_REPLY_RETIRED
    audit.record(db, actor=actor, action=action, subject=reply,
                 before={"active": not active}, after={"active": active}, now=now)  # fmt: skip
    return True
