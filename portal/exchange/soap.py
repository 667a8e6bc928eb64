"""`/exchange/soap`: the CDC's SOAP 1.2 web service for immunization information systems
(WSDL namespace `urn:cdc:iisb:2014`, the checked-in cdc_iis.wsdl, served at
`GET /exchange/soap?wsdl`).

Two operations: `submitSingleMessage` (username, password, facilityID, hl7Message; the
return is the answer text, exactly what `POST /exchange/hl7` answers for the same message:
both call views.answer_message) and `connectivityTest` (echoBack; the return echoes it).
Faults, each a SOAP 1.2 env:Sender fault (HTTP 400) with the WSDL's detail element:
SecurityFault (a wrong, unknown or revoked credential), MessageTooLargeFault (hl7Message
over views.MAX_BODY, or an envelope too large to read), UnsupportedOperationFault (any
other body element) and `fault` for an envelope that cannot be read. Never a 500.

The envelope is parsed by lxml with entities unresolved, no network and no huge trees:
a DOCTYPE's external entity is never fetched nor a file read (XXE), and a DOCTYPE at all
is refused. CSRF-exempt for the HTTP route's reason (the credential is in every request's
body; no session cookie is read), with the same per-address and per-organization limits
(the organization is the username's, read from the envelope; one budget for both
transports).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import resources

from flask import Response, g, request, url_for
from flask_limiter.util import get_remote_address
from lxml import etree

from portal.access import ORGANIZATION_SYSTEM, allow
from portal.db import db
from portal.extensions import csrf, limiter

from .credentials import authenticate, username_organization
from .views import (
    MAX_BODY,
    ORGANIZATION_SCOPE,
    PER_ADDRESS,
    _organization_limit,
    answer_message,
    bp,
)

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
IIS = "urn:cdc:iisb:2014"
MEDIA_TYPE = "application/soap+xml; charset=utf-8"
# The envelope around a message at the limit: XML escaping can grow the text (& -> &amp;)
# and the credential, facility and namespaces add a little.
MAX_ENVELOPE = 2 * MAX_BODY + 16 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
    dtd_validation=False, remove_comments=True,
)  # fmt: skip


class SoapFault(Exception):
    def __init__(self, name: str, code: int, reason: str, detail: str,
                 extra: dict[str, int] | None = None) -> None:  # fmt: skip
        super().__init__(reason)
        self.name, self.code, self.reason, self.detail = name, code, reason, detail
        self.extra = extra or {}


def _unreadable(detail: str) -> SoapFault:
    return SoapFault("fault", 1, "The request is not a SOAP 1.2 envelope this service reads",
                     detail)  # fmt: skip


def _too_large(size: int) -> SoapFault:
    return SoapFault("MessageTooLargeFault", 2, "Message too large",
                     "The request is larger than this service reads",
                     {"Size": size, "MaxSize": MAX_BODY})  # fmt: skip


@dataclass(frozen=True)
class Call:
    operation: str
    fields: dict[str, str]


def read_envelope(body: bytes) -> Call:
    """The operation and its fields (local name -> text) of a SOAP 1.2 request."""
    if len(body) > MAX_ENVELOPE:
        raise _too_large(len(body))
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise _unreadable("The XML is not well formed") from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _unreadable("A document type declaration is not accepted")
    if root.tag != f"{{{SOAP12}}}Envelope":
        raise _unreadable("The root is not a SOAP 1.2 Envelope")
    bodies = root.findall(f"{{{SOAP12}}}Body")
    if len(bodies) != 1:
        raise _unreadable("The envelope has no single Body")
    operations = [child for child in bodies[0] if isinstance(child.tag, str)]
    if len(operations) != 1:
        raise _unreadable("The Body does not hold exactly one operation")
    operation = operations[0]
    namespace, _, name = operation.tag.lstrip("{").partition("}")
    if namespace != IIS or name not in {"submitSingleMessage", "connectivityTest"}:
        raise SoapFault("UnsupportedOperationFault", 3, "Unsupported operation",
                        "This service offers submitSingleMessage and connectivityTest")  # fmt: skip
    fields: dict[str, str] = {}
    for child in operation:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{IIS}}}"):
            fields[etree.QName(child).localname] = "".join(child.itertext())
    return Call(name, fields)


def _envelope(body: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"env": SOAP12, "tns": IIS})
    etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(body)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (an answer echoes what it was
    sent, and a decoded escape may be a control character)."""
    return "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff"
                   or "\ue000" <= c <= "\ufffd" or c >= "\U00010000")  # fmt: skip


