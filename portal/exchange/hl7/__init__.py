"""HL7 v2.5.1 immunization messages as the CDC guide (IG 1.5) describes them.

Bytes in, bytes out; pure functions and small dataclasses, no web framework
(shaped like portal.proof.cards). See README.md beside this file.
"""

from .build import Repeated, Sender, build_ack, build_rsp, encode_field, msh_segment, segment
from .escapes import DEFAULT, Delimiters, decode, encode
from .message import Header, Message, Segment, Unreadable, format_timestamp, parse, parse_date
from .problems import APPLICATION_ERRORS, HL7_ERRORS, Location, Problem, verdict
from .process import Checked, acknowledge, check
from .rules import SEGMENT_RULES, FieldRule, Severity, Usage
from .validate import resolve_cvx, unreadable_problem, validate
from .vxu import (
    Address,
    Dose,
    Guardian,
    Identifier,
    Name,
    Observation,
    Phone,
    Query,
    Vxu,
    read_query,
    read_vxu,
)

__all__ = [
    "APPLICATION_ERRORS",
    "DEFAULT",
    "HL7_ERRORS",
    "SEGMENT_RULES",
    "Address",
    "Checked",
    "Delimiters",
    "Dose",
    "FieldRule",
    "Guardian",
    "Header",
    "Identifier",
    "Location",
    "Message",
    "Name",
    "Observation",
    "Phone",
    "Problem",
    "Query",
    "Repeated",
    "Segment",
    "Sender",
    "Severity",
    "Unreadable",
    "Usage",
    "Vxu",
    "acknowledge",
    "build_ack",
    "build_rsp",
    "check",
    "decode",
    "encode",
    "encode_field",
    "format_timestamp",
    "msh_segment",
    "parse",
    "parse_date",
    "read_query",
    "read_vxu",
    "resolve_cvx",
    "segment",
    "unreadable_problem",
    "validate",
    "verdict",
]
