"""The family's "Who looked at the record" page and its CSV, through the client."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.registry import AccessAction, AccessChannel, AccessEvent, AccessOutcome, OrgKind

T0 = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def child(make):  # type: ignore[no-untyped-def]
    return make.patient(first_name="Lucía", last_name="Ñuñez", registry_id="CA00001234")


def event(db, patient, at, org=None, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("action", AccessAction.QUERY)
    kw.setdefault("channel", AccessChannel.HL7)
    kw.setdefault("outcome", AccessOutcome.ALLOWED)
    row = AccessEvent(patient=patient, occurred_at=at, organization=org, **kw)
    db.add(row)
    db.commit()
    return row


def query(patient, at, org) -> AccessEvent:  # type: ignore[no-untyped-def]
    return AccessEvent(
        patient=patient, occurred_at=at, organization=org, action=AccessAction.QUERY,
        channel=AccessChannel.HL7, outcome=AccessOutcome.ALLOWED,
    )  # fmt: skip


def table_rows(page: str) -> list[str]:
    """Each table row's text, tags dropped and entities read."""
    body = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", r)).split())
        for r in body.split("</tr>")[:-1]
    ]


def test_the_record_page_links_to_who_looked(client, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    link = link_for(parent, child)
    page = client.get(f"/records/{link.id}").get_data(as_text=True)
    assert f'href="/records/{link.id}/access"' in page
    assert "Who looked at this record" in page


def test_empty_state_says_what_would_appear(client, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    link = link_for(parent, child)
    response = client.get(f"/records/{link.id}/access")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No organization has looked at this record yet" in page
    assert "a school or child care center checks a printout" in page
    assert "<table" not in page and "access.csv" not in page
    assert "<title>Who looked at the record ·" in page  # no name in the title bar


def test_organizations_and_refusals_in_plain_words(
    client, db, make, parent, link_for, child
) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name="Sunrise Pediatrics", kind=OrgKind.PROVIDER)
    pharmacy = make.org(name="Blossom Trail Pharmacy", kind=OrgKind.PHARMACY)
    county = make.org(name="Fresno County Health", kind=OrgKind.HEALTH_DEPARTMENT)
    event(db, child, T0, clinic, action=AccessAction.SUBMIT)
    event(db, child, T0 + timedelta(days=1), pharmacy, outcome=AccessOutcome.DENIED,
          reason="not shared")  # fmt: skip
    event(db, child, T0 + timedelta(days=2), county)
    link = link_for(parent, child)

    page = client.get(f"/records/{link.id}/access").get_data(as_text=True)
    rows = table_rows(page)

    assert len(rows) == 3
    assert (
        rows[0].startswith("Jun 3, 2026, 10:00")
        and "Fresno County Health (health department)" in rows[0]
    )
    assert "Asked for the record and received it" in rows[0]
    assert "Blossom Trail Pharmacy (pharmacy)" in rows[1]
    assert (
        "Asked for the record and was refused, because the record is locked (not shared)"
        in rows[1]
    )
    assert (
        "Sunrise Pediatrics (clinic or doctor's office)" in rows[2]
        and "Sent shots to the record" in rows[2]
    )
    assert "Pacific Time" in page


def test_a_staff_view_and_a_school_check_appear_with_the_right_words(
    app, client, db, make, login, parent, link_for, child
) -> None:  # type: ignore[no-untyped-def]
    from portal.proof.current import proof_for_printout

    make.dose(child)  # a record without shots has no printout to check
    link = link_for(parent, child)
    agent = make.user(role=Role.AGENT, full_name="Alex Agent", email="alex.agent@example.com")
    staff_client = app.test_client()
    login(staff_client, agent)
    assert staff_client.get(f"/staff/patients/{child.id}").status_code == 200
    school = make.org(kind=OrgKind.SCHOOL, name="Roosevelt Elementary")
    verifier = make.user(role=Role.SCHOOL_VERIFIER, organization=school)
    school_client = app.test_client()
    login(school_client, verifier)
    with app.test_request_context():
        card = proof_for_printout(db, child, parent.id)
    db.commit()
    checked = school_client.post("/verify", data={"code": card.short_code, "check_code": "Check"})
    assert "listed in the record's access log" in checked.get_data(as_text=True)

    page = client.get(f"/records/{link.id}/access").get_data(as_text=True)
    rows = table_rows(page)

    assert len(rows) == 2
    assert (
        "Roosevelt Elementary (school)" in rows[0] and "Checked a printout of the record" in rows[0]
    )
    assert (
        "The registry's help desk Viewed the record" in rows[1] and "Viewed the record" in rows[1]
    )
    assert "Alex" not in page and "alex.agent" not in page


def test_nothing_the_family_does_appears(client, db, make, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    make.dose(child)
    link = link_for(parent, child)
    assert client.get(f"/records/{link.id}").status_code == 200
    assert (
        client.post(f"/records/{link.id}/shot-record.pdf", data={"lang": "en"}).status_code == 200
    )
    assert client.get(f"/records/{link.id}/access.csv").status_code == 200
    # Should a family's own use ever be written as an event, it is still not listed.
    event(db, child, T0, None, action=AccessAction.VIEW, channel=AccessChannel.PORTAL,
          user_id=parent.id)  # fmt: skip

    page = client.get(f"/records/{link.id}/access").get_data(as_text=True)

    assert "No organization has looked at this record yet" in page
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(AccessEvent)) == 1


def test_another_familys_link_answers_404(client, db, make, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    other = make.patient()
    event(db, other, T0, make.org(name="Secret Clinic"))
    theirs = link_for(make.user(), other)
    ended = link_for(parent, other, unlinked_at=T0)
    for link_id in (theirs.id, ended.id, 999999):
        for suffix in ("access", "access.csv"):
            response = client.get(f"/records/{link_id}/{suffix}")
            assert response.status_code == 404, (link_id, suffix)
            assert b"Secret Clinic" not in response.data


@pytest.mark.parametrize("path", ["/records/{}/access", "/records/{}/access.csv"])
def test_staff_and_schools_do_not_reach_the_familys_page(
    app, make, login, link_for, child, path
) -> None:  # type: ignore[no-untyped-def]
    link = link_for(make.user(), child)
    for role in (Role.AGENT, Role.SCHOOL_VERIFIER):
        other = app.test_client()
        login(other, make.user(role=role))
        assert other.get(path.format(link.id)).status_code in (403, 404)


def test_paging_has_no_gaps_or_repeats(client, db, make, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name="Clinic")
    # 120 events, some at the same instant, so the id breaks the tie.
    rows = [query(child, T0 + timedelta(minutes=i // 3), clinic) for i in range(120)]
    db.add_all(rows)
    db.commit()
    link = link_for(parent, child)
    seen: list[str] = []
    pages = []
    url = f"/records/{link.id}/access"
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(page)
        seen += re.findall(r'<time datetime="([^"]+)"', page)
        older = re.search(r'href="([^"]*older=[^"]*)"', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert [p.count("<time") for p in pages] == [50, 50, 20]
    assert len(seen) == 120
    expected = sorted(((r.occurred_at, r.id) for r in rows), reverse=True)
    assert seen == [at.isoformat() for at, _ in expected]
    # Back up: "newer" from the last page shows exactly the middle page again.
    newer = re.search(r'href="([^"]*newer=[^"]*)"', pages[2]).group(1).replace("&amp;", "&")
    assert re.findall(r"<time[^>]*>", client.get(newer).get_data(as_text=True)) == re.findall(
        r"<time[^>]*>", pages[1]
    )
    assert "newer=" not in pages[0] and "older=" not in pages[2]
    # Only the link id and an opaque cursor in the address.
    assert "2026" not in url if url else True
    assert all(
        "2026" not in u for u in re.findall(r'href="([^"]*(?:older|newer)=[^"]*)"', "".join(pages))
    )


@pytest.mark.parametrize("query", ["older=not-a-cursor", "newer=%00", "older=MTIz"])
def test_a_bad_cursor_is_a_400_not_a_500(client, parent, link_for, child, query) -> None:  # type: ignore[no-untyped-def]
    link = link_for(parent, child)
    assert client.get(f"/records/{link.id}/access?{query}").status_code == 400


def test_the_page_costs_the_same_queries_for_one_event_or_fifty(
    app, client, db, make, parent, link_for
) -> None:  # type: ignore[no-untyped-def]
    from portal.db import engine_for

    small, large = make.patient(), make.patient()
    orgs = [make.org(kind=kind) for kind in OrgKind]
    event(db, small, T0, orgs[0])
    db.add_all([query(large, T0 + timedelta(hours=i), orgs[i % 6]) for i in range(80)])
    db.commit()
    links = [link_for(parent, small), link_for(parent, large)]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = engine_for(app.config["DATABASE_URL"])
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        counts = []
        for link in links:
            statements.clear()
            assert client.get(f"/records/{link.id}/access").status_code == 200
            counts.append(len(statements))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1] <= 6, statements


def test_the_csv_download(client, db, make, parent, link_for, child) -> None:  # type: ignore[no-untyped-def]
    evil = make.org(name='=HYPERLINK("http://evil.example","click")', kind=OrgKind.PHARMACY)
    event(db, child, T0, evil)
    event(db, child, T0 + timedelta(days=1), make.org(name="Sunrise Pediatrics"),
          action=AccessAction.SUBMIT)  # fmt: skip
    link = link_for(parent, child)

    response = client.get(f"/records/{link.id}/access.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "CA00001234" in disposition
    assert re.search(r'filename="access-log-CA00001234-\d{4}-\d{2}-\d{2}\.csv"', disposition)
    assert "Luc" not in disposition and "uñez" not in disposition
    assert response.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == ["Date and time", "Organization", "Kind", "What it did"]
    assert table[1] == ["Jun 2, 2026, 10:00\u202fAM", "Sunrise Pediatrics",
                        "clinic or doctor's office", "Sent shots to the record"]  # fmt: skip
    assert table[2][1] == '\'=HYPERLINK("http://evil.example","click")'
    assert len(table) == 3


def test_the_csv_header_follows_the_page_language(
    client, db, make, parent, link_for, child
) -> None:  # type: ignore[no-untyped-def]
    event(db, child, T0, make.org(name="Sunrise Pediatrics"))
    link = link_for(parent, child)
    response = client.get(f"/records/{link.id}/access.csv", headers={"Accept-Language": "es"})
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == ["Fecha y hora", "Organización", "Tipo", "Qué hizo"]
    assert "Pidió el registro y lo recibió" in table[1]
