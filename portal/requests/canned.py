"""Canned replies: the help desk's ready answers to the common cases, kept by the
supervisor (`/staff/replies`): English always, each other language of LANGUAGES when
written (the child table canned_reply_texts, one row a language).

Plain functions over a Session (they flush, never commit); each change is appended to
the audit trail in the same transaction. The staff request page offers the active ones
and fills the note box with the text in the family's language (the requester's
account language), English when the reply has none in theirs. A retired reply stays
in the table, no longer offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit, languages
from portal.accounts.models import User

from .models import ENGLISH, CannedReply, CannedReplyText

# The portal's languages, English first (portal/languages.py holds the list).
LANGUAGES: tuple[str, ...] = languages.CODES

# Each language by its own name (the form's labels): not translated on purpose.
NATIVE_NAMES: dict[str, str] = {lang.code: lang.endonym for lang in languages.LANGUAGES}

# BCP 47 tags for the lang attribute of the form's fieldsets.
HTML_LANG: dict[str, str] = {lang.code: lang.html_lang for lang in languages.LANGUAGES}


@dataclass(frozen=True)
class Wording:
    title: str
    text: str


# Language -> its title and text; English required, a language left out has none.
ReplyTexts = dict[str, Wording]


def _fields(texts: ReplyTexts) -> dict[str, str]:
    """The flat view the audit trail keeps: title_<lang> and text_<lang>."""
    flat: dict[str, str] = {}
    for lang in LANGUAGES:
        if lang in texts:
            flat[f"title_{lang}"] = texts[lang].title
            flat[f"text_{lang}"] = texts[lang].text
    return flat


def texts_of(reply: CannedReply) -> ReplyTexts:
    return {lang: Wording(row.title, row.text) for lang, row in reply.texts.items()}


def _with_texts() -> sa.Select[tuple[CannedReply]]:
    """Replies with their texts joined: one query, however many replies and languages."""
    return sa.select(CannedReply).options(joinedload(CannedReply.texts))


def all_replies(db: Session) -> list[CannedReply]:
    """Every reply, the active ones first, each group in the order they were added."""
    query = _with_texts().order_by(CannedReply.active.desc(), CannedReply.id)
    return list(db.scalars(query).unique())


def active_replies(db: Session) -> list[CannedReply]:
    query = _with_texts().where(CannedReply.active).order_by(CannedReply.id)
    return list(db.scalars(query).unique())


def reply_text(db: Session, reply_id: int | None, locale: str | None) -> str | None:
    """The active reply's text in `locale` (English when the family has no language or the
    reply no text in theirs), or None."""
    if reply_id is None or not 0 < reply_id < 2**31:  # a typed address: no INTEGER, no reply
        return None
    reply = db.scalars(_with_texts().where(CannedReply.id == reply_id)).unique().one_or_none()
    if reply is None or not reply.active:
        return None
    return reply.text(locale)


def _set_texts(reply: CannedReply, texts: ReplyTexts) -> None:
    for lang in list(reply.texts):
        if lang not in texts:
            del reply.texts[lang]
    for lang, wording in texts.items():
        row = reply.texts.get(lang)
        if row is None:
            reply.texts[lang] = CannedReplyText(lang=lang, title=wording.title, text=wording.text)
        else:
            row.title, row.text = wording.title, wording.text


def add_reply(db: Session, actor: User, texts: ReplyTexts, *, now: datetime) -> CannedReply:
    if ENGLISH not in texts:
        raise ValueError("a ready answer needs its English text")
    reply = CannedReply(active=True, created_at=now, updated_at=now)
    _set_texts(reply, texts)
    db.add(reply)
    db.flush()
    audit.record(db, actor=actor, action=audit.AuditAction.CANNED_REPLY_ADDED, subject=reply,
                 after={"title_en": texts[ENGLISH].title}, now=now)  # fmt: skip
    return reply


def edit_reply(
    db: Session, actor: User, reply: CannedReply, texts: ReplyTexts, *, now: datetime
) -> bool:
    """Change what differs; False (and no audit entry) when nothing did. A language left
    out of `texts` loses its wording (the family then gets English)."""
    if ENGLISH not in texts:
        raise ValueError("a ready answer needs its English text")
    old, new = _fields(texts_of(reply)), _fields(texts)
    changed = [name for name in {**old, **new} if old.get(name) != new.get(name)]
    if not changed:
        return False
    _set_texts(reply, texts)
    reply.updated_at = now
    db.flush()
    audit.record(db, actor=actor, action=audit.AuditAction.CANNED_REPLY_EDITED, subject=reply,
                 before={name: old.get(name) for name in changed},
                 after={name: new.get(name) for name in changed}, now=now)  # fmt: skip
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
