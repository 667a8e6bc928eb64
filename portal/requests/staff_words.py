"""The words of the staff request page: actions, kinds, statuses, timeline entries, refusals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import RequestKind, RequestStatus
from .rules import RequestAction
from .staff_forms import DETAIL_LABELS

ACTION_LABELS = {
    RequestAction.CLAIM: _l("Claim"),
    RequestAction.RELEASE: _l("Release to the queue"),
    RequestAction.ASK_INFO: _l("Ask the family for information"),
    RequestAction.REJECT: _l("Reject, with a reason the family sees"),
    RequestAction.NOTE: _l("Add a staff-only note"),
    RequestAction.APPROVE: _l("Approve"),
}

KIND_LABELS = {
    RequestKind.VERIFICATION: _l("Verification of a parent"),
    RequestKind.CORRECTION: _l("Correction"),
    RequestKind.LOCK: _l("Lock"),
    RequestKind.UNLOCK: _l("Unlock"),
}

# Timeline entries by their action (what take_action and the submitting features write).
EVENT_LABELS = {
    "submitted": _l("Submitted"),
    "claim": _l("Claimed"),
    "release": _l("Released to the queue"),
    "ask_info": _l("Asked the family for information"),
    "answer": _l("The family answered"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "withdraw": _l("Withdrawn by the family"),
    "note": _l("Staff note"),
    "document_viewed": _l("Document opened"),
}

# The request's details as the family gave them (other keys are shown as they are).
DETAIL_NAMES = {
    **DETAIL_LABELS,
    "birth_date": _l("Birth date"),
    "relationship": _l("Relationship"),
    "note": _l("Anything the help desk should know"),
    "description": _l("What the family asks"),
}

RELATIONSHIP_LABELS = {
    "parent": _l("Parent"),
    "guardian": _l("Legal guardian"),
    "self": _l("It is my own record"),
}

STATUS_LABELS = {
    RequestStatus.SUBMITTED: _l("Submitted"),
    RequestStatus.IN_REVIEW: _l("In review"),
    RequestStatus.NEEDS_INFO: _l("Waiting for the family"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}

LINK_REFUSALS = {
    "guardian_adult": _l(
        "This person is an adult now: a parent's link would end at once. "
        "Ask the person to link their own record."
    ),
    "self_minor": _l("The person is under 18: a parent or guardian links this record."),
    "future": _l("This record's birth date is in the future."),
}

CORRECTION_REFUSALS = {
    "no such dose on this record": _l("That dose is not on this record any more."),
    "unknown vaccine code": _l("Choose a vaccine from the list."),
    "the change changes nothing": _l("The record already says that: nothing to change."),
    "this detail cannot be empty": _l("This detail cannot be empty."),
    "a birth date is a date": _l("Write the birth date as YYYY-MM-DD."),
    "the request names no record": _l("This request names no record to correct."),
}
