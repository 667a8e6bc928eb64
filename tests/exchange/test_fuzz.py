"""Mutated messages: parse + validate + build_ack never raise and always answer with a
well-formed ACK (read back: MSH of Z23, MSA with the verdict and the sender's control id).

500 hypothesis examples x 20 mutants each = 10,000 messages, each cut, with segments
duplicated, dropped or reordered, bad escapes, huge fields, odd delimiters or another
character encoding (one to three of these at once). Derandomized, so CI runs the same
10,000 every time.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import hl7 as python_hl7
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.exchange.hl7 import build, check, parse, read_query, read_vxu
from portal.exchange.hl7.build import build_ack
from tests.conformance import conformance_dir

from .samples import VXU_8

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
PER_EXAMPLE = 20
EXAMPLES = 500


def _segments(data: bytes) -> list[bytes]:
    return [s for s in data.replace(b"\r\n", b"\r").replace(b"\n", b"\r").split(b"\r") if s]


def _seeds() -> list[bytes]:
    """Our VXU and the conformance folder's VXUs and QBPs of up to 12 segments (longer ones
    would spend the time budget on parsing; test_conformance reads them whole)."""
    seeds = [VXU_8.encode()]
    folder = conformance_dir() / "hl7"
    if folder.is_dir():  # the conformance tests require it; here it only adds variety
        for path in sorted(folder.rglob("Message.txt")):
            data = path.read_bytes()
            kind = b"VXU^V04" in data[:300] or b"QBP^Q11" in data[:300]
            if kind and len(_segments(data)) <= 12:
                seeds.append(data)
    return seeds


SEEDS = _seeds()
BAD_ESCAPES = ["\\", "\\X", "\\XZ\\", "\\X1\\", "\\XC3\\", "\\Z", "\\H\\\\N\\", "\\E",
               "\\.br\\", "\\C2842\\", "\\\\", "\\F", "\\X00\\"]  # fmt: skip
# (the 1.1 MB field is past parse's MAX_BYTES: refused unread)
JUNK = "|^~\\&\r\nAZaz09 éü\x00\x1c\x0b"


def _join(segs: list[bytes], rng: random.Random) -> bytes:
    return rng.choice([b"\r", b"\r\n", b"\n"]).join(segs) + rng.choice([b"\r", b"", b"\n"])


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        segs = _segments(data) or [b"MSH"]
        op = rng.randrange(12)
        if op == 0:  # cut anywhere
            data = data[: rng.randrange(len(data) + 1)]
        elif op == 1:  # duplicate a segment
            i = rng.randrange(len(segs))
            segs.insert(rng.randrange(len(segs) + 1), segs[i])
            data = _join(segs, rng)
        elif op == 2:  # reorder
            rng.shuffle(segs) if rng.random() < 0.3 else segs.insert(
                rng.randrange(len(segs) + 1), segs.pop(rng.randrange(len(segs)))
            )
            data = _join(segs, rng)
        elif op == 3:  # drop a segment
            segs.pop(rng.randrange(len(segs)))
            data = _join(segs, rng)
        elif op == 4:  # a bad escape somewhere
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.choice(BAD_ESCAPES).encode() + data[at:]
        elif op == 5:  # a huge field
            at = data.find(b"|", rng.randrange(len(data) + 1))
            at = len(data) if at < 0 else at + 1
            data = data[:at] + b"A" * rng.choice([2500, 40_000, 1_100_000]) + data[at:]
        elif op == 6:  # another character encoding
            text = data.decode("utf-8", errors="replace").replace("a", "á", 3)
            data = text.encode(rng.choice(["utf-16", "latin-1", "cp1252", "utf-8-sig", "utf-32"]),
                               errors="replace")  # fmt: skip
        elif op == 7:  # odd delimiters in MSH-1/MSH-2
            odd = "".join(rng.choice("|^~\\&#$*!@A 1\r") for _ in range(rng.randint(0, 6)))
            data = b"MSH" + odd.encode() + data[8:]
        elif op == 8:  # junk in one field
            i = rng.randrange(len(segs))
            fields = segs[i].split(b"|")
            j = rng.randrange(len(fields))
            fields[j] = "".join(rng.choice(JUNK) for _ in range(rng.randint(0, 30))).encode()
            segs[i] = b"|".join(fields)
            data = _join(segs, rng)
        elif op == 9:  # random bytes
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
        elif op == 10:  # another version, type or processing id
            repl = rng.choice(
                [
                    (b"2.5.1", b"2.3.1"),
                    (b"VXU^V04", b"ADT^A01"),
                    (b"VXU^V04", b"VXU^V99"),
                    (b"|P|", b"|Q|"),
                    (b"QBP^Q11", b"QBP^Q22"),
                ]
            )
            data = data.replace(*repl)  # fmt: skip
        else:  # many segments
            data = _join(segs + [rng.choice(segs)] * rng.randint(5, 30), rng)
    return data


def assert_well_formed_ack(data: bytes) -> None:
    checked = check(data, today=NOW.date())
    if checked.message is not None:  # a later step reads these: they must not raise either
        if checked.message.header.message_code == "VXU":
            read_vxu(checked.message)
        else:
            read_query(checked.message)
    ack = build_ack(checked.received, checked.problems, control_id="ACK-1", now=NOW)
    assert isinstance(ack, bytes) and ack.isascii() and ack.endswith(b"\r")
    back = parse(ack)
    assert back.header.message_code == "ACK" and back.header.profile == "Z23"
    assert back.header.control_id == "ACK-1" and back.header.version == "2.5.1"
    msa = back.first("MSA")
    assert msa is not None and back.value(msa, 1) == checked.verdict
    if checked.received is not None:
        assert back.value(msa, 2) == checked.received.header.control_id
    errs = back.named("ERR")
    assert len(errs) == min(len(checked.problems), build.MAX_ERR + 1)
    assert (checked.verdict == "AA") == all(p.severity.value == "I" for p in checked.problems)
    if len(ack) % 7 == 0:  # now and then, python-hl7 reads it too
        assert python_hl7.parse(ack.decode("ascii"))[0][9][0][0][0] == "ACK"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, 10_000))
def test_mutated_messages_always_get_a_well_formed_ack(seed: int, which: int) -> None:
    rng = random.Random(seed)
    base = SEEDS[which % len(SEEDS)]
    for _ in range(PER_EXAMPLE):
        assert_well_formed_ack(mutate(rng, base))


def test_the_fuzz_covers_ten_thousand_messages() -> None:
    assert EXAMPLES * PER_EXAMPLE >= 10_000


def test_the_seeds_themselves_are_answered() -> None:
    for data in SEEDS:
        assert_well_formed_ack(data)


def test_nothing_at_all_and_no_msh_are_rejected() -> None:
    for data in (b"", b"\r\n", b"PID|1||x", b"MSH", b"MSH|^~", "MSH|^~\\&|é".encode("utf-16")):
        checked = check(data, today=NOW.date())
        assert checked.message is None and checked.verdict == "AR"
        assert_well_formed_ack(data)
