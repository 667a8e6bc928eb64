"""The Z42 carries the evaluated history and the forecast as the guide's OBX groups (CDC IG
1.5): under each RXA one group per vaccine group (30956-7, 59779-9, 59781-5, then 30973-2
or 30982-3, one OBX-4 sub-id each), after the history an ORC, an RXA 998 (RXA-20 NA) and a
group per vaccine group with the dates portal.forecast computes, and the schedule data's
version in an NTE. The answer still passes our segment rules and python-hl7 reads it; the
forecast costs no query per dose; a Z32 stays the history alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import hl7 as python_hl7
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.exchange import query as q
from portal.exchange.hl7 import Message, parse
from portal.exchange.hl7.forecast import GROUP_CVX
from portal.exchange.hl7.validate import _fields
from portal.forecast.engine import forecast_all
from portal.forecast.model import Patient as ForecastPatient
from portal.forecast.supporting import load
from portal.registry import OrgKind

from .test_query import LOPEZ, NOW, qbp

BORN = date(2019, 3, 14)  # LOPEZ's birth date
DOSES = [
    ("08", date(2019, 3, 14)),  # HepB 1: valid
    ("08", date(2019, 3, 20)),  # HepB 6 days later: not valid (too soon)
    ("20", date(2019, 5, 14)),  # DTaP 1 at 2 months: valid
    ("03", date(2019, 6, 1)),  # MMR before the first birthday: not valid
]


def _child(make: Any, doses: list[tuple[str, date]] = DOSES, kind: OrgKind = OrgKind.PROVIDER):
    org = make.org(kind=kind)
    p = make.patient(last_name="Lopez", birth_date=BORN, owner=org)
    for cvx, given in doses:
        make.dose(p, cvx_code=cvx, given_on=given)
    return org, p


def _answer(db: Session, org: Any, name: str = "Z44") -> tuple[bytes, Message]:
    raw = q.answer_query(db, org, qbp(LOPEZ, name=name), NOW, control_id="R-1")
    return raw, parse(raw)


def _orders(rsp: Message) -> list[tuple[Any, list[Any]]]:
    """Each RXA with the OBX segments that follow it; an OBX before any RXA fails."""
    out: list[tuple[Any, list[Any]]] = []
    for seg in rsp.segments:
        if seg.name == "RXA":
            out.append((seg, []))
        elif seg.name == "OBX":
            out[-1][1].append(seg)
    return out


def _groups(rsp: Message, obxs: list[Any]) -> dict[str, dict[str, str]]:
    """Vaccine type CVX -> {LOINC: value}, grouped by OBX-4."""
    by_sub: dict[str, dict[str, str]] = {}
    for obx in obxs:
        by_sub.setdefault(rsp.value(obx, 4), {})[rsp.value(obx, 3)] = rsp.value(obx, 5)
    assert all("30956-7" in g for g in by_sub.values())
    return {g["30956-7"]: g for g in by_sub.values()}


def _cvx(group: str) -> str:
    return GROUP_CVX[group][0]


def test_each_dose_has_its_evaluation_and_the_forecast_follows(db, make) -> None:
    org, _ = _child(make)
    _, rsp = _answer(db, org)
    orders = _orders(rsp)
    assert [rsp.value(r, 5) for r, _ in orders] == ["08", "08", "20", "03", "998"]
    hepb1, hepb2, dtap, mmr, forecast = (_groups(rsp, obx) for _, obx in orders)
    assert hepb1 == {_cvx("HepB"): {"30956-7": "45", "59779-9": "VXC16", "59781-5": "Y",
                                    "30973-2": "1"}}  # fmt: skip
    assert hepb2["45"]["59781-5"] == "N" and "30973-2" not in hepb2["45"]
    assert hepb2["45"]["30982-3"]  # the reason, in CDSi's words
    # DTaP counts for one vaccine group (the antigens merge): dose 1
    assert dtap == {"107": {"30956-7": "107", "59779-9": "VXC16", "59781-5": "Y",
                            "30973-2": "1"}}  # fmt: skip
    assert mmr["03"]["59781-5"] == "N" and mmr["03"]["30982-3"]
    # the forecast's RXA: CVX 998, nothing given (RXA-20 NA), as of the query's day
    rxa = orders[-1][0]
    assert rsp.value(rxa, 20) == "NA" and rsp.value(rxa, 3) == "20261202"
    expected = forecast_all(ForecastPatient(BORN, "F"), DOSES, NOW.date(), load())
    for group in ("HepB", "DTaP/Tdap/Td", "MMR", "Polio"):
        got, want = forecast[_cvx(group)], expected[group]
        assert got["59783-1"] == want.status and got["59779-9"] == "VXC16"
        for code, day in (("30981-5", want.earliest), ("30980-7", want.recommended),
                          ("59778-1", want.past_due), ("59777-3", want.latest)):  # fmt: skip
            assert got.get(code) == (day.strftime("%Y%m%d") if day else None), (group, code)
        assert got.get("30973-2") == (str(want.dose_number) if want.dose_number else None)
    assert expected["MMR"].earliest is not None  # the MMR is still due: dates are compared


def test_each_group_shares_one_sub_id_and_obx_are_numbered_in_order(db, make) -> None:
    org, _ = _child(make)
    _, rsp = _answer(db, org)
    for _, obxs in _orders(rsp):
        assert [rsp.value(o, 1) for o in obxs] == [str(i) for i in range(1, len(obxs) + 1)]
        subs = [rsp.value(o, 4) for o in obxs]
        assert subs == sorted(subs, key=int)  # a group's OBX are together
        firsts = [rsp.value(o, 3) for o, s in zip(obxs, subs, strict=True)
                  if subs.index(s) == obxs.index(o)]  # fmt: skip
        assert set(firsts) <= {"30956-7"}  # each group opens with the vaccine type
        assert all(rsp.value(o, 11) == "F" for o in obxs)


def test_the_schedule_data_version_is_in_the_answer(db, make) -> None:
    org, _ = _child(make)
    _, rsp = _answer(db, org)
    notes = [rsp.value(n, 3) for n in rsp.named("NTE")]
    assert notes == [f"CDC CDSi supporting data {load().version}"]
    assert load().version == "4.64"


def test_a_child_without_doses_still_gets_the_forecast(db, make) -> None:
    org, _ = _child(make, [])
    _, rsp = _answer(db, org)
    orders = _orders(rsp)
    assert [rsp.value(r, 5) for r, _ in orders] == ["998"]
    assert _groups(rsp, orders[0][1])["45"]["59783-1"] == "Not complete"


def test_the_answer_passes_our_segment_rules_and_python_hl7_reads_it(db, make) -> None:
    org, _ = _child(make)
    raw, rsp = _answer(db, org)
    body = [s for s in rsp.segments if s.name in ("ORC", "RXA", "OBX", "NTE")]
    assert {s.name for s in body} == {"ORC", "RXA", "OBX", "NTE"}
    assert [(s.name, p.text) for s in body for p in _fields(rsp, s)] == []
    parsed = python_hl7.parse(raw.decode("ascii"))
    assert str(parsed.segment("MSH")[21][0][0]) == "Z42"
    obx = [s for s in parsed if str(s[0]) == "OBX"]
    assert len(obx) == len(rsp.named("OBX")) and all(str(s[11]) == "F" for s in obx)


def test_a_z32_is_the_history_alone(db, make) -> None:
    org, _ = _child(make)
    _, rsp = _answer(db, org, name="Z34")
    assert rsp.header.profile == "Z32"
    assert rsp.named("OBX") == [] and rsp.named("NTE") == []
    assert [rsp.value(r, 5) for r in rsp.named("RXA")] == ["08", "08", "20", "03"]


def test_a_school_gets_the_forecast_and_still_no_contact(db, make) -> None:
    org, _ = _child(make, kind=OrgKind.SCHOOL)
    _, rsp = _answer(db, org)
    pid, nk1 = rsp.first("PID"), rsp.first("NK1")
    assert rsp.field_text(pid, 11) == "" and rsp.field_text(pid, 13) == ""
    assert rsp.field_text(nk1, 4) == "" and rsp.field_text(nk1, 5) == ""
    assert rsp.named("OBX")


def test_a_locked_record_with_doses_is_still_answered_exactly_like_no_match(db, make) -> None:
    owner, other = make.org(), make.org()
    genuine, _ = _answer(db, other)
    locked = make.patient(last_name="Lopez", birth_date=BORN, owner=owner, shared=False)
    for cvx, given in DOSES:
        make.dose(locked, cvx_code=cvx, given_on=given)
    refused, _ = _answer(db, other)
    assert refused == genuine and b"OBX" not in refused
    _, mine = _answer(db, owner)
    assert mine.named("OBX")  # the owner gets the evaluations


def _statements(db: Session, run: Any) -> int:
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", counted)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counted)
    return count


MANY = [("08", date(2019, 3, 14)), ("20", date(2019, 5, 14)), ("10", date(2019, 5, 14)),
        ("49", date(2019, 5, 14)), ("133", date(2019, 5, 14)), ("116", date(2019, 5, 14)),
        ("08", date(2019, 5, 14)), ("20", date(2019, 7, 14)), ("10", date(2019, 7, 14)),
        ("03", date(2020, 3, 14)), ("21", date(2020, 3, 14)),
        ("83", date(2020, 3, 14))]  # fmt: skip


def test_the_forecast_costs_no_query_per_dose(db, make) -> None:
    counts = []
    for number, doses in enumerate((DOSES[:1], MANY)):
        org = make.org()
        p = make.patient(last_name=f"Lopez{number}", birth_date=BORN, owner=org)
        for cvx, given in doses:
            make.dose(p, cvx_code=cvx, given_on=given)
        message = qbp(f"{p.registry_id}^^^REGISTRY^SR|Lopez{number}^Maria^^^^^L||20190314|F")
        db.flush()
        counts.append(_statements(db, lambda: q.answer_query(db, org, message, NOW)))  # noqa: B023
        rsp = parse(q.answer_query(db, org, message, NOW))
        assert len(rsp.named("RXA")) == len(doses) + 1
    assert counts[0] == counts[1] and counts[0] > 0
