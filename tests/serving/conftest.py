"""The portal served as in production: gunicorn in real processes on a free local port.

Locally these tests skip (with the reason) when gunicorn or Redis is missing; with
CI=true they fail instead, as the browser tests do.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"CI=true and the serving tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def in_one_limit_window(seconds: float) -> None:
    """Wait, if need be, so that the next `seconds` fall inside one fixed one-minute window.

    The limits count in fixed windows that start on the minute: tries that straddle one
    are counted in two windows, and a test of "the 11th try is refused" would flake.
    """
    left = 60 - time.time() % 60
    if left < seconds:
        time.sleep(left + 0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def gunicorn() -> list[str]:
    if importlib.util.find_spec("gunicorn") is None:
        unavailable("gunicorn is not installed (pip install -e '.[test]')")
    return [sys.executable, "-m", "gunicorn"]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the Redis at PORTAL_TEST_REDIS_URL."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        unavailable(f"no Redis at {REDIS_URL}")
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    yield name
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def card_key(tmp_path_factory: pytest.TempPathFactory) -> str:
    from portal.proof.cards import generate_key

    path = tmp_path_factory.mktemp("card-key") / "key.json"
    path.write_text(json.dumps(generate_key()))
    return str(path)


@pytest.fixture
def production_env(database_url: str, card_key: str) -> dict[str, str]:
    """The environment of a production server, on the suite's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_DATABASE_URL=database_url,
        PORTAL_SECRET_KEY="serving-test-secret-key-0123456789-abcdef",
        PORTAL_CARD_SIGNING_KEY=card_key,
        PORTAL_ISSUER_URL="https://myshots.example.gov",
    )
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    access_log: Path
    error_log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def serve(gunicorn: list[str], tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """serve(env, *args): gunicorn from the repo root (so ./gunicorn.conf.py applies)."""
    servers: list[Server] = []

    def start(env: dict[str, str], *args: str, app: str = "wsgi:app", wait: bool = True) -> Server:
        port = free_port()
        access, errors = tmp_path / f"access-{port}.log", tmp_path / f"error-{port}.log"
        command = [*gunicorn, "-b", f"127.0.0.1:{port}", "--access-logfile", str(access),
                   "--error-logfile", str(errors), *args, app]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        server = Server(process, port, access, errors)
        servers.append(server)
        if wait:
            _wait_until_up(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _wait_until_up(server: Server, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.error_log.read_text() if server.error_log.exists() else ""
            pytest.fail(f"gunicorn stopped (exit {server.process.returncode}):\n{log[-2000:]}")
        try:
            if Client(server.port).get("/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer /healthz in time")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Client:
    """A small HTTP client that keeps its cookies (Secure ones too: the test speaks plain HTTP)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(response.status, dict(response.headers), text)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
        assert found, f"no CSRF token on {path} ({page.status})"
        return found.group(1)
