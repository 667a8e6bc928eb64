"""What the family reads for a request's kind, status and timeline steps (lazy strings).

The words are general on purpose: they also go into emails, which carry no health details.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import RequestKind, RequestStatus
from .rules import RequestAction

STATUS_LABELS = {
    RequestStatus.SUBMITTED: _l("Sent, waiting for the help desk"),
    RequestStatus.IN_REVIEW: _l("The help desk is checking it"),
    RequestStatus.NEEDS_INFO: _l("The help desk needs more information"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Not approved"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}

KIND_LABELS = {
    RequestKind.VERIFICATION: _l("Add a record to your list"),
    RequestKind.CORRECTION: _l("Report a mistake"),
    RequestKind.LOCK: _l("Lock a record"),
    RequestKind.UNLOCK: _l("Unlock a record"),
}

# The family's timeline: what each public step was. "submitted" is written at filing.
STEP_LABELS = {
    "submitted": _l("You sent the request"),
    RequestAction.CLAIM.value: _l("The help desk started checking it"),
    RequestAction.ASK_INFO.value: _l("The help desk asked for more information"),
    RequestAction.ANSWER.value: _l("You answered"),
    RequestAction.APPROVE.value: _l("The help desk approved it"),
    RequestAction.REJECT.value: _l("The help desk did not approve it"),
    RequestAction.WITHDRAW.value: _l("You withdrew the request"),
}


def step_label(action: str) -> object:
    """A public step the table may grow later still reads as a change of status."""
    return STEP_LABELS.get(action, _l("The request was updated"))
