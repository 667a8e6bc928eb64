"""The plans' `Constraints.xml` assertions, evaluated (tests/exchange/constraints.py).

For every step whose message is an ACK or RSP the registry would send (the answer to a VXU or QBP
of the plan), its assertions are checked against (a) the plan's own expected message and (b) our
answer to the paired request, posted to /exchange/hl7 with the test data test_query uses. What
the material holds decides how much that checks: every one of those answer steps' files is a bare
`<ByID>` reference to NIST's profile, with no assertion of its own (pinned below, so the day one
carries assertions they are evaluated, not missed). The requests' files hold the assertions
(5,744 constraints); the evaluator is held to them on the plans' own messages, so it is known to
read the kinds that occur. Failures allowed are listed, with reasons, in constraints_allowance.json.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from portal.registry import OrgKind
from tests.conformance import conformance_dir

from . import test_query
from .client import sender
from .constraints import count, evaluate, segments
from .samples import hl7_root

ALLOWANCE = json.loads((Path(__file__).with_name("constraints_allowance.json")).read_text())
ANSWERS = ("ACK", "RSP")


def _folder() -> Path:
    return conformance_dir() / "hl7"


def _kind(step: Path) -> str:
    message = step / "Message.txt"
    segs = segments(message.read_bytes()) if message.exists() else []
    return segs[0].fields[9].split("^")[0] if segs and len(segs[0].fields) > 9 else ""


def _steps(kinds: tuple[str, ...]) -> list:
    if not _folder().is_dir():
        return [pytest.param(Path("missing"), id="missing")]
    return [
        pytest.param(c.parent, id=str(c.parent.relative_to(_folder())))
        for c in sorted(_folder().rglob("Constraints.xml"))
        if _kind(c.parent) in kinds
    ]


def _name(step: Path) -> str:
    return str(step.relative_to(hl7_root()))


def _unexpected(step: Path, message: bytes, allowed: dict[str, str]) -> tuple[list[str], int]:
    results = evaluate(step / "Constraints.xml", message)
    failed = [f"{_name(step)} | {r.key}" for r in results if not r.passed]
    return [f for f in failed if f not in allowed], len(results)


def _request(answer_step: Path) -> Path:
    number = int(answer_step.name.rsplit("_", 1)[1])
    return answer_step.with_name(f"TestStep_{number - 1}")


def test_the_assertion_kinds_in_the_plans_are_counted() -> None:
    hl7_root()
    total: Counter[str] = Counter()
    for path in _folder().rglob("Constraints.xml"):
        total.update(count(path))
    assert dict(total) == {
        "constraints": 5744, "Presence": 4416, "PlainText": 1955, "StringList": 79,
        "Format": 2, "AND": 359, "NOT": 256, "FORALL": 107,
    }  # fmt: skip


def test_every_answer_step_is_a_bare_reference_to_nists_profile() -> None:
    """29 ACK/RSP steps, not one assertion among them: (a) and (b) below check nothing yet."""
    steps = [p.values[0] for p in _steps(ANSWERS)]
    assert len(steps) == 29
    assert Counter(_kind(s) for s in steps) == {"ACK": 18, "RSP": 11}
    assert all(count(s / "Constraints.xml") == {"constraints": 0} for s in steps)


@pytest.mark.parametrize("step", _steps(ANSWERS))
def test_the_plans_expected_answer_meets_its_assertions(step: Path) -> None:
    hl7_root()
    failed, _ = _unexpected(step, (step / "Message.txt").read_bytes(), ALLOWANCE["answers"])
    assert failed == []


def _vxu_answers() -> list:
    return [p for p in _steps(("ACK",)) if _kind(_request(p.values[0])) == "VXU"]


@pytest.mark.parametrize("step", _vxu_answers())
def test_our_ack_to_the_plans_vxu_meets_the_ack_steps_assertions(step: Path, client, db, make):
    hl7_root()
    clinic = sender(db, make)
    answer = clinic.post(client, (_request(step) / "Message.txt").read_bytes())
    assert answer.status_code == 200 and answer.data.startswith(b"MSH|")
    assert _kind_of(answer.data) == "ACK"
    failed, _ = _unexpected(step, answer.data, ALLOWANCE["answers"])
    assert failed == []


QUERIES = {step: load for step, load, _ in test_query.PLAN}


def _qbp_answers() -> list:
    found = []
    for p in _steps(("RSP",)):
        request = _request(p.values[0])
        if _kind(request) == "QBP":
            name = str(request.relative_to(_folder()))
            found.append(pytest.param(p.values[0], QUERIES[name], id=p.id))
    return found


@pytest.mark.parametrize(("step", "load"), _qbp_answers())
def test_our_rsp_to_the_plans_qbp_meets_the_rsp_steps_assertions(step, load, client, db, make):
    hl7_root()
    load(make)
    clinic = sender(db, make, kind=OrgKind.PROVIDER)
    answer = clinic.post(client, (_request(step) / "Message.txt").read_bytes())
    assert answer.status_code == 200 and _kind_of(answer.data) == "RSP"
    failed, _ = _unexpected(step, answer.data, ALLOWANCE["answers"])
    assert failed == []


def _kind_of(message: bytes) -> str:
    return segments(message)[0].fields[9].split("^")[0]


@pytest.mark.parametrize("step", _steps(("VXU", "QBP")))
def test_the_evaluator_passes_each_plan_request_on_its_own_message(step: Path) -> None:
    """The self-check: a request's own message meets its assertions (but the allowed ones)."""
    hl7_root()
    failed, checked = _unexpected(step, (step / "Message.txt").read_bytes(), ALLOWANCE["requests"])
    assert checked > 0 and failed == []


