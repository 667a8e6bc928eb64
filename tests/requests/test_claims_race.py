"""bench/bench_claims.py, smaller: agents in threads claim and approve the same requests;
none is doubled or lost, on SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from portal.accounts.models import Role
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "bench_claims.py"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_claims", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_claims"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_claims"]


def test_three_agents_never_double_or_lose_a_request(app, bench) -> None:
    tally = bench.run_claims(app.extensions["portal.db"], trials=24, agents=3)
    assert tally.line() == "claims: 24 trials, 0 doubled, 0 lost"
    # Each of the 12 head-on races had one winner and two refusals: the races were real.
    assert tally.refused == 12 * 2


def test_the_count_sees_a_doubled_and_a_lost_request(db, make, bench) -> None:
    family, agent = make.user(), make.user(role=Role.AGENT)
    twice = Request(kind=RequestKind.LOCK, requester=family, status=RequestStatus.APPROVED)
    never = Request(kind=RequestKind.LOCK, requester=family)
    db.add_all([twice, never])
    db.flush()
    for action in ("claim", "claim", "approve", bench.EFFECT_MARK):
        db.add(RequestEvent(request_id=twice.id, actor_id=agent.id, action=action,
                            status=RequestStatus.APPROVED))  # fmt: skip
    db.commit()
    assert bench._count(db, [twice.id, never.id]) == (1, 1)


def test_the_command_prints_its_line(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # SQLite: no bench database named
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--trials", "6", "--agents", "2"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "claims: 6 trials, 0 doubled, 0 lost"
