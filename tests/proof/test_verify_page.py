"""/verify for people: paste, photo and code; results; the school's access-log entry; limits."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from PIL import Image

from portal.accounts.models import Role
from portal.proof.cards import generate_key, qr_png, sign_card
from portal.proof.cards.codec import b64url_decode, inflate_raw
from portal.proof.cards.qr import jws_to_qr_chunks
from portal.registry import AccessAction, AccessChannel, AccessEvent, OrgKind
from tests.proof.conftest import ISSUER

AUTHENTIC = "Genuine: this shot record is authentic and up to date"
REVOKED = "Corrected since: do not accept this printout"
OUT_OF_DATE = "Genuine, but not the newest printout of this record"
NOT_AUTHENTIC = "Not confirmed: do not accept this record as proof"
FOREIGN = "Not from this registry"
NO_CODE = "No record matches this verification code"


def paste(client, text: str, **kw):
    return client.post("/verify", data={"text": text, "check_text": "Check"}, **kw)


def by_code(client, code: str):
    return client.post("/verify", data={"code": code, "check_code": "Check"})


def upload(client, data: bytes, filename: str = "qr.png"):
    return client.post(
        "/verify",
        data={"image": (io.BytesIO(data), filename), "check_image": "Check"},
        content_type="multipart/form-data",
    )


def access_events(db) -> list[AccessEvent]:
    db.expire_all()
    return db.scalars(sa.select(AccessEvent)).all()


def test_the_page_offers_three_labelled_ways(client) -> None:
    page = client.get("/verify").get_data(as_text=True)
    assert page.count("<h1") == 1
    for field_id in ("code", "image", "text"):
        assert f'<label for="{field_id}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_pasted_qr_text_of_our_card_is_authentic(client, child, issue) -> None:
    proof = issue(child)
    response = paste(client, proof.qr_chunks[0])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert AUTHENTIC in page
    assert "Maria Elena Lopez" in page
    assert "March 14, 2019" in page
    assert "MMR (measles, mumps, rubella)" in page  # plain-language name of CVX 03
    assert "Clinica del Valle, Tijuana" in page
    for private in ("12 Elm St", "5595550123", "Fresno", "Ana Lopez", child.registry_id):
        assert private not in page


def test_the_short_code_verifies_the_same_card(client, child, issue) -> None:
    proof = issue(child)
    typed = proof.short_code.lower().replace("-", " ")  # as a person might type it
    page = by_code(client, typed).get_data(as_text=True)
    assert AUTHENTIC in page
    assert "Maria Elena Lopez" in page


def test_reprinting_makes_the_first_printout_out_of_date_but_genuine(
    client, child, issue
) -> None:
    first = issue(child)
    second = issue(child)
    for page in (
        paste(client, first.qr_chunks[0]).get_data(as_text=True),
        by_code(client, first.short_code).get_data(as_text=True),
    ):
        assert OUT_OF_DATE in page
        assert AUTHENTIC not in page and REVOKED not in page
        assert "Maria Elena Lopez" in page
        assert "If the shots your school requires are all on this paper" in page
    assert AUTHENTIC in paste(client, second.qr_chunks[0]).get_data(as_text=True)


def test_a_correction_makes_the_first_printout_revoked(client, child, issue, correct) -> None:
    first = issue(child)
    correct(child)
    second = issue(child)
    for page in (
        paste(client, first.qr_chunks[0]).get_data(as_text=True),
        by_code(client, first.short_code).get_data(as_text=True),
    ):
        assert REVOKED in page
        assert "Maria Elena Lopez" in page  # still shows what the paper says
        assert "Ask the family for a new printout" in page
    assert AUTHENTIC in paste(client, second.qr_chunks[0]).get_data(as_text=True)
    assert AUTHENTIC in by_code(client, second.short_code).get_data(as_text=True)


def test_a_card_signed_by_another_key_in_our_name_is_not_authentic(
    client, child, issue, db
) -> None:
    genuine = issue(child).qr_chunks[0]
    jws = "".join(chr(int(genuine[5:][i : i + 2]) + 45) for i in range(0, len(genuine) - 5, 2))
    payload = json.loads(inflate_raw(b64url_decode(jws.split(".")[1])))
    forged = sign_card(
        payload["vc"]["credentialSubject"]["fhirBundle"],
        issuer=ISSUER,
        key=generate_key(),
        nbf=payload["nbf"] + 10,
        rid=payload["vc"]["rid"],
    )
    page = paste(client, jws_to_qr_chunks(forged)[0]).get_data(as_text=True)
    assert NOT_AUTHENTIC in page
    assert "Maria Elena Lopez" not in page


def test_a_card_of_another_issuer_is_unknown(client, spec_example_qr) -> None:
    page = paste(client, spec_example_qr).get_data(as_text=True)
    assert FOREIGN in page
    assert "UNKNOWN_ISSUER" in page
    assert "John B. Anyperson" not in page  # unverified content is never shown


def test_garbage_is_not_authentic_and_never_a_server_error(client) -> None:
    for text in ("hello", "shc:/99", "shc:/", "a.b.c", '{"verifiableCredential": 5}', "é" * 50):
        response = paste(client, text)
        assert response.status_code == 200, text
        assert NOT_AUTHENTIC in response.get_data(as_text=True), text


def test_a_photo_of_our_qr_code_verifies(client, child, issue) -> None:
    proof = issue(child)
    page = upload(client, qr_png(proof.qr_chunks[0], scale=3)).get_data(as_text=True)
    assert AUTHENTIC in page
    assert "Maria Elena Lopez" in page


def test_a_jpeg_photo_verifies_too(client, child, issue) -> None:
    proof = issue(child)
    image = Image.open(io.BytesIO(qr_png(proof.qr_chunks[0], scale=4))).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    assert AUTHENTIC in upload(client, out.getvalue(), "photo.jpg").get_data(as_text=True)


def test_a_file_that_is_not_an_image_is_refused_with_the_form_shown_again(client) -> None:
    response = upload(client, b"%PDF-1.7 not a picture", "record.png")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This file is not a photo we can read" in page
    assert 'aria-invalid="true"' in page
    assert "Check a shot record" in page
    assert NOT_AUTHENTIC not in page


def test_a_picture_without_a_qr_code_asks_for_a_better_photo(client) -> None:
    blank = io.BytesIO()
    Image.new("L", (200, 200), "white").save(blank, format="PNG")
    page = upload(client, blank.getvalue()).get_data(as_text=True)
    assert "We could not find a QR code in this picture" in page
    assert NOT_AUTHENTIC not in page


def test_a_mistyped_code_is_explained_and_an_unknown_code_matches_nothing(client) -> None:
    page = by_code(client, "K7Q4-M9TX").get_data(as_text=True)
    assert "A verification code has 16 letters and numbers" in page
    page = by_code(client, "K7Q4-M9TX-3HBR-WP2F").get_data(as_text=True)
    assert NO_CODE in page


def test_the_html_forms_need_their_csrf_token(client, child, issue) -> None:
    proof = issue(child)
    response = paste(client, proof.qr_chunks[0], csrf=False)
    assert AUTHENTIC not in response.get_data(as_text=True)


def test_vaccine_names_follow_the_language(client, child, issue) -> None:
    proof = issue(child)
    response = client.post(
        "/verify",
        data={"text": proof.qr_chunks[0], "check_text": "Check"},
        headers={"Accept-Language": "es"},
    )
    assert "MMR (sarampión, paperas, rubéola)" in response.get_data(as_text=True)


def test_a_school_check_is_logged_as_that_school(client, db, make, login, child, issue) -> None:
    school = make.org(kind=OrgKind.SCHOOL, name="Roosevelt Elementary")
    verifier = make.user(role=Role.SCHOOL_VERIFIER, organization=school)
    login(client, verifier)
    proof = issue(child)
    page = by_code(client, proof.short_code).get_data(as_text=True)
    assert "listed in the record's access log under Roosevelt Elementary" in page
    [event] = access_events(db)
    assert (event.patient_id, event.organization_id, event.user_id) == (
        child.id,
        school.id,
        verifier.id,
    )
    assert event.action == AccessAction.VERIFY
    assert event.channel == AccessChannel.VERIFIER


def test_a_school_checking_a_foreign_or_forged_card_logs_nothing(
    client, db, make, login, spec_example_qr
) -> None:
    verifier = make.user(role=Role.SCHOOL_VERIFIER, organization=make.org(kind=OrgKind.SCHOOL))
    login(client, verifier)
    paste(client, spec_example_qr)
    paste(client, "garbage")
    assert access_events(db) == []


def test_anonymous_and_parent_checks_log_nothing(client, db, make, login, child, issue) -> None:
    proof = issue(child)
    assert AUTHENTIC in paste(client, proof.qr_chunks[0]).get_data(as_text=True)
    login(client, make.user(role=Role.PARENT))
    assert AUTHENTIC in paste(client, proof.qr_chunks[0]).get_data(as_text=True)
    assert access_events(db) == []


def test_anonymous_checks_are_rate_limited(client) -> None:
    for _ in range(20):
        assert paste(client, "garbage").status_code == 200
    assert paste(client, "garbage").status_code == 429
    assert client.get("/verify").status_code == 200  # reading the page is not a check


def test_signed_in_schools_are_not_held_to_the_anonymous_limit(client, make, login) -> None:
    login(client, make.user(role=Role.SCHOOL_VERIFIER, organization=make.org(kind=OrgKind.SCHOOL)))
    for _ in range(25):
        assert paste(client, "garbage").status_code == 200


def test_a_signed_in_school_has_a_generous_limit_of_its_own(client, make, login) -> None:
    from portal.accounts.models import Role

    school = make.org(kind="school")
    login(client, make.user(role=Role.SCHOOL_VERIFIER, organization=school))
    codes = [
        client.post("/verify", data={"code": "AAAA-BBBB-CCCC-DDDD"}).status_code for _ in range(25)
    ]
    assert 429 not in codes  # past the anonymous 20 a minute


def test_a_signed_in_school_is_still_capped(client, make, login) -> None:
    from portal.accounts.models import Role
    from portal.proof.views import SCHOOL_LIMIT

    per_hour = int(SCHOOL_LIMIT.split()[0])
    school = make.org(kind="school")
    login(client, make.user(role=Role.SCHOOL_VERIFIER, organization=school))
    codes = [client.post("/verify", data={"code": "x"}).status_code for _ in range(per_hour + 1)]
    assert 429 not in codes[:per_hour]
    assert codes[per_hour] == 429
