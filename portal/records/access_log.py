"""Who looked at a record, for the family: the query (keyset paged) and the wording rules.

Policy rule 5 gives the family the right to find out which offices and agencies
looked at the record. No Flask here: the words come from a `gettext` passed in
(the template's `_`, or `Words.gettext`), the time zone and locale are arguments.
Help-desk staff appear only as "the registry's help desk", never by name, and
nothing the family itself does is listed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import sqlalchemy as sa
from babel.dates import format_date, format_time, get_timezone_name
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome
from portal.registry.organizations import Organization, OrgKind

# The reasons written on a refusal (registry.sharing), worded for the family below.
from portal.registry.sharing import (
    REASON_NO_NEW_ENTRIES,
    REASON_NOT_DISCLOSED,
    REASON_NOT_SHARED,
    REASON_ORGANIZATION_INACTIVE,
    REASON_TOO_MANY,
)

Gettext = Callable[[str], str]
PAGE_SIZE = 50


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class AccessRow:
    """One access event as the family may know it: no staff member's name or account."""

    id: int
    occurred_at: datetime
    action: AccessAction
    outcome: AccessOutcome
    channel: AccessChannel
    reason: str | None
    org_name: str | None
    org_kind: OrgKind | None

    @property
    def by_help_desk(self) -> bool:
        return self.channel is AccessChannel.PORTAL and self.org_name is None


@dataclass(frozen=True)
class Cursor:
    """A position in the list: the (occurred_at, id) of the row the next page starts after."""

    occurred_at: datetime
    id: int

    def encode(self) -> str:
        """Opaque in the URL: no date a reader could take for a clinic visit."""
        # Whole microseconds, never a float: a cursor a microsecond off skips or repeats rows.
        micros = (self.occurred_at - _EPOCH) // _MICROSECOND
        raw = f"{micros}.{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor, or None for anything that is not one we made."""
        if not text or len(text) > 64:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
            micros, ident = raw.split(".")
            if not (micros.isdigit() and ident.isdigit()):
                return None
            when = _EPOCH + int(micros) * _MICROSECOND
        except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError):
            return None
        return cls(when, int(ident))

    @classmethod
    def of(cls, row: AccessRow) -> Cursor:
        return cls(row.occurred_at, row.id)


@dataclass(frozen=True)
class AccessPage:
    rows: list[AccessRow]  # newest first
    older: Cursor | None  # the next page down, if there is one
    newer: Cursor | None  # the page above, if this is not the first


def _query(patient_id: int) -> sa.Select[tuple[object, ...]]:
    return (
        sa.select(
            AccessEvent.id,
            AccessEvent.occurred_at,
            AccessEvent.action,
            AccessEvent.outcome,
            AccessEvent.channel,
            AccessEvent.reason,
            Organization.name,
            Organization.kind,
        )
        .outerjoin(Organization, AccessEvent.organization_id == Organization.id)
        .outerjoin(User, AccessEvent.user_id == User.id)
        .where(
            AccessEvent.patient_id == patient_id,
            # A family's own use of its record is not an access event; should one ever be
            # written, it is still not listed as if someone else had looked.
            sa.or_(AccessEvent.user_id.is_(None), User.role != Role.PARENT),
        )
    )


def _rows(db: Session, query: sa.Select[tuple[object, ...]]) -> list[AccessRow]:
    return [AccessRow(*row) for row in db.execute(query)]  # type: ignore[arg-type]


def _key(cursor: Cursor) -> sa.Tuple:
    """The cursor as a row value, bound with the columns' types (UTC on every backend)."""
    return sa.tuple_(
        sa.bindparam(None, cursor.occurred_at, type_=AccessEvent.occurred_at.type),
        sa.bindparam(None, cursor.id, type_=AccessEvent.id.type),
    )


# A row-value comparison, not "a < t OR (a = t AND id < i)": PostgreSQL starts the index
# scan at the cursor instead of filtering every row of the pages before it.
def _older_than(cursor: Cursor) -> sa.ColumnElement[bool]:
    return sa.tuple_(AccessEvent.occurred_at, AccessEvent.id) < _key(cursor)


def _newer_than(cursor: Cursor) -> sa.ColumnElement[bool]:
    return sa.tuple_(AccessEvent.occurred_at, AccessEvent.id) > _key(cursor)