def test_every_allowance_still_fails_and_has_a_reason() -> None:
    hl7_root()
    for kind, allowed in (("answers", ALLOWANCE["answers"]), ("requests", ALLOWANCE["requests"])):
        for key, reason in allowed.items():
            assert len(reason) > 20, key
            step = hl7_root() / key.split(" | ", 1)[0]
            results = evaluate(step / "Constraints.xml", (step / "Message.txt").read_bytes())
            assert key in {f"{_name(step)} | {r.key}" for r in results if not r.passed}, (kind, key)


def _onc_no_consent() -> Path:
    return hl7_root() / "nist-onc-2015-test-plan/TestGroup_1/TestCase_3/TestStep_1"


@pytest.mark.parametrize(("old", "new", "where"), [
    (b"|01^No reminder/recall^HL70215|Y|", b"|01^No reminder/recall^HL70215|N|", "PD1[1].12[1]"),
    (b"|01^No reminder/recall^HL70215|Y|", b"|01^No reminder/recall^HL70215||", "PD1[1].12[1]"),
    (b"|CP|A", b"|CP|X", "RXA[1].21[1]"),
])  # fmt: skip
def test_the_evaluator_fails_a_message_changed_where_an_assertion_looks(old, new, where) -> None:
    step = _onc_no_consent()
    message = (step / "Message.txt").read_bytes()
    assert old in message
    failed = [r.where for r in evaluate(step / "Constraints.xml", message.replace(old, new))
              if not r.passed]  # fmt: skip
    assert any(w.endswith(where) for w in failed), failed


def test_the_allowed_obx_assertions_pass_read_obx_relative(tmp_path: Path) -> None:
    """The allowance's reason, checked: with the leading `1[1].` dropped from the paths in the
    OBX contexts of that one file (as every other plan's file writes them), all pass."""
    step = _onc_no_consent()
    text = (step / "Constraints.xml").read_text()
    head, marker, rest = text.partition('<Context List="5[*].1[1]">')
    block, end, tail = rest.partition("</Contexts>")
    assert marker and end and 'Path="1[1].11[1]"' in block
    fixed = tmp_path / "Constraints.xml"
    fixed.write_text(head + marker + re.sub(r'Path="1\[1\]\.', 'Path="', block) + end + tail)
    results = evaluate(fixed, (step / "Message.txt").read_bytes())
    assert len(results) == 215 and [r.key for r in results if not r.passed] == []
    allowed = {k.split(" | ", 1)[1] for k in ALLOWANCE["requests"] if k.startswith(_name(step))}
    assert len(allowed) == 19 and all(".OBX[1]." in k for k in allowed)
