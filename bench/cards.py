"""Everything the bench knows about the issued-card table, in one place.

`add_cards` bulk-inserts printed cards (and the records they belong to) straight
into the tables the models declare, in batches: the columns, their defaults and
their types' conversions come from the models; the driver's executemany (SQLite)
or COPY (PostgreSQL) writes them. When the proof code changes its schema (a new
column, a table of superseded cards), this module is the one place to follow it;
and if the portal comes to keep state derived from the cards (a stored revocation
list, counters), `add_cards` must bring that up to date as the portal's own
revocation would, or the figures at 400k cards measure a stale document.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.engine import Engine

from portal.proof.models import IssuedCard

try:  # the revocation list as the portal keeps it since 3c/7; an older checkout has none
    from portal.proof.documents import rewrite_crl
    from portal.proof.models import CrlEntry
except ImportError:  # pragma: no cover - only with --code pointing at an older checkout
    CrlEntry = rewrite_crl = None  # type: ignore[assignment,misc]
from portal.registry import Patient, RecordSource

BATCH = 10_000
SQLITE_CACHE_KIB = 256 * 1024
CARDS_PER_RECORD = 2  # on average: the first printout and reprints
REVOKED_SHARE = 0.03  # cards made wrong by a correction or a deletion
# A card's JWS is ~1.2 kB for 30 doses, less for a young child's; the rows get one of a
# typical size so that scans of the table cost what they would (it is never read back).
JWS_FILLER = "eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6ImJlbmNoIn0." + "x" * 750
_START = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Inserted:
    cards: int
    revoked: int
    seconds: float


def _rid(registry_id: str, kid: str) -> str:
    """11 characters like the portal's HMAC rids (not the same values; none needs to be)."""
    digest = hashlib.blake2b(f"{kid}/{registry_id}".encode(), digest_size=8).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _cards_for(index: int) -> int:
    """1, 2 or 3 printouts per record: two on average."""
    return 1 + index % 3


def add_cards(
    engine: Engine, *, cards: int, kid: str, first: int = 0, revoked_share: float = REVOKED_SHARE
) -> Inserted:
    """Insert `cards` cards over about `cards / 2` new records, numbered from `first`.

    Each record's cards have strictly increasing `nbf` (as issuance keeps them);
    `revoked_share` of all cards are revoked, always older cards of a reprinted
    record, so every record's newest card stays current.
    """
    started = time.perf_counter()
    made = revoked = 0
    with _bulk_connection(engine) as conn:
        for people, rows in _batches(cards, first, kid, revoked_share):
            with conn.begin():  # a transaction per batch keeps SQLite's WAL small
                ids = _insert_people(conn, Patient.__table__, people)
                for row in rows:
                    row["patient_id"] = ids[row.pop("_index")]
                _executemany(conn, IssuedCard.__table__, rows)
                if CrlEntry is not None and (entries := _crl_entries(rows)):
                    _executemany(conn, CrlEntry.__table__, entries)
            made += len(rows)
            revoked += sum(row["revoked_at"] is not None for row in rows)
    if rewrite_crl is not None:  # the stored list, rebuilt as a correction would
        with sa.orm.Session(engine) as db, db.begin():
            rewrite_crl(db, kid)
    return Inserted(made, revoked, time.perf_counter() - started)


def _crl_entries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per revoked record and key, naming every card before the newest revoked."""
    before: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["revoked_at"] is None:
            continue
        entry = before.setdefault(
            row["rid"],
            {"kid": row["kid"], "rid": row["rid"], "patient_id": row["patient_id"], "before": 0},
        )
        entry["before"] = max(entry["before"], row["nbf"] + 1)
        entry["revoked_at"] = row["revoked_at"]
    return list(before.values())


@contextmanager
def _bulk_connection(engine: Engine) -> Iterator[sa.Connection]:
    """On SQLite, no journal, no fsync and a large page cache while loading (the data is
    throwaway), then WAL again as the portal sets it, for the app's requests."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            yield conn
        return
    engine.dispose()  # the journal mode changes only with no other connection open
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        conn.commit()
        try:
            yield conn
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()  # later connections start with the portal's own settings


