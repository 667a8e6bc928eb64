"""The issuer's public documents as served: each key's CRL, stored; the JWKS, composed.

A key's CRL is rewritten in the transaction of the revocation that changes it, under
that document's row lock (an upsert that raises `ctr`), so serving it is one
primary-key read whatever the number of cards. The JWKS is the keyring's public
keys (in memory, plus the rotated keys' rows) with each key's crlVersion, read from
the CRL rows' `version` column only: two indexed reads of a handful of rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .cards import crl_document
from .models import CrlEntry, IssuerDocument
from .points import upsert


@dataclass(frozen=True)
class Served:
    body: bytes
    etag: str


def encode(document: dict[str, Any]) -> Served:
    body = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    return Served(body=body, etag=hashlib.sha256(body).hexdigest()[:32])


def crl_name(kid: str) -> str:
    return f"crl/{kid}"


def rewrite_crl(db: Session, kid: str) -> int:
    """Rebuild key `kid`'s CRL from its entries and store it with the next `ctr`."""
    table = IssuerDocument.__table__
    insert = upsert(db, table).values(name=crl_name(kid), body="", etag="", version=1)
    ctr = db.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.name], set_={"version": table.c.version + 1}
        ).returning(table.c.version)
    ).scalar_one()
    entries = db.execute(
        sa.select(CrlEntry.rid, CrlEntry.before).where(CrlEntry.kid == kid).order_by(CrlEntry.rid)
    ).all()
    served = encode(crl_document(kid, ctr, [(rid, before) for rid, before in entries]))
    db.execute(
        sa.update(IssuerDocument)
        .where(IssuerDocument.name == crl_name(kid))
        .values(body=served.body.decode(), etag=served.etag)
    )
    return int(ctr)


# Each CRL's body as last read, by its ETag (a hash of the body, so equal ETags are equal
# bodies whatever database or app read them): a request reads the small ETag column and
# takes the body from memory unless it changed. At 400,000 cards a key's list is ~300 kB,
# which PostgreSQL took ~3 ms to send on each request; the ETag read costs the same at any size.
_bodies: dict[str, bytes] = {}
_KEEP = 64  # distinct bodies kept; more means keys rotated many times in one process


def stored_crl(db: Session, kid: str) -> Served | None:
    name = crl_name(kid)
    etag = db.execute(
        sa.select(IssuerDocument.etag).where(IssuerDocument.name == name)
    ).scalar_one_or_none()
    if etag is None:
        return None
    body = _bodies.get(etag)
    if body is None:
        text = db.execute(
            sa.select(IssuerDocument.body).where(
                IssuerDocument.name == name, IssuerDocument.etag == etag
            )
        ).scalar_one_or_none()
        if text is None:  # rewritten between the two reads: serve the newer one as read
            row = db.execute(
                sa.select(IssuerDocument.body, IssuerDocument.etag).where(
                    IssuerDocument.name == name
                )
            ).one()
            return Served(body=row.body.encode(), etag=row.etag)
        body = text.encode()
        if etag:  # "" only inside the transaction that is writing the first list
            if len(_bodies) >= _KEEP:
                _bodies.clear()
            _bodies[etag] = body
    return Served(body=body, etag=etag)


def crl_versions(db: Session, kids: Iterable[str]) -> dict[str, int]:
    """Each key's crlVersion (its CRL's `ctr`); keys with nothing revoked have none."""
    names = {crl_name(kid): kid for kid in kids}
    rows = db.execute(
        sa.select(IssuerDocument.name, IssuerDocument.version).where(
            IssuerDocument.name.in_(names)
        )
    ).all()
    return {names[name]: version for name, version in rows}
