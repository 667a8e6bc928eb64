"""Which reminders a record's status calls for, given what was sent (plain, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable

from portal.forecast.status import RecordStatus, Stage

# (vaccine group, stage, dose number, due from): one reminder
Key = tuple[str, str, int, object]

REMINDED = (Stage.DUE, Stage.OVERDUE)


def reminder_keys(status: RecordStatus) -> list[Key]:
    """A key per group whose next dose is due or overdue today."""
    return [
        (g.group, g.stage.value, g.dose_number or 0, g.recommended)
        for g in status.groups
        if g.stage in REMINDED and g.recommended is not None
    ]


def to_send(status: RecordStatus, sent: Iterable[Key]) -> list[Key]:
    """The keys not sent before: a dose that has become due, or overdue, since the last run."""
    done = set(sent)
    return [key for key in reminder_keys(status) if key not in done]
