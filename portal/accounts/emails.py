"""The emails accounts send, written in the reader's language and queued in the outbox.

Links are built from ISSUER_URL, the portal's public address, never from the
request's Host header, so a forged Host cannot turn a reset email into a link
to someone else's site.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.mail.outbox import queue_email

from . import tokens
from .models import User


@dataclass(frozen=True)
class AccountMail:
    secret: str
    base_url: str

    @classmethod
    def from_app(cls) -> AccountMail:
        config = current_app.config
        return cls(secret=config["SECRET_KEY"], base_url=config["ISSUER_URL"])

    def link(self, endpoint: str, **values: object) -> str:
        return self.base_url.rstrip("/") + url_for(endpoint, **values)

    def _queue(self, db: Session, user: User, subject: str, body: str) -> None:
        queue_email(db, to=user.email, subject=subject, body=body)

    def confirmation(self, db: Session, user: User) -> None:
        link = self.link("accounts.confirm", token=tokens.confirm_token(self.secret, user))
        with force_locale(user.locale or "en"):
            subject = _("Confirm your email address")
            body = _(
                "Hello,\n\nPlease confirm the email address for your Immunization Registry "
                "account by opening this link:\n\n%(link)s\n\nThe link works for 3 days. "
                "If you did not create an account, you can ignore this email.",
                link=link,
            )
        self._queue(db, user, subject, body)

    def someone_tried_to_sign_up(self, db: Session, user: User) -> None:
        login, reset = self.link("accounts.login"), self.link("accounts.reset_request")
        with force_locale(user.locale or "en"):
            subject = _("You already have an account")
            body = _(
                "Hello,\n\nSomeone tried to create an Immunization Registry account with "
                "this email address. You already have an account, so we did not make a "
                "new one.\n\nIf it was you, sign in here:\n%(login)s\n\nIf you forgot "
                "your password, set a new one here:\n%(reset)s\n\nIf it was not you, you "
                "can ignore this email. Your account has not changed.",
                login=login,
                reset=reset,
            )
        self._queue(db, user, subject, body)

    def password_reset(self, db: Session, user: User) -> None:
        link = self.link("accounts.reset_password", token=tokens.reset_token(self.secret, user))
        with force_locale(user.locale or "en"):
            subject = _("Set a new password")
            body = _(
                "Hello,\n\nWe got a request to set a new password for your Immunization "
                "Registry account. To choose a new password, open this link:\n\n%(link)s"
                "\n\nThe link works for 1 hour and only once. If you did not ask for "
                "this, you can ignore this email: your password has not changed.",
                link=link,
            )
        self._queue(db, user, subject, body)

    def password_changed(self, db: Session, user: User) -> None:
        with force_locale(user.locale or "en"):
            subject = _("Your password was changed")
            body = _(
                "Hello,\n\nThe password for your Immunization Registry account was just "
                "changed, and every device that was signed in has been signed out.\n\n"
                "If you did not do this, set a new password now at %(link)s and call the "
                "help desk at %(phone)s.",
                link=self.link("accounts.reset_request"),
                phone=current_app.config["HELPDESK_PHONE"],
            )
        self._queue(db, user, subject, body)
