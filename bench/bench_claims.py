"""Do two or more agents claiming and approving the same requests ever double or lose one?

Agents are threads, each with its own database session, as gunicorn workers would be.
Half the trials are head-on races: every agent reads the same new request, then all
claim it at once from that read (the version they saw); the winner approves it. The
other half go through "take the next": every agent takes the oldest waiting request and
approves it until none is left (FOR UPDATE SKIP LOCKED on PostgreSQL; a conditional
claim retried on SQLite). Approving runs an effect registered for the bench only (it
writes a marker event in the approving transaction), so an approval that ran twice, or
ran in a transaction that did not commit, shows in the count. Then every request must
have exactly one claim, one approval and one effect, and be approved:

    claims: N trials, 0 doubled, 0 lost

SQLite in a temporary directory by default; PORTAL_BENCH_DATABASE_URL names a PostgreSQL
database instead, which it wipes. Run from the repository root:

    .venv/bin/python bench/bench_claims.py --trials 1000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.accounts.models import Role, User  # noqa: E402
from portal.orm import utcnow  # noqa: E402
from portal.requests import effects  # noqa: E402
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus  # noqa: E402
from portal.requests.queue import take_next  # noqa: E402
from portal.requests.rules import RequestAction  # noqa: E402
from portal.requests.services import NotYours, StaleRequest, take_action  # noqa: E402

KIND = RequestKind.LOCK
EFFECT_MARK = "bench_effect"
NO_SIGN_IN = "!"  # noqa: S105 - not a hash any password matches: bench users never sign in


@dataclass
class Tally:
    trials: int
    doubled: int
    lost: int
    refused: int  # claims that lost a race and changed nothing (StaleRequest)
    seconds: float

    def line(self) -> str:
        return f"claims: {self.trials} trials, {self.doubled} doubled, {self.lost} lost"


def _bench_effect(db: Session, request: Request, actor: User, now, data) -> None:  # type: ignore[no-untyped-def]
    db.add(RequestEvent(request_id=request.id, at=now, actor_id=actor.id, action=EFFECT_MARK,
                        status=RequestStatus.APPROVED, public=False))  # fmt: skip


@contextlib.contextmanager
def bench_effect() -> Iterator[None]:
    """The bench's approval effect for KIND, in place of any registered one, while it runs."""
    saved = effects._ON_APPROVE
    effects._ON_APPROVE = {**saved, KIND: _bench_effect}
    try:
        yield
    finally:
        effects._ON_APPROVE = saved


class Agent:
    def __init__(self, new_session: Callable[[], Session], agent_id: int) -> None:
        self.db = new_session()
        self.user = self.db.get(User, agent_id)
        self.refused = 0
        self.errors: list[BaseException] = []

    def approve(self, request: Request) -> None:
        take_action(self.db, request, RequestAction.APPROVE, actor=self.user, now=utcnow())
        self.db.commit()

    def race(self, request_id: int, all_read: threading.Barrier) -> None:
        self.db.expire_all()
        request = self.db.get(Request, request_id)
        seen = request.version
        all_read.wait()
        try:
            take_action(
                self.db, request, RequestAction.CLAIM, actor=self.user, now=utcnow(),
                seen_version=seen,
            )  # fmt: skip
            self.db.commit()
        except (StaleRequest, NotYours):
            self.db.rollback()
            self.refused += 1
            return
        self.approve(request)

    def drain(self) -> None:
        while True:
            request = take_next(self.db, self.user, now=utcnow(), kind=KIND)
            if request is None:
                self.db.rollback()
                if not self._waiting():
                    return
                continue
            self.db.commit()
            self.approve(request)

    def _waiting(self) -> int:
        return (
            self.db.scalar(
                sa.select(sa.func.count())
                .select_from(Request)
                .where(Request.status == RequestStatus.SUBMITTED, Request.assignee_id.is_(None))
            )
            or 0
        )

    def close(self) -> None:
        self.db.rollback()
        self.db.close()


