"""Secrets the portal must read back, sealed at rest (no Flask here).

The staff authenticator secret cannot be hashed like a password: checking a
code needs the secret itself. It is sealed with AES-256-GCM under a key that
HKDF derives from SECRET_KEY, so a copy of the database (a backup, a leaked
dump) is not enough to make codes. Changing SECRET_KEY therefore means staff
enrol their authenticator again.

A value stored before sealing existed (plain base32) still opens, and the
services seal it at its next use.
"""

from __future__ import annotations

import base64
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "v1:"  # the scheme, so that a later one can be told apart
_NONCE_BYTES = 12
_PLAIN_BASE32 = re.compile(r"^[A-Z2-7]+=*$")


class SealError(RuntimeError):
    """A stored secret that cannot be opened: damaged, or sealed under another SECRET_KEY."""


class SecretBox:
    def __init__(self, app_secret: str | None, purpose: str = "portal.accounts.totp-secret"):
        if not app_secret:
            raise SealError("SECRET_KEY is not set: secrets cannot be sealed or opened.")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
            app_secret.encode()
        )
        self._aead = AESGCM(key)
        self._purpose = purpose.encode()

    @staticmethod
    def is_sealed(stored: str) -> bool:
        return stored.startswith(PREFIX)

    def seal(self, plain: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, plain.encode(), self._purpose)
        return PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, stored: str) -> str:
        if not self.is_sealed(stored):
            if _PLAIN_BASE32.match(stored):
                return stored
            raise SealError("The stored secret is neither sealed nor a base32 secret.")
        body = stored[len(PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            return self._aead.decrypt(nonce, sealed, self._purpose).decode()
        except (InvalidTag, ValueError) as exc:
            raise SealError(
                "A stored secret does not open: it is damaged, or SECRET_KEY has changed "
                "since it was sealed (staff then enrol their authenticator again)."
            ) from exc
