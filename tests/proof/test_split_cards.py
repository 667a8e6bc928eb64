"""A card split over two QR codes: one part alone is "part N of M", never "do not accept"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.proof.cards import qr_png
from tests.proof.test_verify_api import ask
from tests.proof.test_verify_page import NOT_AUTHENTIC, paste, upload

CVX = ["20", "10", "08", "49", "133", "03", "21", "116", "110", "120", "94", "115"]


@pytest.fixture
def split(make, issue) -> list[str]:
    patient = make.patient(first_name="Maria", middle_name="Elena", last_name="Lopez")
    for i in range(45):  # a 17-year-old's record
        given_on = date(2009, 5, 1) + timedelta(97 * i)
        make.dose(patient, cvx_code=CVX[i % len(CVX)], given_on=given_on)
    chunks = issue(patient).qr_chunks
    assert len(chunks) == 2
    return chunks


def test_one_part_pasted_asks_for_the_other(client, split) -> None:
    for n, chunk in enumerate(split, start=1):
        page = paste(client, chunk).get_data(as_text=True)
        assert f"Part {n} of 2: scan the other part too" in page
        assert NOT_AUTHENTIC not in page
        assert "Maria Elena Lopez" not in page  # nothing is shown before it is checked


def test_one_part_in_json_is_incomplete_with_its_number(client, split) -> None:
    body = ask(client, split[1]).get_json()
    assert body["status"] == "incomplete"
    assert (body["parts_given"], body["parts_total"]) == ([2], 2)
    assert "part 2 of 2" in body["message"]
    assert "patient" not in body


def test_one_part_photographed_asks_for_the_other(client, split) -> None:
    page = upload(client, qr_png(split[0])).get_data(as_text=True)
    assert "Part 1 of 2: scan the other part too" in page


def test_both_parts_together_are_checked(client, split) -> None:
    body = ask(client, "\n".join(split)).get_json()
    assert body["status"] == "authentic"
    assert len(body["doses"]) == 45


def test_a_chunk_header_out_of_range_is_still_refused(client) -> None:
    assert ask(client, "shc:/3/2/56").get_json()["status"] == "not_authentic"
