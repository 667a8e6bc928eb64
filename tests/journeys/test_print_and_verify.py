"""The paper journey: a parent prints the shot record, a school scans the QR on the page.

The QR is read back from the rendered PDF page (poppler + zxing-cpp), not taken
from the server's memory, so this checks what actually reaches the paper.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import date

from jwcrypto import jwk, jws

from portal.proof.cards import decode_qr_image, qr_chunks_to_jws
from tests.records.pdftools import pdf_png, pdf_text


def _print(client, link_id: int) -> bytes:
    response = client.post(f"/records/{link_id}/shot-record.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response.data


def _scan(pdf: bytes) -> list[str]:
    return decode_qr_image(pdf_png(pdf, page=1, dpi=150))


def _verify(client, proof: str) -> dict:
    response = client.post("/verify", data={"proof": proof}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.get_json()


def _printed_short_code(pdf: bytes) -> str:
    match = re.search(r"\b([A-Z0-9]{4}(?:[ -][A-Z0-9]{4}){3})\b", pdf_text(pdf, page=1))
    assert match, "no verification code printed on page 1"
    return match.group(1)


def _family_with_doses(make, login, client, count: int = 12):  # type: ignore[no-untyped-def]
    parent = make.user()
    child = make.patient(first_name="Lucía", last_name="García-López", birth_date=date(2019, 3, 14))
    cvx_cycle = ["110", "120", "133", "116", "03", "21", "83"]
    for i in range(count):
        make.dose(
            child, cvx_code=cvx_cycle[i % len(cvx_cycle)], given_on=date(2019, 5 + i % 6, 1 + i)
        )
    link = make.link(parent, child)
    login(client, parent)
    return child, link


def test_printed_qr_verifies_at_the_school_and_with_jwcrypto(client, make, login) -> None:
    child, link = _family_with_doses(make, login, client)
    pdf = _print(client, link.id)
    chunks = _scan(pdf)
    assert len(chunks) == 1 and chunks[0].startswith("shc:/")

    answer = _verify(client, chunks[0])
    assert answer["status"] == "authentic"
    assert "García-López" in json.dumps(answer, ensure_ascii=False)
    shown = json.dumps(answer)  # no address or phone (the number itself: a code may hold "555")
    assert "12 Elm St" not in shown and "555-0123" not in shown and "5550123" not in shown

    keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    token = jws.JWS()
    token.deserialize(qr_chunks_to_jws(chunks))
    token.verify(keys.get_key(token.jose_header["kid"]), alg="ES256")
    payload = json.loads(zlib.decompress(token.payload, wbits=-15))
    entries = payload["vc"]["credentialSubject"]["fhirBundle"]["entry"]
    assert entries[0]["resource"]["birthDate"] == "2019-03-14"
    assert len(entries) == 1 + 12  # the patient and every dose

    short = _verify(client, _printed_short_code(pdf))
    assert short["status"] == "authentic"


def test_reprinting_makes_the_first_printout_out_of_date_not_revoked(client, make, login) -> None:
    """Nothing on the first paper became wrong: it stays genuine, /verify says a newer
    printout exists, and the published revocation list stays empty."""
    _, link = _family_with_doses(make, login, client)
    first = _print(client, link.id)
    second = _print(client, link.id)

    for proof in (_scan(first)[0], _printed_short_code(first)):
        answer = _verify(client, proof)
        assert (answer["status"], answer["newer_printout_exists"]) == ("authentic", True)
    answer = _verify(client, _scan(second)[0])
    assert (answer["status"], answer["newer_printout_exists"]) == ("authentic", False)
    [key] = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert "crlVersion" not in key
    assert client.get(f"/.well-known/crl/{key['kid']}.json").status_code == 404


def test_printing_needs_the_link_and_a_csrf_token(client, make, login) -> None:
    _, link = _family_with_doses(make, login, client, count=2)
    assert client.post(f"/records/{link.id}/shot-record.pdf", csrf=False).status_code == 400
    # A GET only explains where printing is done (tests/records/test_print_view.py).
    get = client.get(f"/records/{link.id}/shot-record.pdf")
    assert get.status_code == 200 and get.mimetype == "text/html"


def test_a_printout_without_doses_revokes_the_older_printouts(client, make, login, db):
    """The only dose was deleted after the first printout; the new printout has no QR
    code, and the first, which shows the deleted dose, is revoked here and in any
    verifier that reads our revocation list."""
    import sqlalchemy as sa

    from portal.proof.cards import is_revoked, validate_crl
    from portal.proof.cards.codec import b64url_decode, inflate_raw
    from portal.registry import Immunization

    child, link = _family_with_doses(make, login, client, count=1)
    first = _print(client, link.id)
    db.execute(
        sa.update(Immunization).where(Immunization.patient_id == child.id).values(deleted=True)
    )
    db.commit()
    second = _print(client, link.id)
    assert "This printout has no QR code" in pdf_text(second)

    for proof in (_scan(first)[0], _printed_short_code(first)):
        assert _verify(client, proof)["status"] == "revoked"
    [key] = client.get("/.well-known/jwks.json").get_json()["keys"]
    crl = client.get(f"/.well-known/crl/{key['kid']}.json").get_json()
    assert validate_crl(crl, kid=key["kid"], crl_version=key["crlVersion"]) == []
    jws = qr_chunks_to_jws(_scan(first))
    payload = json.loads(inflate_raw(b64url_decode(jws.split(".")[1])))
    assert is_revoked(crl["rids"], payload["vc"]["rid"], payload["nbf"])


def test_six_parallel_printouts_through_the_print_page_leave_exactly_one_current(
    app, client, make, login
) -> None:
    """The issue's case, end to end: six prints of one record at once, each its own
    request (and database session). Each card gets its own point; exactly one reads
    as the newest printout, the others as genuine but older; none as revoked."""
    import threading

    _, link = _family_with_doses(make, login, client, count=4)
    clients = [client] + [app.test_client() for _ in range(5)]
    for other in clients[1:]:
        with client.session_transaction() as signed_in, other.session_transaction() as sess:
            sess.update(dict(signed_in))
    barrier = threading.Barrier(len(clients))
    pdfs: list[bytes] = []
    failures: list[BaseException] = []

    def print_once(c) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            pdfs.append(_print(c, link.id))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=print_once, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == [] and len(pdfs) == 6
    answers = [_verify(client, _printed_short_code(pdf)) for pdf in pdfs]
    assert {a["status"] for a in answers} == {"authentic"}
    assert sorted(a["newer_printout_exists"] for a in answers) == [False] + [True] * 5
    import sqlalchemy as sa

    from portal.proof.models import IssuedCard

    session = app.extensions["portal.db"]()
    points = session.scalars(sa.select(IssuedCard.nbf)).all()
    session.close()
    assert len(set(points)) == 6
