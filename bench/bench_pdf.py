"""How much a printable shot record costs next to the cheapest request the app serves.

Builds the app on a temporary SQLite database with one family and a child with
30 doses, then times GET of the PDF and GET /healthz through the test client
in this process (no network), N times each after a warm-up, and prints the
medians and their ratio. Run from the repository root:

    /work/venv/bin/python bench/bench_pdf.py
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app  # noqa: E402
from portal.accounts.models import Role, User  # noqa: E402
from portal.accounts.passwords import hash_password  # noqa: E402
from portal.accounts.sessions import start_session  # noqa: E402
from portal.db import engine_for  # noqa: E402
from portal.linking.models import LinkMethod, PatientLink, Relationship  # noqa: E402
from portal.models import metadata  # noqa: E402
from portal.orm import utcnow  # noqa: E402
from portal.registry import Immunization, Organization, OrgKind, Patient, RecordSource  # noqa: E402

N = 30
WARMUP = 5
CVX = ["08", "110", "116", "133", "49", "140", "03", "21", "83", "115", "165", "114"]


def seed(session) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """A parent, a child with 30 doses from two clinics, and the link between them."""
    clinics = [
        Organization(identifier=f"BENCH{i}", name=name, kind=OrgKind.PROVIDER)
        for i, name in enumerate(["Valley Pediatrics", "Sunrise Community Health Center"])
    ]
    child = Patient(
        registry_id="CA90000001",
        first_name="María José",
        last_name="Ñuñez",
        birth_date=date(2014, 4, 2),
        source=RecordSource.PROVIDER_REPORT,
        disclosed=True,
        shared=True,
        owner=clinics[0],
    )
    for i in range(30):
        child.immunizations.append(
            Immunization(
                cvx_code=CVX[i % len(CVX)],
                given_on=child.birth_date + timedelta(days=60 * i),
                lot_number=f"LOT{i:03d}",
                administering_org=clinics[i % 2],
            )
        )
    parent = User(
        email="bench@example.com",
        password_hash=hash_password(secrets.token_urlsafe()),  # nobody signs in with it
        role=Role.PARENT,
        email_confirmed_at=utcnow(),
    )
    link = PatientLink(
        user=parent, patient=child, relationship_=Relationship.PARENT, method=LinkMethod.DEMO
    )
    session.add_all([*clinics, child, parent, link])
    session.flush()
    token = start_session(session, parent).token
    session.commit()
    return token, link.id


def median_ms(client, path: str, method: str = "GET") -> float:  # type: ignore[no-untyped-def]
    for _ in range(WARMUP):
        assert client.open(path, method=method).status_code == 200, path
    times = []
    for _ in range(N):
        start = time.perf_counter()
        response = client.open(path, method=method)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        metadata.create_all(engine_for(url))
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-" + "x" * 40,
                # The figure is the PDF and its signed card, not the CSRF check.
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,  # nor the per-account print limit
            }
        )
        with app.app_context():
            session = app.extensions["portal.db"]()
            token, link_id = seed(session)
            session.close()
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = token
        pdf = median_ms(client, f"/records/{link_id}/shot-record.pdf", "POST")
        health = median_ms(client, "/healthz")
        engine_for(url).dispose()
    print(
        f"pdf+signed QR median {pdf:.1f} ms | healthz median {health:.1f} ms"
        f" | ratio {pdf / health:.1f}x"
    )


if __name__ == "__main__":
    main()
