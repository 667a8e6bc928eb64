"""The words of the staff request page: actions, kinds, statuses, timeline entries, refusals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.registry.vaccines import lookup

from .family_forms import ABOUT_CHOICES, DETAILS, DOSE_PROBLEMS
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

# The help desk's one name for each kind and status: the queue, its filters, the figures
# and the request page (the family's words are in labels.py).
KIND_LABELS = {
    RequestKind.VERIFICATION: _l("Verify a parent"),
    RequestKind.CORRECTION: _l("Correct the record"),
    RequestKind.LOCK: _l("Lock the record"),
    RequestKind.UNLOCK: _l("Unlock the record"),
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
    "summary": _l("Summary"),
    # A mistake reported from the record page (family_views._report_details).
    "about": _l("What is the mistake about?"),
    "shot": _l("Which shot"),
    "problem": _l("What is wrong with it"),
    "detail": _l("Which detail"),
    "wrong": _l("What the record says now"),
    "right": _l("What is right"),
}

RELATIONSHIP_LABELS = {
    "parent": _l("Parent"),
    "guardian": _l("Legal guardian"),
    "self": _l("It is my own record"),
}

# The words for the codes the family's forms store, by the detail they are stored under.
_CODE_WORDS = {
    "relationship": RELATIONSHIP_LABELS,
    "about": {c.value: c.label for c in ABOUT_CHOICES},
    "problem": {c.value: c.label for c in DOSE_PROBLEMS},
    "detail": {c.value: c.label for c in DETAILS},
}
# Read in this order (a JSON column need not keep the order the details were written in).
_ORDER = (
    *("first_name", "middle_name", "last_name", "birth_date", "relationship"),
    *("about", "shot", "problem", "detail", "wrong", "right"),
    *("description", "summary", "note"),
)
# Kept for the record's sake, not for reading: what was changed, by whom, the dose's ids.
_NOT_SHOWN = frozenset({"changes", "filed_by", "channel", "immunization_id", "cvx", "given_on"})


def family_details(details: Mapping[str, Any], locale: str) -> list[tuple[str, str]]:
    """What the family gave, as (label, value) pairs in the reader's language: the codes its
    choices store as their words, and the shot a report is about as its vaccine and date.
    Empty values are left out; a detail without words here is shown under its own key."""
    given = {k: v for k, v in details.items() if k not in _NOT_SHOWN and v not in (None, "")}
    if details.get("immunization_id"):
        vaccine = lookup(str(details.get("cvx", "")))
        name = vaccine.name(locale) if vaccine else ""
        given["shot"] = f"{name} (CVX {details.get('cvx')}), {details.get('given_on', '')}"
    keys = [k for k in _ORDER if k in given] + sorted(k for k in given if k not in _ORDER)
    shown = []
    for key in keys:
        value = given[key]
        words = _CODE_WORDS.get(key, {})
        shown.append((str(DETAIL_NAMES.get(key, key)), str(words.get(value, value))))
    return shown


STATUS_LABELS = {
    RequestStatus.SUBMITTED: _l("Waiting"),
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
