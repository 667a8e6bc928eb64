"""What an approved request does to the registry, registered by the feature that knows how.

Requests does not import linking or the registry's sharing code; each of them registers
its effect here (linking: an approved verification links the parent), so the two
packages do not import each other. The effect runs in the approving transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import User

from .models import Request, RequestKind

Effect = Callable[[Session, Request, User, datetime, Mapping[str, Any]], None]

_ON_APPROVE: dict[RequestKind, Effect] = {}


def on_approve(kind: RequestKind) -> Callable[[Effect], Effect]:
    """Register what approving a request of `kind` does (one effect per kind)."""

    def register(effect: Effect) -> Effect:
        if _ON_APPROVE.get(kind, effect) is not effect:
            raise RuntimeError(f"an approval effect for {kind.value} is already registered")
        _ON_APPROVE[kind] = effect
        return effect

    return register


def run_approval(
    db: Session, request: Request, actor: User, now: datetime, data: Mapping[str, Any]
) -> None:
    """Run the effect of approving `request`; a kind without one cannot be approved."""
    effect = _ON_APPROVE.get(request.kind)
    if effect is None:
        raise LookupError(f"approving a {request.kind.value} request does nothing yet")
    effect(db, request, actor, now, data)