def _batches(
    cards: int, first: int, kid: str, revoked_share: float
) -> Iterator[tuple[list[dict[str, object]], list[dict[str, object]]]]:
    now = datetime.now(UTC)
    made, index = 0, first
    owed = 0.0  # revocations due so far, spread evenly over the records
    while made < cards:
        people, rows = [], []
        while made < cards and len(rows) < BATCH:
            registry_id = f"CB{index:09d}"
            n = min(_cards_for(index), cards - made)
            people.append(_person(index, registry_id))
            rid = _rid(registry_id, kid)
            owed += n * revoked_share
            for k in range(n):
                revoke = k < n - 1 and owed >= 1  # only a reprinted record's older cards
                owed -= revoke
                rows.append(_card(index, rid, kid, k, revoke, now))
            made += n
            index += 1
        yield people, rows


def _executemany(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Rows into the model's table: Core's INSERT run by the driver's executemany, or
    COPY on PostgreSQL. What Core does per row (column defaults, each type's conversion)
    is set up once per column here, from the model: the same values, much faster."""
    names = list(rows[0])
    defaults = {
        column.name: column.default
        for column in table.columns
        if column.name not in names and column.default is not None
    }
    fixed = {
        name: default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        for name, default in defaults.items()
        if default.is_callable or default.is_scalar
    }
    columns = names + list(fixed)
    convert = [(n, table.c[n].type.bind_processor(conn.dialect)) for n in columns]

    def converted(row: dict[str, Any]) -> dict[str, Any]:
        values = {**row, **fixed}
        return {n: (f(values[n]) if f else values[n]) for n, f in convert}

    if conn.dialect.name == "postgresql":
        _copy(conn, table, columns, (converted(row) for row in rows))
        return
    compiled = table.insert().values({n: sa.bindparam(n) for n in columns}).compile(conn)
    order = compiled.positiontup
    params = [converted(row) for row in rows]
    if order:
        params = [tuple(p[n] for n in order) for p in params]  # type: ignore[misc]
    conn.exec_driver_sql(str(compiled), params)


def _copy(
    conn: sa.Connection, table: sa.Table, columns: list[str], rows: Iterator[dict[str, Any]]
) -> None:
    """PostgreSQL's COPY through psycopg: several times faster than any INSERT."""
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(n) for n in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] for n in columns])


def _person(index: int, registry_id: str) -> dict[str, object]:
    return {
        "registry_id": registry_id,
        "first_name": f"Bench{index}",
        "last_name": "Record",
        "birth_date": date(2010, 1, 1) + timedelta(days=index % 5000),
        "source": RecordSource.PROVIDER_REPORT,
        "disclosed": True,
        "shared": True,
    }


def _insert_people(
    conn: sa.Connection, table: sa.Table, people: list[dict[str, object]]
) -> dict[int, int]:
    _executemany(conn, table, people)
    ids = conn.execute(
        sa.select(table.c.registry_id, table.c.id).where(
            table.c.registry_id.between(people[0]["registry_id"], people[-1]["registry_id"])
        )
    ).all()
    return {int(registry_id[2:]): id_ for registry_id, id_ in ids}


def _card(index: int, rid: str, kid: str, k: int, revoke: bool, now: datetime) -> dict[str, object]:
    nbf = _START + index * 7 + k * 86_400 * 30
    return {
        "_index": index,
        "kid": kid,
        "rid": rid,
        "nbf": nbf,
        "issued_at": datetime.fromtimestamp(nbf, UTC),
        # Unique like a hash, but rising, so the unique index is appended to, not scattered.
        "short_code_hash": f"{index:012x}{k:04x}" + "0" * 48,
        "jws": JWS_FILLER,
        "revoked_at": now if revoke else None,
        "issued_by_user_id": None,
    }


def count_cards(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(IssuedCard.__table__)) or 0


def newest_card_text(engine: Engine, patient_id: int) -> str:
    """The `shc:/` text of the record's newest card, as its QR code holds it."""
    issued = IssuedCard.__table__
    with engine.connect() as conn:
        jws = conn.scalar(
            sa.select(issued.c.jws)
            .where(issued.c.patient_id == patient_id)
            .order_by(issued.c.nbf.desc())
            .limit(1)
        )
    if jws is None:
        raise LookupError("the record has no card yet")
    # SMART Health Cards' numeric mode: each character as two digits, its code minus 45.
    return "shc:/" + "".join(f"{ord(c) - 45:02d}" for c in jws)
