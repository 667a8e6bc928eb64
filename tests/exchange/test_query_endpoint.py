"""Issue 5/7's first "done when", through POST /exchange/hl7: a record locked by one
organization, queried by another (answered exactly like a no-match) and by its owner
(the record); the family's "who looked" page shows both, the other's as refused; a
school's query of a shared record gets no address or phone."""

from __future__ import annotations

import time

from portal.exchange import query
from portal.exchange.hl7 import Message
from portal.registry import OrgKind, Patient

from .client import msa, sender
from .samples import VXU_8
from .test_endpoint import patients, vxu

QBP = (
    "MSH|^~\\&|EHR|{org}|PORTAL|REGISTRY|20261202||QBP^Q11^QBP_Q11|Q-7|P|2.5.1|||ER|AL|||||"
    "Z44^CDCPHINVS\rQPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|T1|"
    "^^^^MR|Garcia^Sofia||20200115|F\rRCP|I|5^RD&Records&HL70126\r"
)


def _without_time_and_id(answer: bytes) -> list[str]:
    """The answer's segments with MSH-7 (time) and MSH-10 (our control id) blanked."""
    segments = answer.decode().rstrip("\r").split("\r")
    msh = segments[0].split("|")
    msh[6] = msh[9] = ""
    return ["|".join(msh), *segments[1:]]


def _profile(answer: Message) -> str:
    return answer.header.profile or ""


def test_locked_by_one_refused_to_another_exactly_like_no_match_and_both_in_who_looked(
    app, client, db, make, login
) -> None:
    owner = sender(db, make, identifier="SUNRISE", name="Sunrise Pediatrics")
    other = sender(db, make, identifier="ELSEWHERE", name="Elsewhere Clinic")
    ask = QBP.format(org="ELSEWHERE")

    before = other.post(client, ask)  # nobody by that name yet: a genuine no-match
    assert msa(owner.ack(client, VXU_8)) == "AA"  # PD1-12 = Y: locked, owned by Sunrise
    [patient] = patients(db)
    assert patient.locked and patient.owner_org_id == owner.org_id

    started = time.monotonic()
    refused = other.post(client, ask)
    assert time.monotonic() - started >= query.FLOOR_SECONDS  # held like every answer
    assert _without_time_and_id(refused.data) == _without_time_and_id(before.data)
    assert "|NF|" in refused.get_data(as_text=True)  # QAK: no match
    assert "\rPID|" not in refused.get_data(as_text=True)  # no patient sent

    mine = owner.ack(client, QBP.format(org="SUNRISE"))
    assert _profile(mine) == "Z42"
    assert mine.value(mine.first("PID"), 7) == "20200115"

    family = make.user()
    link = make.link(family, db.get(Patient, patient.id))
    db.commit()
    browser = app.test_client()
    login(browser, family)
    page = browser.get(f"/records/{link.id}/access").get_data(as_text=True)
    assert "Elsewhere Clinic" in page and "Asked for the record and was refused" in page
    assert "Sunrise Pediatrics" in page and "Asked for the record and received it" in page
    rows = browser.get(f"/records/{link.id}/access.csv").get_data(as_text=True).splitlines()
    refusals = [r for r in rows if "Elsewhere Clinic" in r and "refused" in r]
    assert len(refusals) == 1


def test_a_schools_query_of_a_shared_record_gets_no_address_or_phone(client, db, make) -> None:
    clinic = sender(db, make, identifier="SUNRISE", name="Sunrise Pediatrics")
    assert msa(clinic.ack(client, vxu(pd1_12="N"))) == "AA"  # shared
    school = sender(db, make, identifier="PINEDALE", name="Pinedale", kind=OrgKind.SCHOOL)
    seen = school.ack(client, QBP.format(org="PINEDALE"))
    assert _profile(seen) == "Z42"
    pid = seen.first("PID")
    assert seen.value(pid, 7) == "20200115"  # the record itself is sent
    assert seen.value(pid, 11) == "" and seen.value(pid, 13) == ""
    text = school.post(client, QBP.format(org="PINEDALE")).get_data(as_text=True)
    assert "Fresno" not in text and "5551234" not in text and "Elm St" not in text

    provider = clinic.post(client, QBP.format(org="SUNRISE")).get_data(as_text=True)
    assert "12 Elm St^^Fresno" in provider and "5551234" in provider  # a provider sees them
