"""An answer floor: the response leaves no sooner than a set time after the request began.

A view whose outcomes must not be told apart by their timing (a reset link queued for an
account, nothing for an unknown address) asks for a floor; `portal.db` waits it out after
the request's commit, because committing a transaction that wrote a row costs a disk sync
that one which wrote nothing does not (about 4 ms on SQLite, left over when the wait came
before the commit). linking.web.wait_out_the_floor waits before the commit: there both
outcomes write the same rows but for one message.
"""

from __future__ import annotations

import time

from flask import g

DEFAULT_SECONDS = 0.2


def hold_answer(seconds: float, *, started: float) -> None:
    """Hold this request's response until `seconds` after `started` (a time.monotonic())."""
    deadline = started + seconds
    g._answer_not_before = max(g.get("_answer_not_before", deadline), deadline)


def wait_out() -> None:
    """Called by portal.db after the commit (or rollback) of the request."""
    deadline = g.pop("_answer_not_before", None)
    if deadline is not None:
        left = deadline - time.monotonic()
        if left > 0:
            time.sleep(left)
