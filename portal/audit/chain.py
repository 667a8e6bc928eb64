"""The hash chain as plain functions: an entry's canonical bytes, its hash, and the walk.

Each entry's hash is SHA-256 over a canonical JSON of its fields and the hash of the entry
before it, so changing any field of an entry, or removing one, breaks the chain there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .models import GENESIS_HASH

HASHED_FIELDS = (
    "id", "at", "actor_id", "actor_email", "action", "patient_id", "request_id",
    "subject_type", "subject_id", "before", "after", "prev_hash",
)  # fmt: skip


def _at(value: datetime) -> str:
    # Microseconds, UTC, one spelling: what SQLite and PostgreSQL both give back.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8, the time spelled one way."""
    data = {name: fields[name] for name in HASHED_FIELDS}
    data["at"] = _at(data["at"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def fields_of(entry: Any) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problem: str | None = None  # names the first entry changed or removed
    entry_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def walk(entries: Iterable[Any], *, head_last_id: int, head_last_hash: str) -> ChainReport:
    """Check entries in id order against each other and against the chain head."""
    expected_id, prev_hash, count = 1, GENESIS_HASH, 0
    for entry in entries:
        if entry.id != expected_id:
            return ChainReport(count, f"entry {expected_id} was removed", expected_id)
        if entry.hash != entry_hash(fields_of(entry)):
            return ChainReport(count, f"entry {entry.id} was changed", entry.id)
        if entry.prev_hash != prev_hash:
            # Its own hash agrees with its fields: the one before it was rewritten whole.
            return ChainReport(count, f"entry {entry.id - 1} was changed", entry.id - 1)
        expected_id, prev_hash, count = entry.id + 1, entry.hash, count + 1
    if head_last_id >= expected_id:
        return ChainReport(count, f"entry {expected_id} was removed", expected_id)
    if head_last_id == count and head_last_hash != prev_hash:
        return ChainReport(count, f"entry {count} was changed", count)
    return ChainReport(count)
