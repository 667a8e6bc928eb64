"""The access-log wording and cursor rules, as plain functions (no request, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.records.access_log import (
    AccessRow,
    Cursor,
    csv_safe,
    kind_words,
    what_words,
    when_words,
    who,
)
from portal.registry import AccessAction, AccessChannel, AccessOutcome, OrgKind

REFUSED = "Asked for the record and was refused"
AT = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)  # 10:30 in California


def same(text: str) -> str:
    return text


def row(**kw) -> AccessRow:  # type: ignore[no-untyped-def]
    values = dict(
        id=1, occurred_at=AT, action=AccessAction.QUERY, outcome=AccessOutcome.ALLOWED,
        channel=AccessChannel.HL7, reason=None, org_name="Sunrise Pediatrics",
        org_kind=OrgKind.PROVIDER,
    )  # fmt: skip
    values.update(kw)
    return AccessRow(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (OrgKind.PROVIDER, "clinic or doctor's office"),
        (OrgKind.PHARMACY, "pharmacy"),
        (OrgKind.SCHOOL, "school"),
        (OrgKind.CHILD_CARE, "child care"),
        (OrgKind.WIC, "WIC nutrition office"),
        (OrgKind.HEALTH_DEPARTMENT, "health department"),
    ],
)
def test_each_kind_of_organization_in_plain_words(kind: OrgKind, words: str) -> None:
    assert kind_words(row(org_kind=kind), same) == words


def test_every_kind_has_words() -> None:
    assert all(kind_words(row(org_kind=kind), same) for kind in OrgKind)


def test_the_help_desk_is_named_as_itself_never_as_a_person() -> None:
    staff = row(
        channel=AccessChannel.PORTAL, org_name=None, org_kind=None, action=AccessAction.VIEW
    )
    assert who(staff, same) == "The registry's help desk"
    assert kind_words(staff, same) == "registry help desk"
    assert what_words(staff, same) == "Viewed the record"
    document = row(channel=AccessChannel.PORTAL, org_name=None, org_kind=None,
                   action=AccessAction.VIEW, reason="verification document")  # fmt: skip
    assert what_words(document, same) == "Viewed the record while checking a document sent to it"


def test_an_event_without_an_organization_outside_the_portal_says_so() -> None:
    assert who(row(org_name=None, org_kind=None), same) == "An organization (not recorded)"
    assert kind_words(row(org_name=None, org_kind=None), same) == ""


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (AccessAction.VIEW, "Viewed the record"),
        (AccessAction.QUERY, "Asked for the record and received it"),
        (AccessAction.MATCH, "Searched for a person and saw this record's name and birth date "
                             "among the matches"),
        (AccessAction.SUBMIT, "Sent shots to the record"),
        (AccessAction.UPDATE, "Updated the record"),
        (AccessAction.PRINT, "Printed the record"),
        (AccessAction.VERIFY, "Checked a printout of the record"),
    ],
)
def test_each_action_in_plain_words(action: AccessAction, words: str) -> None:
    assert what_words(row(action=action), same) == words


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("not shared", f"{REFUSED}, because the record is locked (not shared)"),
        ("not disclosed", f"{REFUSED}, because the record's disclosure is not done yet"),
        ("organization inactive",
         f"{REFUSED}, because the organization's access to the registry is suspended"),
        ("too many matches",
         f"{REFUSED}, because the search matched too many people, so no record was sent"),
        ("no new entries", f"{REFUSED}, because the record is closed to new entries"),
        (None, REFUSED),
        ("internal code 17", REFUSED),
    ],
)  # fmt: skip
def test_a_refusal_says_why_in_plain_words(reason: str | None, words: str) -> None:
    refused = row(outcome=AccessOutcome.DENIED, reason=reason)
    assert what_words(refused, same) == words


def test_every_action_has_words_for_a_refusal_too() -> None:
    for action in AccessAction:
        text = what_words(row(action=action, outcome=AccessOutcome.DENIED), same)
        assert text.endswith("was refused"), text


def test_the_time_is_in_the_registrys_zone_and_the_readers_language() -> None:
    zone = ZoneInfo("America/Los_Angeles")
    assert when_words(AT, zone, "en") == "Nov 20, 2026, 10:30\u202fAM"
    assert when_words(AT, zone, "es") == "20 nov 2026, 10:30"
    # Just after midnight UTC is still the evening before in California.
    assert when_words(datetime(2026, 11, 21, 2, 0, tzinfo=UTC), zone, "en").startswith("Nov 20")


def test_a_cursor_survives_the_url_and_refuses_anything_else() -> None:
    cursor = Cursor(datetime(2026, 11, 20, 18, 30, 5, 123456, tzinfo=UTC), 42)
    text = cursor.encode()
    assert "2026" not in text and "42" not in text  # opaque: no date in the address
    assert Cursor.decode(text) == cursor
    for bad in (
        "",
        "!!!",
        "bm90LWEtY3Vyc29y",
        "MTIz",
        "LTEuNQ",
        "x" * 65,
        "OTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ",
    ):
        assert Cursor.decode(bad) is None, bad


def test_a_cursor_keeps_every_microsecond() -> None:
    """A float timestamp loses microseconds on some values: a skipped or repeated row."""
    import random

    rng = random.Random(7)
    for _ in range(2000):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.randrange(10**14))
        assert Cursor.decode(Cursor(at, 5).encode()) == Cursor(at, 5)


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 Clinic", "'+1 Clinic"),
        ("-Clinic", "'-Clinic"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Sunrise Pediatrics", "Sunrise Pediatrics"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_become_formulas(name: str, cell: str) -> None:
    assert csv_safe(name) == cell
