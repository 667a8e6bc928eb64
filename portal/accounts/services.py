"""Account operations: plain functions over a Session. They flush; the request commits."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import tokens, totp
from .emails import AccountMail
from .models import User, UserSession
from .passwords import hash_password, needs_rehash, verify_password
from .rules import normalize_email
from .sealing import SecretBox
from .sessions import end_all_sessions, start_session


def find_user(db: Session, email: str) -> User | None:
    return db.scalar(sa.select(User).where(User.email == normalize_email(email)))


def sign_up(db: Session, mail: AccountMail, *, email: str, password: str, locale: str) -> None:
    """Create an account and queue its confirmation, or tell the owner of an existing one.

    Both paths hash the password and answer the same, so neither the page nor
    its timing says whether an address has an account.
    """
    email = normalize_email(email)
    password_hash = hash_password(password)
    existing = find_user(db, email)
    if existing is None:
        user = User(email=email, password_hash=password_hash, locale=locale)
        try:
            with db.begin_nested():
                db.add(user)
        except IntegrityError:  # the same address signed up a moment ago
            existing = find_user(db, email)
        else:
            mail.confirmation(db, user)
            return
    if existing is not None:
        mail.someone_tried_to_sign_up(db, existing)


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The account for these credentials, or None; as slow for unknown addresses as known."""
    user = find_user(db, email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@dataclass(frozen=True)
class Confirmation:
    user: User
    newly_confirmed: bool


def confirm_email(db: Session, secret: str, token: str, *, now: datetime) -> Confirmation:
    """Mark the address confirmed; raises TokenError for a bad, expired or stale link."""
    user_id, fingerprint = tokens.read_confirm_token(secret, token, now=now)
    user = db.get(User, user_id)
    if user is None or not hmac.compare_digest(
        tokens.email_fingerprint(secret, user.email), fingerprint
    ):
        raise tokens.TokenError()
    if user.email_confirmed_at is not None:
        return Confirmation(user, newly_confirmed=False)
    user.email_confirmed_at = now
    db.flush()
    return Confirmation(user, newly_confirmed=True)


def request_reset(db: Session, mail: AccountMail, email: str) -> None:
    """Queue a reset link when the address has an active account; silent otherwise."""
    user = find_user(db, email)
    if user is not None and user.active:
        mail.password_reset(db, user)


def user_for_reset(db: Session, secret: str, token: str, *, now: datetime) -> User:
    """The account a reset link is for; raises TokenError once the password has changed."""
    user_id, fingerprint = tokens.read_reset_token(secret, token, now=now)
    user = db.get(User, user_id)
    if user is None or not user.active:
        raise tokens.TokenError()
    if not hmac.compare_digest(tokens.password_fingerprint(user), fingerprint):
        raise tokens.TokenError(expired=True)
    return user


def set_password(db: Session, user: User, password: str, *, now: datetime) -> None:
    """A new password ends every session of the account, this browser's included."""
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    end_all_sessions(db, user)


def reset_password(
    db: Session, mail: AccountMail, user: User, password: str, *, now: datetime
) -> None:
    set_password(db, user, password, now=now)
    # The link reached the inbox, which is what confirming the address proves.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    mail.password_changed(db, user)


def change_password(
    db: Session, mail: AccountMail, user: User, current: str, new: str, *, now: datetime
) -> UserSession | None:
    """Change a signed-in user's password; returns the new session, or None if `current` is wrong.

    The old session row ends with all the others and a new one replaces it, so
    a copied cookie stops working; a staff member keeps the second factor just passed.
    """
    if not verify_password(user.password_hash, current):
        return None
    mfa_at = user.current_session.mfa_at if user.current_session else None
    set_password(db, user, new, now=now)
    row = start_session(db, user)
    row.mfa_at = mfa_at
    mail.password_changed(db, user)
    return row


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


def ensure_totp_secret(user: User, box: SecretBox) -> str:
    """The secret being enrolled, in plain for the QR code; stored sealed, and kept until
    confirmed so the QR code stays the same on reload."""
    if not user.totp_secret:
        secret = totp.new_secret()
        user.totp_secret = box.seal(secret)
        return secret
    return box.open(user.totp_secret)


def pass_second_factor(
    db: Session, user: User, code: str, *, now: datetime, box: SecretBox
) -> totp.CodeCheck:
    """Check a code and mark the session; a time step is accepted once, even by racing requests."""
    if not user.totp_secret:
        return totp.CodeCheck.WRONG
    secret = box.open(user.totp_secret)
    result = totp.check_code(secret, code, now=now, last_step=user.totp_last_step)
    if result.check is not totp.CodeCheck.OK:
        return result.check
    claimed = db.execute(
        sa.update(User)
        .where(User.id == user.id)
        .where(sa.or_(User.totp_last_step.is_(None), User.totp_last_step < result.step))
        .values(totp_last_step=result.step)
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:
        return totp.CodeCheck.REUSED
    if user.totp_confirmed_at is None:
        user.totp_confirmed_at = now
    if not box.is_sealed(user.totp_secret):  # stored in plain before sealing existed
        user.totp_secret = box.seal(secret)
    if user.current_session is not None:
        user.current_session.mfa_at = now
    db.flush()
    return totp.CodeCheck.OK
