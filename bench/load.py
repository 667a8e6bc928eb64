"""The --load round: gunicorn (2 sync workers on a free port of 127.0.0.1) serving the
bench data, and a bounded concurrent client (threads + http.client, only 127.0.0.1).

Each route's round (a few seconds, a bounded number of requests) is followed by a
round of /healthz, so `load_<route>_vs_healthz` compares throughputs measured next
to each other. Parents sign in through the login form first.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import cards
import seed
from timing import percentile
from webforms import find_form

from portal.db import engine_for

HOST = "127.0.0.1"
WORKERS = 2
THREADS = 4
# Longer than gunicorn's 30 s worker timeout: a client never walks away from a request
# the server is still working on, so each round ends with the server idle.
CLIENT_TIMEOUT_S = 60


@dataclass(frozen=True)
class Rounds:
    seconds: float = 4.0
    max_requests: int = 400  # per round, over all threads
    repeats: int = 2


QUICK_ROUNDS = Rounds(seconds=0.5, max_requests=12, repeats=1)


@dataclass
class Client:
    """One browser over http.client: its cookies and nothing else."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=CLIENT_TIMEOUT_S)
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def page(self, path: str) -> str:
        status, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return data.decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _start(
    root: Path, config: dict[str, Any], workdir: Path
) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_BENCH_CODE": str(root),
        "PORTAL_BENCH_SETTINGS": json.dumps(config),
    }
    log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--bind={HOST}:{port}",
            f"--chdir={Path(__file__).resolve().parent}",
            "wsgi_bench:app",
        ],
        env=env,
        # Not the repo root: gunicorn would read ./gunicorn.conf.py there, which imports
        # `portal` before wsgi_bench has put the chosen checkout on sys.path.
        cwd=Path(__file__).resolve().parent,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {workdir / 'gunicorn.log'}")
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    log.flush()
    tail = (workdir / "gunicorn.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"gunicorn did not answer /healthz within a minute:\n{tail}")


def _signed_in(port: int, family: seed.Family) -> Client:
    client = Client(port)
    form = find_form(client.page("/login"), field="password")
    status, _ = client.request(
        "POST", form.action or "/login", form.data(email=family.email, password=seed.PASSWORD)
    )
    if status != 302:
        raise RuntimeError(f"sign-in answered {status}")
    return client


Send = Callable[[], int]


def _routes(
    port: int, families: list[seed.Family], config: dict[str, Any]
) -> dict[str, list[Send]]:
    """For each route, one request maker per client thread."""
    parents = [_signed_in(port, families[i % len(families)]) for i in range(THREADS)]
    engine = engine_for(config["DATABASE_URL"])
    routes: dict[str, list[Send]] = {name: [] for name in ("record_page", "pdf", "verify")}
    for i, parent in enumerate(parents):
        family = families[i % len(families)]
        record = f"/records/{family.record_link_id}"
        routes["record_page"].append(lambda c=parent, p=record: c.request("GET", p)[0])
        page = parent.page(f"/records/{family.printout_link_id}")
        pdf = find_form(page, action="shot-record.pdf")
        routes["pdf"].append(lambda c=parent, f=pdf: c.request("POST", f.action, f.data())[0])
        if routes["pdf"][-1]() != 200:  # and the record has a card for /verify to check
            raise RuntimeError("the print form did not answer 200")
        school = Client(port)
        check = find_form(school.page("/verify"), field="text")
        text = cards.newest_card_text(engine, family.printout_patient_id)
        data = check.data(text=text)
        routes["verify"].append(lambda c=school, d=data: c.request("POST", "/verify", d)[0])
    anyone = Client(port)
    kid = json.loads(anyone.request("GET", "/.well-known/jwks.json")[1])["keys"][0]["kid"]
    public = {
        "healthz": "/healthz",
        "jwks": "/.well-known/jwks.json",
        "crl": f"/.well-known/crl/{kid}.json",
    }
    for name, path in public.items():
        clients = [Client(port) for _ in parents]
        routes[name] = [lambda c=c, p=path: c.request("GET", p)[0] for c in clients]
    return routes


@dataclass
class Round:
    times_ms: list[float]
    errors: int
    seconds: float

    @property
    def rps(self) -> float:
        return len(self.times_ms) / self.seconds if self.seconds else 0.0


def _round(senders: list[Send], rounds: Rounds) -> Round:
    """All threads at once until the time or the request budget is spent; the round
    lasts until the last request started has its answer."""
    lock = threading.Lock()
    times: list[float] = []
    errors = [0]
    left = [rounds.max_requests]
    deadline = time.perf_counter() + rounds.seconds

    def work(send: Send) -> None:
        while time.perf_counter() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            start = time.perf_counter()
            try:
                ok = send() in (200, 302)
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=work, args=(send,)) for send in senders]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round(times, errors[0], time.perf_counter() - start)


def run(
    root: Path, config: dict[str, Any], families: list[seed.Family], *, quick: bool
) -> Iterator[tuple[str, Any]]:
    rounds = QUICK_ROUNDS if quick else Rounds()
    workdir = Path(config["UPLOAD_DIR"]).parent
    process, port = _start(root, config, workdir)
    try:
        routes = _routes(port, families, config)
        yield "load_workers", WORKERS
        yield "load_threads", THREADS
        healthz: list[Round] = []
        # /verify before the printouts, which would make its cards out of date.
        for name in ("record_page", "verify", "pdf", "jwks", "crl"):
            mine: list[Round] = []
            beside: list[Round] = []
            for _ in range(rounds.repeats):
                mine.append(_round(routes[name], rounds))
                beside.append(_round(routes["healthz"], rounds))
            healthz.extend(beside)
            yield from _figures(name, mine)
            rps, health_rps = _rps(mine), _rps(beside)
            ratio = float(f"{rps / health_rps:.3g}") if health_rps else "n/a"
            yield f"load_{name}_vs_healthz", ratio
        yield from _figures("healthz", healthz)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _rps(rounds: list[Round]) -> float:
    seconds = sum(r.seconds for r in rounds)
    return sum(len(r.times_ms) for r in rounds) / seconds if seconds else 0.0


def _figures(name: str, rounds: list[Round]) -> Iterator[tuple[str, Any]]:
    times = [t for r in rounds for t in r.times_ms]
    yield f"load_{name}_rps", round(_rps(rounds), 1)
    yield f"load_{name}_p50_ms", round(percentile(times, 50), 1) if times else "n/a"
    yield f"load_{name}_p95_ms", round(percentile(times, 95), 1) if times else "n/a"
    yield f"load_{name}_errors", sum(r.errors for r in rounds)
