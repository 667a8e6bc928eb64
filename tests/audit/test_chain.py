"""The chain as plain functions: canonical bytes, hashes, and the walk's verdicts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.audit import chain
from portal.audit.models import GENESIS_HASH

T0 = datetime(2026, 12, 1, 23, 0, 0, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime
    actor_id: int | None
    actor_email: str | None
    action: str
    patient_id: int | None
    request_id: int | None
    subject_type: str | None
    subject_id: int | None
    before: Any
    after: Any
    prev_hash: str
    hash: str = ""


def _chain(n: int) -> list[Row]:
    rows, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        row = Row(i, T0 + timedelta(seconds=i), 7, "a@example.org", "record.viewed", 3, None,
                  None, None, None, {"n": i}, prev)  # fmt: skip
        row = replace(row, hash=chain.entry_hash(chain.fields_of(row)))
        rows.append(row)
        prev = row.hash
    return rows


def _walk(rows: list[Row], last_id: int | None = None, last_hash: str | None = None):  # type: ignore[no-untyped-def]
    full = _chain(5)
    return chain.walk(
        rows,
        head_last_id=full[-1].id if last_id is None else last_id,
        head_last_hash=full[-1].hash if last_hash is None else last_hash,
    )


def test_canonical_bytes_do_not_depend_on_key_order_or_time_zone() -> None:
    row = chain.fields_of(_chain(1)[0])
    shuffled = dict(reversed(list(row.items())))
    shuffled["at"] = T0.astimezone(UTC).astimezone() + timedelta(seconds=1)
    shuffled["after"] = {"n": 1}
    assert chain.canonical(row) == chain.canonical(shuffled)
    assert b'"at":"2026-12-01T23:00:01.123456Z"' in chain.canonical(row)


def test_every_field_changes_the_hash() -> None:
    row = chain.fields_of(_chain(1)[0])
    base = chain.entry_hash(row)
    for name, other in [("id", 2), ("at", T0), ("actor_id", 8), ("actor_email", "b@x.org"),
                        ("action", "x"), ("patient_id", 4), ("request_id", 1),
                        ("subject_type", "users"), ("subject_id", 1), ("before", {"n": 0}),
                        ("after", {"n": 2}), ("prev_hash", "1" * 64)]:  # fmt: skip
        assert chain.entry_hash({**row, name: other}) != base, name


def test_an_intact_chain_and_an_empty_one() -> None:
    assert _walk(_chain(5)) == chain.ChainReport(5)
    assert chain.walk([], head_last_id=0, head_last_hash=GENESIS_HASH).intact


def test_a_changed_field_names_its_entry() -> None:
    rows = _chain(5)
    rows[2] = replace(rows[2], after={"n": 99})
    report = _walk(rows)
    assert not report.intact and report.problem == "entry 3 was changed"


def test_an_entry_rewritten_with_a_new_hash_is_named_by_the_next_one() -> None:
    rows = _chain(5)
    forged = replace(rows[1], actor_email="someone@else.org")
    rows[1] = replace(forged, hash=chain.entry_hash(chain.fields_of(forged)))
    assert _walk(rows).problem == "entry 2 was changed"


def test_a_removed_entry_is_named_in_the_middle_and_at_the_end() -> None:
    rows = _chain(5)
    assert _walk(rows[:2] + rows[3:]).problem == "entry 3 was removed"
    assert _walk(rows[1:]).problem == "entry 1 was removed"
    assert _walk(rows[:4]).problem == "entry 5 was removed"


def test_a_rewritten_last_entry_disagrees_with_the_head() -> None:
    rows = _chain(5)
    forged = replace(rows[4], after={"n": 0})
    rows[4] = replace(forged, hash=chain.entry_hash(chain.fields_of(forged)))
    assert _walk(rows).problem == "entry 5 was changed"
