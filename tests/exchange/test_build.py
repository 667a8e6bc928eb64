"""The rule table's verdicts on messages of our own, and the answers as bytes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portal.exchange.hl7 import (
    Severity,
    acknowledge,
    build_ack,
    build_rsp,
    check,
    format_timestamp,
    parse,
    read_vxu,
    segment,
)
from portal.exchange.hl7.build import MAX_ERR, Repeated

from .samples import VXU_8

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 10, 30, 5, tzinfo=timezone(timedelta(hours=-8)))


def _with(old: str, new: str, text: str = VXU_8) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode()


def _answer(data: bytes) -> list[str]:
    return acknowledge(data, control_id="ACK-9", now=NOW).decode("ascii").split("\r")


def test_a_clean_vxu_is_accepted_and_read() -> None:
    lines = _answer(VXU_8.encode())
    assert lines[0] == (
        "MSH|^~\\&|PORTAL|REGISTRY|CLINICEHR|SUNRISE|20261202103005-0800||ACK^V04^ACK|ACK-9|P|"
        "2.5.1|||NE|NE|||||Z23^CDCPHINVS|REGISTRY|SUNRISE"
    )
    assert lines[1:] == ["MSA|AA|MSG-0001", ""]
    vxu = read_vxu(check(VXU_8.encode(), today=TODAY).message)
    assert vxu.names[0].family == "García" and vxu.doses[0].lot_numbers == ("LOT|42",)
    assert vxu.locked is True and vxu.protection_on == date(2026, 3, 1)
    assert vxu.doses[0].cvx == "08" and not vxu.doses[0].historical


def test_an_unknown_vaccine_is_an_error_with_its_erl_and_both_codes() -> None:
    lines = _answer(_with("08^Hep B, adolescent or pediatric^CVX", "777^Mystery^CVX"))
    assert lines[1] == "MSA|AE|MSG-0001"
    assert lines[2] == (
        "ERR||RXA^1^5^1^1|103^Table value not found^HL70357|E|5^Table value not found^HL70533"
        "|||Vaccine code not recognized - dose not recorded"
    )


def test_an_unknown_site_is_a_warning_and_the_message_is_still_ae() -> None:
    lines = _answer(_with("LT^Left Thigh^HL70163", "XX^Elbow^HL70163"))
    assert lines[1] == "MSA|AE|MSG-0001"
    assert lines[2].startswith("ERR||RXR^1^2^1^1|103^Table value not found^HL70357|W|")
    assert lines[2].endswith("Administration Site not recognized in HL70163: not saved")


@pytest.mark.parametrize(
    ("old", "new", "location", "severity", "code"),
    [
        ("|20200115|F|", "||F|", "PID-7", "E", 101),
        ("|20200115|F|", "|20201399|F|", "PID-7.1", "E", 102),
        ("|F||2106-3", "|Q||2106-3", "PID-8.1", "W", 103),
        ("|Y|20260301|", "|Y||", "PD1-13", "I", 101),
        ("|CP|A", "|CP|Z", "RXA-21.1", "E", 103),
        ("|CP|A", "|RE|A", "RXA-18", "W", 101),
        ("RXA|0|1|20260301|", "RXA|0|1|20190101|", "RXA-3", "E", 102),
        ("MTH^Mother^HL70063", "AUNTIE^Aunt^HL70063", "NK1-3.1", "W", 103),
        ("V02^Medicaid", "V99^Medicaid", "OBX-5.1", "W", 103),
        ("|LOT\\F\\42|", "|" + "L" * 21 + "|", "RXA-15.1", "W", 102),
    ],
)
def test_one_fault_one_problem(old, new, location, severity, code) -> None:
    checked = check(_with(old, new), today=TODAY)
    assert [(p.location.label, p.severity.value, p.code) for p in checked.problems] == [
        (location, severity, code)
    ]
    assert checked.verdict == ("AA" if severity == "I" else "AE")


def test_a_birth_date_in_the_future_and_the_doses_before_it() -> None:
    checked = check(_with("|20200115|F|", "|20290101|F|"), today=TODAY)
    assert [(p.location.label, p.application_code) for p in checked.problems] == [
        ("PID-7", "1"),
        ("RXA-3", "1"),
    ]


def test_structure_problems() -> None:
    segs = VXU_8.strip("\r").split("\r")
    no_pid = "\r".join(s for s in segs if not s.startswith("PID"))
    assert [p.text for p in check(no_pid, today=TODAY).problems][0].startswith("PID segment")
    twice = "\r".join([*segs[:2], segs[1], *segs[2:]])
    assert any(p.text == "Repeated PID segment: ignored" and p.severity is Severity.ERROR
               for p in check(twice, today=TODAY).problems)  # fmt: skip
    z_segment = VXU_8 + "ZXY|1|local\r"
    assert [p.text for p in check(z_segment, today=TODAY).problems] == [
        "Segment ZXY not expected: ignored"
    ]
    late_pd1 = "\r".join([*segs[:2], *segs[3:], segs[2]])
    assert "Segment PD1 out of order: ignored" in [
        p.text for p in check(late_pd1, today=TODAY).problems
    ]


def test_line_ends_cr_lf_and_lf_read_the_same() -> None:
    base = check(VXU_8.encode(), today=TODAY)
    for sep in ("\r\n", "\n"):
        other = check(VXU_8.replace("\r", sep).encode(), today=TODAY)
        assert [s.fields for s in other.message.segments] == [
            s.fields for s in base.message.segments
        ]


def test_latin1_bytes_are_read_with_a_warning() -> None:
    data = VXU_8.replace("Garc\\XC3AD\\a", "García").encode("latin-1")
    checked = check(data, today=TODAY)
    assert read_vxu(checked.message).names[0].family == "García"
    assert [p.location.label for p in checked.problems] == ["MSH-18"]


@pytest.mark.parametrize(
    ("old", "new", "code", "erl"),
    [
        ("|2.5.1|", "|2.3.1|", 203, "MSH^1^12^1^1"),
        ("|P|2.5.1", "|X|2.5.1", 202, "MSH^1^11^1^1"),
        ("|P|2.5.1", "||2.5.1", 202, "MSH^1^11^1^1"),
        ("|MSG-0001|", "||", 101, "MSH^1^10^1^1"),
        ("VXU^V04^VXU_V04", "ADT^A01^ADT_A01", 200, "MSH^1^9^1"),
        ("VXU^V04^VXU_V04", "VXU^V99^VXU_V04", 201, "MSH^1^9^1"),
    ],
)
def test_what_cannot_be_processed_is_rejected(old, new, code, erl) -> None:
    lines = _answer(_with(old, new))
    assert lines[1] == ("MSA|AR|MSG-0001" if code != 101 else "MSA|AR")
    assert lines[0].split("|")[10] == "P"  # our own processing id, whatever was sent
    assert lines[2].split("|")[2:5] == [erl, lines[2].split("|")[3], "E"]
    assert lines[2].split("|")[3].startswith(f"{code}^")


def test_no_msh_is_rejected_without_a_control_id() -> None:
    lines = _answer(b"PID|1||x\r")
    assert lines[0].split("|")[8] == "ACK^V04^ACK"
    assert lines[1] == "MSA|AR"
    assert lines[2].startswith("ERR|||100^Segment sequence error^HL70357|E|")


def test_many_problems_end_in_one_count() -> None:
    text = VXU_8 + "ZZZ|1\r" * (MAX_ERR + 7)
    errs = [s for s in _answer(text.encode()) if s.startswith("ERR")]
    assert len(errs) == MAX_ERR + 1 and errs[-1].endswith("|7 more problems not listed")


def test_the_answer_escapes_what_it_echoes() -> None:
    data = _with("|SUNRISE|PORTAL|", "|SUN\\F\\RISE é|PORTAL|")
    msh = _answer(data)[0].split("|")
    assert msh[5] == "SUN\\F\\RISE \\XC3A9\\"
    assert parse(acknowledge(data, control_id="A", now=NOW)).header.receiving_facility == (
        "SUN|RISE é"
    )


QBP = (
    "MSH|^~\\&|EHR|CLINIC|PORTAL|REGISTRY|20261202||QBP^Q11^QBP_Q11|Q-1|P|2.5.1|||ER|AL|||||"
    "Z44^CDCPHINVS\rQPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|TAG-7|"
    "MRN-77^^^SUNRISE^MR|Garcia^Sofia^^^^^L|Lopez^^^^^^M|20200115|F\r"
    "RCP|I|5^RD&Records&HL70126|R^real-time^HL70394\r"
)


@pytest.mark.parametrize(("status", "profile"), [("NF", "Z33"), ("TM", "Z33"), ("OK", "Z42")])
def test_the_rsp_skeleton(status, profile) -> None:
    checked = check(QBP, today=TODAY)
    assert checked.verdict == "AA"
    body = [
        segment("PID", "1", "", Repeated((["R-1", "", "", "REG", "SR"],)), "", ["Garcia", "Sofia"])
    ]
    rsp = build_rsp(checked.message, checked.problems, status=status, profile=profile,
                    control_id="R-1", now=NOW, body=body if status == "OK" else ())  # fmt: skip
    lines = rsp.decode("ascii").split("\r")
    assert lines[0].split("|")[8:12] == ["RSP^K11^RSP_K11", "R-1", "P", "2.5.1"]
    assert lines[0].split("|")[20] == f"{profile}^CDCPHINVS"
    assert lines[1] == "MSA|AA|Q-1"
    assert lines[2] == f"QAK|TAG-7|{status}|Z44^Request Evaluated History and Forecast^CDCPHINVS"
    assert lines[3] == QBP.split("\r")[1]
    assert lines[4:] == (["PID|1||R-1^^^REG^SR||Garcia^Sofia", ""] if status == "OK" else [""])
    with pytest.raises(ValueError):
        build_rsp(checked.message, [], status="XX", profile="Z33", control_id="R", now=NOW)


def test_timestamps() -> None:
    assert format_timestamp(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "20260102030405+0000"
    assert format_timestamp(NOW) == "20261202103005-0800"


def test_an_8_segment_vxu_is_parsed_and_validated_in_a_few_milliseconds() -> None:
    data = VXU_8.encode()
    assert len(check(data, today=TODAY).message.segments) == 8
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        check(data, today=TODAY)
        runs.append(time.perf_counter() - start)
    median = sorted(runs)[len(runs) // 2]
    assert median < 0.05, f"{median * 1000:.1f} ms"  # about 3 ms on a quiet machine


def test_build_ack_for_unreadable_is_ar_even_with_no_problems_given() -> None:
    ack = build_ack(None, [], control_id="A", now=NOW).decode().split("\r")
    assert ack[1] == "MSA|AR"
