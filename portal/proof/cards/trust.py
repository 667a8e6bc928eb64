"""A verifier's in-memory directory of trusted issuers and their public JWK sets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .keys import CardKeyError, signing_keys, thumbprint


@dataclass
class KeyDirectory:
    """Maps issuer URL (`iss`) to that issuer's JWKS.

    Its bound methods fit `verify_card(keys_for_issuer=..., issuer_for_kid=...)`; the
    reverse lookup is what lets the verifier tell a key of *another* known issuer
    (ISSUER_KID_MISMATCH) from a key nobody knows."""

    issuers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, issuer: str, jwks: Mapping[str, Any]) -> None:
        self.issuers[issuer] = dict(jwks)

    def keys_for_issuer(self, issuer: str) -> dict[str, Any] | None:
        return self.issuers.get(issuer)

    def issuer_for_kid(self, kid: str) -> str | None:
        for issuer, jwks in self.issuers.items():
            for key in signing_keys(jwks):
                try:
                    if thumbprint(key) == kid:
                        return issuer
                except CardKeyError:
                    continue
        return None
