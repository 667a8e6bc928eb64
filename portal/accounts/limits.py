"""Rate limits for account pages, by client address and by the account being tried.

Per-address limits slow one machine trying many accounts; per-account limits
slow many machines trying one account. Keys hold an HMAC of the address under
the app's secret, so the limiter's storage (Redis in production) holds no email
addresses, nor hashes that a list of addresses could be matched against.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.forms import first_value

from .rules import normalize_email

LOGIN_PER_ADDRESS = "10/minute;50/hour"
LOGIN_PER_EMAIL = "5/minute;20/hour"
SIGNUP_PER_ADDRESS = "5/minute;20/hour"
SIGNUP_PER_EMAIL = "3/hour"
RESET_PER_ADDRESS = "5/minute;20/hour"
RESET_PER_EMAIL = "3/hour"
RESEND_PER_USER = "3/hour"
ACCOUNT_CHANGE_PER_USER = "5/minute;20/hour"
# A 6-digit code with a window of three: NIST SP 800-63B wants at most 100 failures in a row.
SECOND_FACTOR_PER_USER = "5/minute;20/hour;50/day"


def submitted_email_key() -> str:
    # A key function runs before the view and its form, so it reads the posted field as the
    # form will (portal.forms: form data only, the first value) and normalizes it as the
    # form's filter does: a body the form does not read names no email here either.
    email = normalize_email(first_value("email"))
    secret = (current_app.config["SECRET_KEY"] or "").encode()
    return "email:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]


def user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()
