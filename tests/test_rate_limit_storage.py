"""With PORTAL_REDIS_URL set, rate limits live in Redis, so several app servers share them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield client
    client.close()


@pytest.fixture
def prefix(redis_db: redis.Redis) -> Iterator[str]:
    """A key prefix of this test's own, so parallel runs on one Redis never see each other."""
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    yield name
    for key in redis_db.scan_iter(f"*{name}*"):
        redis_db.delete(key)


@pytest.fixture
def settings(settings: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {**settings, "REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}


def test_two_app_servers_share_one_sign_in_limit(app, settings, redis_db, prefix) -> None:
    from portal import create_app
    from tests.conftest import CsrfClient
    from tests.serving.conftest import in_one_limit_window

    other = create_app(settings)  # a second app server on the same Redis
    other.test_client_class = CsrfClient
    first, second = app.test_client(), other.test_client()
    in_one_limit_window(15)  # tries straddling a minute would be counted in two windows
    answers = []
    for i in range(12):  # the per-address limit is 10 a minute
        client = first if i % 2 == 0 else second
        answers.append(
            client.post("/login", data={"email": f"n{i}@example.org", "password": "x" * 10})
        )
    assert [r.status_code for r in answers[:10]] == [200] * 10
    assert answers[10].status_code == 429 and answers[11].status_code == 429
    assert list(redis_db.scan_iter(f"*{prefix}*")), "no limiter keys in Redis"