def access_page(
    db: Session,
    patient_id: int,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> AccessPage:
    """One page, newest first: the rows older than `after`, or newer than `before`.

    One query whatever the page holds (size + 1 rows, to know whether more follow),
    on the index (patient_id, occurred_at, id).
    """
    newest_first = (AccessEvent.occurred_at.desc(), AccessEvent.id.desc())
    if before is not None:
        query = _query(patient_id).where(_newer_than(before))
        rows = _rows(db, query.order_by(AccessEvent.occurred_at, AccessEvent.id).limit(size + 1))
        more = len(rows) > size
        rows = list(reversed(rows[:size]))
        newer = Cursor.of(rows[0]) if more else None
        older = Cursor.of(rows[-1]) if rows else before
        return AccessPage(rows, older=older, newer=newer)
    query = _query(patient_id)
    if after is not None:
        query = query.where(_older_than(after))
    rows = _rows(db, query.order_by(*newest_first).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    older = Cursor.of(rows[-1]) if more else None
    newer = None if after is None else (Cursor.of(rows[0]) if rows else after)
    return AccessPage(rows, older=older, newer=newer)


def all_rows(db: Session, patient_id: int) -> list[AccessRow]:
    """Every row, newest first, for the CSV download."""
    query = _query(patient_id).order_by(AccessEvent.occurred_at.desc(), AccessEvent.id.desc())
    return _rows(db, query)


# --- Wording: plain words for the family, in the reader's language ---------------------


def who(row: AccessRow, _: Gettext) -> str:
    """The organization's name; the help desk as itself, never a staff member's name."""
    if row.by_help_desk:
        return _("The registry's help desk")
    return row.org_name or _("An organization (not recorded)")


def kind_words(row: AccessRow, _: Gettext) -> str:
    """What sort of organization it is, in plain words."""
    if row.by_help_desk:
        return _("registry help desk")
    words = {
        OrgKind.PROVIDER: _("clinic or doctor's office"),
        OrgKind.PHARMACY: _("pharmacy"),
        OrgKind.SCHOOL: _("school"),
        OrgKind.CHILD_CARE: _("child care"),
        OrgKind.WIC: _("WIC nutrition office"),
        OrgKind.HEALTH_DEPARTMENT: _("health department"),
    }
    return words.get(row.org_kind, "") if row.org_kind else ""


def what_words(row: AccessRow, _: Gettext) -> str:
    """What it did, and for a refusal why it was refused."""
    if row.outcome is AccessOutcome.DENIED:
        refused = {
            AccessAction.VIEW: _("Tried to view the record and was refused"),
            AccessAction.QUERY: _("Asked for the record and was refused"),
            AccessAction.MATCH: _("Searched for a person, found this record and was refused"),
            AccessAction.SUBMIT: _("Tried to send shots to the record and was refused"),
            AccessAction.UPDATE: _("Tried to update the record and was refused"),
            AccessAction.PRINT: _("Tried to print the record and was refused"),
            AccessAction.VERIFY: _("Tried to check a printout of the record and was refused"),
        }[row.action]
        why = _reason_words(row.reason, _)
        return _("%(what)s, because %(why)s") % {"what": refused, "why": why} if why else refused
    if row.action is AccessAction.VIEW and row.by_help_desk and row.reason:
        return _("Viewed the record while checking a document sent to it")
    return {
        AccessAction.VIEW: _("Viewed the record"),
        AccessAction.QUERY: _("Asked for the record and received it"),
        AccessAction.MATCH: _(
            "Searched for a person and saw this record's name and birth date among the matches"
        ),
        AccessAction.SUBMIT: _("Sent shots to the record"),
        AccessAction.UPDATE: _("Updated the record"),
        AccessAction.PRINT: _("Printed the record"),
        AccessAction.VERIFY: _("Checked a printout of the record"),
    }[row.action]


def _reason_words(reason: str | None, _: Gettext) -> str:
    if reason == REASON_NOT_SHARED:
        return _("the record is locked (not shared)")
    if reason == REASON_NOT_DISCLOSED:
        return _("the record's disclosure is not done yet")
    if reason == REASON_ORGANIZATION_INACTIVE:
        return _("the organization's access to the registry is suspended")
    if reason == REASON_TOO_MANY:
        return _("the search matched too many people, so no record was sent")
    if reason == REASON_NO_NEW_ENTRIES:
        return _("the record is closed to new entries")
    return ""  # a reason we have no plain words for is not shown as code


def when_words(moment: datetime, zone: tzinfo, locale: str) -> str:
    """Date and time in the registry's time zone: 'Nov 20, 2026, 10:30 AM'."""
    local = moment.astimezone(zone)
    day = format_date(local, "medium", locale=locale)
    return f"{day}, {format_time(local, 'short', locale=locale)}"


def zone_words(zone: tzinfo, locale: str) -> str:
    """The time zone the times are in, by its everyday name ('Pacific Time')."""
    return get_timezone_name(zone, "long", zone_variant="generic", locale=locale)


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: an organization's name never runs as a formula."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