def _response(operation: str, text: str) -> Response:
    element = etree.Element(f"{{{IIS}}}{operation}Response", nsmap={"tns": IIS})
    etree.SubElement(element, f"{{{IIS}}}return").text = _xml_text(text)
    return Response(_envelope(element), status=200, content_type=MEDIA_TYPE)


def fault_response(fault: SoapFault) -> Response:
    element = etree.Element(f"{{{SOAP12}}}Fault", nsmap={"env": SOAP12})
    code = etree.SubElement(element, f"{{{SOAP12}}}Code")
    etree.SubElement(code, f"{{{SOAP12}}}Value").text = "env:Sender"
    reason = etree.SubElement(element, f"{{{SOAP12}}}Reason")
    text = etree.SubElement(reason, f"{{{SOAP12}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = fault.reason
    detail = etree.SubElement(etree.SubElement(element, f"{{{SOAP12}}}Detail"),
                              f"{{{IIS}}}{fault.name}", nsmap={"tns": IIS})  # fmt: skip
    for name, value in [("Code", str(fault.code)), ("Reason", fault.reason),
                        ("Detail", fault.detail),
                        *((k, str(v)) for k, v in fault.extra.items())]:  # fmt: skip
        etree.SubElement(detail, f"{{{IIS}}}{name}").text = value
    return Response(_envelope(element), status=400, content_type=MEDIA_TYPE)


def _call() -> Call | SoapFault:
    """This request's envelope, read once (the limiter's key and the view both need it)."""
    if "soap_call" not in g:
        length = request.content_length
        try:
            if length is not None and length > MAX_ENVELOPE:  # refused unread
                raise _too_large(length)
            g.soap_call = read_envelope(request.stream.read(MAX_ENVELOPE + 1))
        except SoapFault as fault:
            g.soap_call = fault
    return g.soap_call  # type: ignore[no-any-return]


def soap_organization_key() -> str:
    call = _call()
    username = call.fields.get("username", "") if isinstance(call, Call) else ""
    org_id = username_organization(db.session, username) if username else None
    return f"org:{org_id}" if org_id is not None else f"org-unknown:{get_remote_address()}"


def _wsdl() -> Response:
    text = resources.files("portal.exchange").joinpath("cdc_iis.wsdl").read_text("utf-8")
    address = url_for("exchange.soap", _external=True)
    return Response(text.replace("SERVICE_ADDRESS", address), status=200,
                    content_type="text/xml; charset=utf-8")  # fmt: skip


@bp.route("/exchange/soap", methods=["GET", "POST"])
@allow(ORGANIZATION_SYSTEM)
@limiter.limit(PER_ADDRESS)
@limiter.shared_limit(_organization_limit, ORGANIZATION_SCOPE, key_func=soap_organization_key,
                      exempt_when=lambda: request.method == "GET")  # fmt: skip
@csrf.exempt  # see the module's docstring: the credential is in the body, no session
def soap() -> Response:
    if request.method == "GET":
        if "wsdl" not in request.args:
            return Response("Add ?wsdl for the service description.", status=404,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
        return _wsdl()
    g.exchange_started = time.monotonic()
    call = _call()
    if isinstance(call, SoapFault):
        return fault_response(call)
    if call.operation == "connectivityTest":
        return _response("connectivityTest", call.fields.get("echoBack", ""))
    organization = authenticate(db.session, call.fields.get("username", ""),
                                call.fields.get("password", ""))  # fmt: skip
    if organization is None:
        return fault_response(SoapFault("SecurityFault", 10, "Security fault",
                                        "The username or password is not valid"))  # fmt: skip
    message = call.fields.get("hl7Message", "").encode("utf-8")
    if len(message) > MAX_BODY:
        return fault_response(SoapFault("MessageTooLargeFault", 2, "Message too large",
                                        "The message is larger than this service accepts",
                                        {"Size": len(message), "MaxSize": MAX_BODY}))  # fmt: skip
    answer = answer_message(db.session, organization, message)
    return _response("submitSingleMessage", answer.decode("utf-8"))
