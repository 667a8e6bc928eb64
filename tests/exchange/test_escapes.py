"""Escape sequences: decoded as HL7 v2.5.1 2.7 says, encoded back to the same text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.exchange.hl7 import DEFAULT, Delimiters, decode, encode


@pytest.mark.parametrize(
    ("wire", "text"),
    [
        ("A\\F\\B", "A|B"),
        ("A\\S\\B\\T\\C\\R\\D", "A^B&C~D"),
        ("back\\E\\slash", "back\\slash"),
        ("Garc\\XC3AD\\a", "García"),
        ("\\X0D0A\\", "\r\n"),
        ("\\H\\bold\\N\\", "bold"),
        ("line\\.br\\next", "line\nnext"),
        ("\\Zlocal\\x", "x"),
        ("\\C2842\\x", "x"),
        ("no end \\F", "no end \\F"),
        ("\\Q\\", "\\Q\\"),
        ("\\\\", "\\\\"),
        ("\\XZZ\\", "\\XZZ\\"),
        ("\\XC3\\", "\ufffd"),
    ],
)
def test_decode(wire: str, text: str) -> None:
    assert decode(wire) == text


def test_encode_writes_ascii_with_the_five_delimiter_escapes() -> None:
    assert encode("a|b^c&d~e\\f") == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f"
    assert encode("Niño\r") == "Ni\\XC3B1\\o\\X0D\\"


DELIMITER_SETS = st.sampled_from([DEFAULT, Delimiters("#", "$", "*", "!", "@")])


@settings(max_examples=400, deadline=None)
@given(text=st.text(), delimiters=DELIMITER_SETS)
def test_round_trip(text: str, delimiters: Delimiters) -> None:
    wire = encode(text, delimiters)
    assert wire.isascii()
    for ch in (delimiters.field, delimiters.component, delimiters.repetition,
               delimiters.subcomponent, "\r", "\n"):  # fmt: skip
        assert ch not in wire
    assert decode(wire, delimiters) == text


@settings(max_examples=400, deadline=None)
@given(wire=st.text(alphabet=st.sampled_from("\\XFSTREHNZC.br0123456789ABCDEFaz|^&~ é")))
def test_decode_never_raises(wire: str) -> None:
    assert isinstance(decode(wire), str)
