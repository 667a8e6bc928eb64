"""/exchange/soap, the CDC's SOAP 1.2 service, driven by zeep (a real SOAP client) through a
transport that posts into the Flask test client."""

from __future__ import annotations

import io

import pytest
import requests
import sqlalchemy as sa
import zeep
import zeep.exceptions
from lxml import etree

from portal.exchange.soap import IIS, SOAP12
from portal.exchange.views import MAX_BODY
from portal.registry import Patient

from .client import sender
from .samples import VXU_8

WSDL = "http://localhost/exchange/soap?wsdl"


class FlaskTransport(zeep.Transport):
    """zeep's HTTP transport, answered by the Flask test client instead of a network."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.client = client

    def _response(self, answer) -> requests.Response:  # type: ignore[no-untyped-def]
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.data
        response.headers.update(dict(answer.headers))
        response.encoding = "utf-8"
        response.raw = io.BytesIO(answer.data)
        return response

    def post(self, address, message, headers):  # type: ignore[no-untyped-def]
        path = address.replace("http://localhost", "")
        answer = self.client.post(path, data=message, headers=headers, csrf=False)
        return self._response(answer)

    def load(self, url):  # type: ignore[no-untyped-def]
        answer = self.client.get(url.replace("http://localhost", ""))
        assert answer.status_code == 200, answer.status_code
        return answer.data


@pytest.fixture
def service(client):  # type: ignore[no-untyped-def]
    return zeep.Client(WSDL, transport=FlaskTransport(client)).service


@pytest.fixture
def clinic(db, make):  # type: ignore[no-untyped-def]
    return sender(db, make, identifier="SUNRISE")


def credential(clinic) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    import base64

    raw = base64.b64decode(clinic.headers["Authorization"].split()[1]).decode()
    username, _, password = raw.partition(":")
    return username, password


def masked(answer: str) -> list[str]:
    """The answer's segments with MSH-7 (its time) and MSH-10 (its own control id) blanked."""
    segments = answer.rstrip("\r").split("\r")
    fields = segments[0].split("|")
    fields[6] = fields[9] = ""
    return ["|".join(fields), *segments[1:]]


def fault_detail(error: zeep.exceptions.Fault) -> tuple[str, dict[str, str]]:
    [element] = list(error.detail)
    return etree.QName(element).localname, {etree.QName(c).localname: c.text for c in element}


def test_the_wsdl_names_this_service_address(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/exchange/soap?wsdl")
    assert answer.status_code == 200 and answer.content_type.startswith("text/xml")
    root = etree.fromstring(answer.data)
    assert root.get("targetNamespace") == "urn:cdc:iisb:2014"
    [address] = root.iter("{http://schemas.xmlsoap.org/wsdl/soap12/}address")
    assert address.get("location") == "http://localhost/exchange/soap"
    assert client.get("/exchange/soap").status_code == 404


def test_connectivity_test_echoes(service) -> None:  # type: ignore[no-untyped-def]
    assert service.connectivityTest(echoBack="Hola, ¿registro?") == "Hola, ¿registro?"


def test_submit_single_message_answers_what_the_http_route_answers(
    client, db, service, clinic
) -> None:  # type: ignore[no-untyped-def]
    username, password = credential(clinic)
    unreadable = "PID|1||X\r"
    bad_rxa = VXU_8.replace("|CP|A", "|CP|Q").replace("MSG-0001", "MSG-0002")
    for message in (VXU_8, bad_rxa, unreadable):
        over_soap = service.submitSingleMessage(
            username=username, password=password, facilityID="SUNRISE", hl7Message=message
        )
        over_http = clinic.post(client, message)
        assert over_http.status_code == 200
        assert masked(over_soap) == masked(over_http.data.decode())
    assert "\rMSA|AR\r" in over_soap  # the last, unreadable one
    db.expire_all()
    [patient] = db.scalars(sa.select(Patient))  # one child, stored by the first message
    assert patient.owner_org_id == clinic.org_id


def test_the_first_answer_is_the_ack_of_an_accepted_vxu(service, clinic) -> None:  # type: ignore[no-untyped-def]
    username, password = credential(clinic)
    answer = service.submitSingleMessage(username=username, password=password,
                                         facilityID="SUNRISE", hl7Message=VXU_8)  # fmt: skip
    segments = answer.rstrip("\r").split("\r")
    assert segments[0].startswith("MSH|") and segments[1].startswith("MSA|AA|MSG-0001")


def test_a_wrong_password_is_a_security_fault(db, service, clinic) -> None:  # type: ignore[no-untyped-def]
    username, _ = credential(clinic)
    with pytest.raises(zeep.exceptions.Fault) as raised:
        service.submitSingleMessage(username=username, password="not-it",
                                    facilityID="SUNRISE", hl7Message=VXU_8)  # fmt: skip
    name, fields = fault_detail(raised.value)
    assert name == "SecurityFault" and fields["Code"] == "10"
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Patient)) == 0


