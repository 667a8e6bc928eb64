"""Does the automatic match's response time tell a stranger whether a child is in the registry?

Builds the app on a temporary SQLite database (or PORTAL_BENCH_DATABASE_URL) with
one child whose email is on file, then posts the match form alternately with the
child's true details and with details that match nobody, N times each,
interleaved so that drift hits both alike. Prints the medians, their difference
and the spread of each. Rate limits and CSRF are off here: they are not what
is measured. Run from the repository root:

    /work/venv/bin/python bench/bench_link_timing.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.accounts.passwords import hash_password  # noqa: E402
from portal.accounts.sessions import start_session  # noqa: E402
from portal.db import engine_for  # noqa: E402
from portal.models import metadata  # noqa: E402
from portal.orm import utcnow  # noqa: E402
from portal.registry import Organization, OrgKind, Patient, RecordSource  # noqa: E402

N = 200
MATCH = {
    "first_name": "lucia",
    "last_name": "garcia lopez",
    "birth_date": "2019-03-14",
    "contact": "Garcia.Family@example.org",
    "relationship": "parent",
}
NO_MATCH = {**MATCH, "first_name": "luciana"}


def seed(session) -> str:  # type: ignore[no-untyped-def]
    clinic = Organization(identifier="BENCH-1", name="Bench Clinic", kind=OrgKind.PROVIDER)
    session.add(
        Patient(
            registry_id="CA-BENCH-1",
            first_name="Lucía",
            last_name="García-López",
            birth_date=date(2019, 3, 14),
            email="garcia.family@example.org",
            source=RecordSource.PROVIDER_REPORT,
            disclosed=True,
            shared=True,
            owner=clinic,
        )
    )
    user = User(email="bench@example.org", password_hash=hash_password("x" * 12))
    user.email_confirmed_at = utcnow()
    session.add(user)
    session.flush()
    token = start_session(session, user).token
    session.commit()
    return token


def timed_post(client, data: dict[str, str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    response = client.post("/records/add/match", data=data)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'b.db'}"
        engine = engine_for(url)
        metadata.drop_all(engine)
        metadata.create_all(engine)
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-" + "x" * 40,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        session = app.extensions["portal.db"]()
        token = seed(session)
        session.close()
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = token
        for _ in range(10):  # warm-up
            timed_post(client, MATCH)
            timed_post(client, NO_MATCH)
        matched, unmatched = [], []
        for _ in range(N):
            matched.append(timed_post(client, MATCH))
            unmatched.append(timed_post(client, NO_MATCH))
        metadata.drop_all(engine)
        engine.dispose()
    m, u = statistics.median(matched), statistics.median(unmatched)
    spread = statistics.quantiles(matched + unmatched, n=4)
    print(
        f"match median {m:.2f} ms | no-match median {u:.2f} ms | difference {m - u:+.2f} ms"
        f" | interquartile range of all {spread[2] - spread[0]:.2f} ms | n={N} each"
    )


if __name__ == "__main__":
    main()
