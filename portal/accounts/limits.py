"""Rate limits for account pages, by client address and by the account being tried.

Per-address limits slow one machine trying many accounts; per-account limits
slow many machines trying one account. Keys hold a hash of the address, so the
limiter's storage (Redis in production) holds no email addresses.
"""

from __future__ import annotations

import hashlib

from flask import request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .rules import normalize_email

LOGIN_PER_ADDRESS = "10/minute;50/hour"
LOGIN_PER_EMAIL = "5/minute;20/hour"
SIGNUP_PER_ADDRESS = "5/minute;20/hour"
SIGNUP_PER_EMAIL = "3/hour"
RESET_PER_ADDRESS = "5/minute;20/hour"
RESET_PER_EMAIL = "3/hour"
RESEND_PER_USER = "3/hour"
ACCOUNT_CHANGE_PER_USER = "5/minute;20/hour"
SECOND_FACTOR_PER_USER = "5/minute"


def submitted_email_key() -> str:
    # A key function runs before the view and its form, so it reads the raw field.
    email = normalize_email(request.form.get("email"))
    return "email:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()
