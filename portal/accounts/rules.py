"""Small account rules as plain functions (no Flask here)."""

from __future__ import annotations

from collections.abc import Container

from .models import Role, User

# Where each kind of account starts after signing in, best first. Features that
# are not installed yet are skipped, so the list can name pages built later.
LANDINGS: dict[Role, tuple[str, ...]] = {
    Role.PARENT: ("linking.dashboard", "core.home"),
    Role.AGENT: ("requests.queue", "core.home"),
    Role.SUPERVISOR: ("requests.queue", "core.home"),
    Role.SCHOOL_VERIFIER: ("proof.verify", "core.home"),
}
FALLBACK_LANDING = "core.home"


def normalize_email(raw: str | None) -> str:
    """Addresses are compared and stored trimmed and lower-case."""
    return (raw or "").strip().lower()


def landing_endpoint(role: Role, available: Container[str]) -> str:
    for endpoint in LANDINGS.get(role, ()):
        if endpoint in available:
            return endpoint
    return FALLBACK_LANDING


def needs_confirmation(user: User) -> bool:
    """Parents prove their address before anything else; staff accounts are made confirmed."""
    return user.role == Role.PARENT and user.email_confirmed_at is None
