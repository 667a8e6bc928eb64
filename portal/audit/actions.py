"""The kinds of staff action the trail holds (no Flask here).

Stored by value; a feature may add its own action here as it starts recording it.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    RECORD_VIEWED = "record.viewed"
    RECORD_EDITED = "record.edited"
    DOCUMENT_VIEWED = "document.viewed"
    ACCESS_CODE_ISSUED = "access_code.issued"
    REQUEST_CLAIMED = "request.claimed"
    REQUEST_TRANSITION = "request.transition"
    STAFF_CREATED = "staff.created"
    STAFF_DISABLED = "staff.disabled"
    STAFF_ENABLED = "staff.enabled"
    STAFF_SECOND_FACTOR_RESET = "staff.second_factor_reset"
    CANNED_REPLY_ADDED = "canned_reply.added"
    CANNED_REPLY_EDITED = "canned_reply.edited"
    CANNED_REPLY_RETIRED = "canned_reply.retired"
    CANNED_REPLY_RESTORED = "canned_reply.restored"
    TEMPORARY_PASSWORD_CHANGED = "staff.temporary_password_changed"  # noqa: S105 (a name)