def test_a_message_over_the_limit_is_message_too_large(service, clinic) -> None:  # type: ignore[no-untyped-def]
    username, password = credential(clinic)
    huge = VXU_8 + "NTE|1||" + "x" * MAX_BODY + "\r"
    with pytest.raises(zeep.exceptions.Fault) as raised:
        service.submitSingleMessage(username=username, password=password,
                                    facilityID="SUNRISE", hl7Message=huge)  # fmt: skip
    name, fields = fault_detail(raised.value)
    assert name == "MessageTooLargeFault"
    assert int(fields["Size"]) == len(huge.encode()) and int(fields["MaxSize"]) == MAX_BODY


def post(client, body: bytes | str):  # type: ignore[no-untyped-def]
    return client.post("/exchange/soap", data=body, csrf=False,
                       headers={"Content-Type": "application/soap+xml; charset=utf-8"})  # fmt: skip


def fault_of(answer) -> str:  # type: ignore[no-untyped-def]
    assert answer.status_code == 400, answer.status_code
    assert answer.content_type.startswith("application/soap+xml")
    root = etree.fromstring(answer.data)
    [detail] = root.find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault/{{{SOAP12}}}Detail")
    return etree.QName(detail).localname


ENVELOPE = (f'<env:Envelope xmlns:env="{SOAP12}" xmlns:i="{IIS}"><env:Body>{{}}'
            "</env:Body></env:Envelope>")  # fmt: skip


@pytest.mark.parametrize("body", [
    b"",
    b"not xml at all",
    b"<env:Envelope xmlns:env='" + SOAP12.encode() + b"'><env:Body>",  # cut
    b"<Envelope><Body/></Envelope>",  # no SOAP namespace
    ENVELOPE.format("").encode(),  # no operation
    "\udcff".encode("utf-8", "surrogatepass"),
    b"\xff\xfe<\x00",
])  # fmt: skip
def test_an_unreadable_envelope_is_a_soap_fault(client, body: bytes) -> None:  # type: ignore[no-untyped-def]
    assert fault_of(post(client, body)) == "fault"


def test_another_operation_is_unsupported(client) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, ENVELOPE.format("<i:submitBatch><i:x>1</i:x></i:submitBatch>"))
    assert fault_of(answer) == "UnsupportedOperationFault"


def test_an_external_entity_is_never_read(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("THE-SECRET-WORD")
    for doctype in (f'<!DOCTYPE e [<!ENTITY x SYSTEM "file://{secret}">]>',
                    '<!DOCTYPE e [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
                    '<!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                    '<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;">]>'):  # fmt: skip
        body = doctype + ENVELOPE.format(
            "<i:connectivityTest><i:echoBack>&x;</i:echoBack></i:connectivityTest>"
        )
        answer = post(client, body)
        assert fault_of(answer) == "fault"
        assert b"THE-SECRET-WORD" not in answer.data and b"aaaa" not in answer.data


def test_an_envelope_too_large_to_read_is_refused_unread(client) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, b"<" + b"x" * (3 * MAX_BODY))
    assert fault_of(answer) == "MessageTooLargeFault"


GOOD = ENVELOPE.format("<i:connectivityTest><i:echoBack>hi</i:echoBack></i:connectivityTest>")


def test_mutated_envelopes_get_an_answer_or_a_fault_never_a_500(client) -> None:  # type: ignore[no-untyped-def]
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    cuts = st.tuples(st.integers(0, len(GOOD)), st.integers(0, len(GOOD)), st.binary(max_size=40))

    @settings(max_examples=300, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(cuts)
    def check(cut: tuple[int, int, bytes]) -> None:
        start, end, insert = cut
        raw = GOOD.encode()
        body = raw[: min(start, end)] + insert + raw[max(start, end) :]
        answer = post(client, body)
        assert answer.status_code in (200, 400), answer.status_code
        root = etree.fromstring(answer.data)
        assert root.tag == f"{{{SOAP12}}}Envelope"
        if answer.status_code == 400:
            assert root.find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault") is not None

    check()
