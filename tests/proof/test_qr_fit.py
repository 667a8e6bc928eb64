"""How many doses fit one version-22 QR code, and what the card drops to keep it one code.

Measured with varied vaccines (18 CVX codes in turn), dates 97 days apart and three
clinic names; the figures are pinned here and quoted in issuance._fitting_jws.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from portal.proof.cards import qr_chunks_to_jws
from portal.proof.cards.codec import b64url_decode, inflate_raw
from portal.proof.cards.qr import decode_qr_chunks

CVX = ["20", "10", "08", "49", "133", "03", "21", "116", "110", "120", "94", "115", "62",
       "114", "88", "83", "141", "150"]  # fmt: skip
CLINICS = ["Fresno County Public Health Clinic", "Valley Children's Pediatrics",
           "CVS Pharmacy #1234"]  # fmt: skip


def _card(make, issue, count: int) -> tuple[list[str], list[dict]]:
    patient = make.patient(
        first_name="Maria", middle_name="Elena", last_name="Lopez-Garcia",
        birth_date=date(2009, 3, 14),
    )  # fmt: skip
    orgs = [make.org(name=name) for name in CLINICS]
    for i in range(count):
        make.dose(
            patient,
            cvx_code=CVX[i % len(CVX)],
            given_on=date(2009, 5, 1) + timedelta(days=97 * i),
            administering_org=orgs[i % 3],
        )
    chunks = issue(patient).qr_chunks
    jws = decode_qr_chunks(chunks).jws
    payload = json.loads(inflate_raw(b64url_decode(jws.split(".")[1])))
    entries = payload["vc"]["credentialSubject"]["fhirBundle"]["entry"][1:]
    return chunks, [e["resource"] for e in entries]


WITH_WHO_GAVE_IT = 20  # doses in one code with each dose's performer
WITHOUT = 32  # with the performers dropped (31) and the doses ordered by vaccine (32)


@pytest.mark.parametrize(
    ("count", "codes", "performer"),
    [
        (WITH_WHO_GAVE_IT, 1, True),
        (WITH_WHO_GAVE_IT + 1, 1, False),
        (WITHOUT, 1, False),
        (WITHOUT + 1, 2, False),
    ],
)
def test_the_doses_that_fit_one_code(make, issue, count, codes, performer) -> None:
    chunks, doses = _card(make, issue, count)
    assert len(chunks) == codes
    assert len(doses) == count
    assert all(("performer" in d) is performer for d in doses)
    if codes == 1:
        assert len(qr_chunks_to_jws(chunks)) <= 1195