def _run_threads(targets: list[Callable[[], None]], agents: list[Agent]) -> None:
    def guarded(agent: Agent, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as exc:  # noqa: BLE001 - reported, and the trial counts as lost
                agent.errors.append(exc)
                agent.db.rollback()

        return run

    threads = [threading.Thread(target=guarded(a, t)) for a, t in zip(agents, targets, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_claims(new_session: Callable[[], Session], *, trials: int, agents: int = 4) -> Tally:
    """Play `trials` requests among `agents` agents; count the doubled and the lost."""
    if agents < 2 or trials < 2:
        raise ValueError("a race needs two agents and two trials")
    started = time.perf_counter()
    setup = new_session()
    family = User(email=f"bench-family-{time.time_ns()}@example.org", password_hash=NO_SIGN_IN,
                  role=Role.PARENT, email_confirmed_at=utcnow())  # fmt: skip
    staff = [
        User(email=f"bench-agent-{i}-{time.time_ns()}@example.org", password_hash=NO_SIGN_IN,
             role=Role.AGENT, email_confirmed_at=utcnow(), full_name=f"Agent {i}")
        for i in range(agents)
    ]  # fmt: skip
    setup.add_all([family, *staff])
    setup.commit()
    crowd = [Agent(new_session, user.id) for user in staff]
    made: list[int] = []
    races = trials // 2
    with bench_effect():
        for _ in range(races):
            request = Request(kind=KIND, requester_id=family.id)
            setup.add(request)
            setup.commit()
            made.append(request.id)
            all_read = threading.Barrier(agents)
            _run_threads([lambda a=a, r=request.id, b=all_read: a.race(r, b) for a in crowd], crowd)
        queued = [Request(kind=KIND, requester_id=family.id) for _ in range(trials - races)]
        setup.add_all(queued)
        setup.commit()
        made.extend(r.id for r in queued)
        _run_threads([a.drain for a in crowd], crowd)
    errors = [e for a in crowd for e in a.errors]
    refused = sum(a.refused for a in crowd)
    for agent in crowd:
        agent.close()
    doubled, lost = _count(setup, made)
    setup.close()
    for error in errors[:3]:
        print(f"claims_error: {type(error).__name__}: {error}", file=sys.stderr)
    return Tally(trials, doubled, lost, refused, time.perf_counter() - started)


def _count(db: Session, made: list[int]) -> tuple[int, int]:
    db.rollback()
    events = Counter(
        (request_id, action)
        for request_id, action in db.execute(
            sa.select(RequestEvent.request_id, RequestEvent.action).where(
                RequestEvent.request_id.in_(made)
            )
        )
    )
    statuses = dict(
        db.execute(sa.select(Request.id, Request.status).where(Request.id.in_(made))).all()
    )
    steps = ("claim", "approve", EFFECT_MARK)
    doubled = sum(any(events[(r, s)] > 1 for s in steps) for r in made)
    lost = sum(
        statuses.get(r) != RequestStatus.APPROVED or any(events[(r, s)] == 0 for s in steps)
        for r in made
    )
    return doubled, lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--agents", type=int, default=4)
    args = parser.parse_args(argv)

    from portal.db import engine_for
    from portal.models import metadata

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'claims.db'}"
        engine = engine_for(url)
        metadata.drop_all(engine)
        metadata.create_all(engine)
        new_session = sa.orm.sessionmaker(engine, expire_on_commit=False)
        tally = run_claims(new_session, trials=args.trials, agents=args.agents)
        engine.dispose()
    print(f"claims_database: {url.split(':', 1)[0]}")
    print(f"claims_agents: {args.agents}")
    print(f"claims_refused_stale: {tally.refused}")
    print(f"claims_seconds: {tally.seconds:.1f}")
    print(tally.line())
    return 0 if tally.doubled == tally.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
