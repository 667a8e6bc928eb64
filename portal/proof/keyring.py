"""Which key signs our health cards, which keys verify them, and who we are as an issuer.

Plain functions over the settings (no Flask here). The signing key comes from
CARD_SIGNING_KEY; retired public keys from CARD_PREVIOUS_KEYS. Outside the demo
and the tests a missing or broken key stops the portal at start-up with a
message that says what to fix, as a missing SECRET_KEY does: a portal that
cannot sign would print proof that no school can check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cards import KeyDirectory, generate_key, load_private_key, public_jwk, thumbprint
from .cards.codec import b64url_decode
from .cards.reasons import CardKeyError

DEMO_KEY_FILE = "card-signing-key.json"
_RID_LABEL = b"immunization-portal card rid secret v1"


class KeyringError(RuntimeError):
    """The card keys or the issuer URL in the settings cannot be used."""


@dataclass(frozen=True)
class Keyring:
    issuer: str  # the `iss` of our cards: https, no trailing slash
    signing_key: Mapping[str, Any] = field(repr=False)  # private JWK
    previous_keys: tuple[Mapping[str, Any], ...] = ()  # public JWKs of retired keys

    @property
    def kid(self) -> str:
        return thumbprint(self.signing_key)

    @property
    def rid_secret(self) -> bytes:
        """A 256-bit secret for revocation ids, derived from the signing key so that
        there is no second secret to keep; rids are stored, so a new key is harmless."""
        d = b64url_decode(self.signing_key["d"])
        return hmac.new(d, _RID_LABEL, hashlib.sha256).digest()

    def public_keys(self) -> list[dict[str, Any]]:
        keys = [public_jwk(self.signing_key)]
        for key in self.previous_keys:
            if thumbprint(key) not in {k["kid"] for k in keys}:
                keys.append(public_jwk(key))
        return keys

    @property
    def kids(self) -> set[str]:
        return {k["kid"] for k in self.public_keys()}

    def directory(self) -> KeyDirectory:
        """Our keys only: the verifier trusts no other issuer."""
        directory = KeyDirectory()
        directory.add(self.issuer, {"keys": self.public_keys()})
        return directory


def issuer_from_url(url: str | None, *, relaxed: bool) -> str:
    """ISSUER_URL as a card's `iss`. The spec requires https; the demo and the tests
    run on plain http, so there the https form of the same address is used (the
    portal's own verifier needs no download, and no outside verifier can reach a
    demo anyway)."""
    base = (url or "").strip().rstrip("/")
    if base.startswith("https://") and len(base) > len("https://"):
        return base
    if relaxed and base.startswith("http://") and len(base) > len("http://"):
        return "https://" + base.removeprefix("http://")
    raise KeyringError(
        "PORTAL_ISSUER_URL must be the portal's public https address (for example "
        "https://myshots.example.gov); health cards name it as their issuer."
    )


def _text_or_file(value: Any, setting: str) -> str:
    if isinstance(value, Mapping):
        return json.dumps(dict(value))
    text = str(value).strip()
    if text.startswith(("{", "[")):
        return text
    try:
        return Path(text).read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyringError(
            f"PORTAL_{setting} is neither JSON nor a readable file ({exc.strerror})."
        ) from exc


def _load_signing_key(value: Any) -> dict[str, str]:
    try:
        return load_private_key(_text_or_file(value, "CARD_SIGNING_KEY"))
    except CardKeyError as exc:
        raise KeyringError(
            f"PORTAL_CARD_SIGNING_KEY is not a usable private ES256 (P-256) JWK: {exc}"
        ) from exc


def _load_previous_keys(value: Any) -> tuple[dict[str, Any], ...]:
    if not value:
        return ()
    try:
        doc = json.loads(_text_or_file(value, "CARD_PREVIOUS_KEYS"))
    except ValueError as exc:
        raise KeyringError("PORTAL_CARD_PREVIOUS_KEYS is not JSON.") from exc
    keys = doc.get("keys") if isinstance(doc, dict) else None
    if not isinstance(keys, list):
        raise KeyringError('PORTAL_CARD_PREVIOUS_KEYS must be a JWK set: {"keys": [...]}.')
    loaded = []
    for key in keys:
        if not isinstance(key, dict) or "d" in key:
            # The spec: retired private keys SHALL be destroyed; only the public part stays.
            raise KeyringError("PORTAL_CARD_PREVIOUS_KEYS must hold public keys only.")
        try:
            public = public_jwk(key)
        except CardKeyError as exc:
            raise KeyringError(f"PORTAL_CARD_PREVIOUS_KEYS holds an unusable key: {exc}") from exc
        if "kid" in key and key["kid"] != public["kid"]:
            raise KeyringError("PORTAL_CARD_PREVIOUS_KEYS: a kid is not its key's thumbprint.")
        loaded.append(public)
    return tuple(loaded)


def demo_signing_key(instance_path: str) -> dict[str, str]:
    """The demo's key: made once in the instance folder (owner-only), then reused."""
    path = Path(instance_path) / DEMO_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_signing_key(str(path))
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        key = generate_key()
        json.dump(key, out)
    return key


def load_keyring(settings: Mapping[str, Any], instance_path: str) -> Keyring:
    """The keyring the settings describe; raises KeyringError saying what to fix."""
    demo, testing = bool(settings.get("DEMO")), bool(settings.get("TESTING"))
    issuer = issuer_from_url(settings.get("ISSUER_URL"), relaxed=demo or testing)
    configured = settings.get("CARD_SIGNING_KEY")
    if configured:
        key = _load_signing_key(configured)
    elif demo:
        key = demo_signing_key(instance_path)
    elif testing:
        key = generate_key()  # never written anywhere: a test that needs a stable key passes one
    else:
        raise KeyringError(
            "PORTAL_CARD_SIGNING_KEY is not set; the portal cannot sign printed proof without it. "
            "Set it to a private ES256 JWK (JSON) or to the path of a file holding one."
        )
    previous = _load_previous_keys(settings.get("CARD_PREVIOUS_KEYS"))
    return Keyring(issuer=issuer, signing_key=key, previous_keys=previous)
