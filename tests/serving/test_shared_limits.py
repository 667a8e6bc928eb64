"""Two gunicorn workers share one sign-in limit through Redis; without it the portal won't start."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from .conftest import REDIS_URL, ROOT, Client, in_one_limit_window


def test_the_sign_in_limit_holds_across_two_workers(serve, production_env, redis_prefix) -> None:
    env = {**production_env, "PORTAL_REDIS_URL": REDIS_URL}
    app = f"portal:create_app({{'RATELIMIT_KEY_PREFIX': '{redis_prefix}'}})"
    server = serve(env, "-w", "2", "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", app=app)
    clients = [Client(server.port) for _ in range(12)]
    tokens = [c.csrf_token("/login") for c in clients]

    def sign_in(i: int) -> int:
        form = {"csrf_token": tokens[i], "email": f"n{i}@example.org", "password": "x" * 10}
        return clients[i].post("/login", form).status

    in_one_limit_window(8)  # the sign-ins take 1 to 5 s on a busy machine
    with ThreadPoolExecutor(max_workers=3) as pool:  # a busy worker leaves the next to the other
        answers = list(pool.map(sign_in, range(12)))
    assert sorted(answers) == [200] * 10 + [429] * 2  # the per-address limit is 10 a minute

    time.sleep(0.3)  # the access log is written after each answer
    lines = server.access_log.read_text().splitlines()
    posts = [line.split() for line in lines if " POST " in line]
    assert len(posts) == 12
    assert len({pid for pid, *_ in posts}) == 2, "both workers answered sign-ins"


def test_without_redis_the_portal_refuses_to_start(gunicorn, production_env) -> None:
    result = subprocess.run(
        [*gunicorn, "-w", "2", "-b", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT,
        env=production_env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0
    assert "PORTAL_REDIS_URL is not set" in result.stderr


def test_one_process_serving_alone_may_say_so(serve, production_env) -> None:
    server = serve({**production_env, "PORTAL_SINGLE_PROCESS": "true"}, "-w", "1")
    assert Client(server.port).get("/healthz").status == 200
