"""Settings that must reach what they set; outside the demo and tests the portal needs Redis,
or is told it serves alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import config, create_app

PRODUCTION = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40, "TESTING": False, "DEMO": False}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in config.DEFAULTS:
        monkeypatch.delenv(f"PORTAL_{key}", raising=False)


def test_production_refuses_to_start_without_redis() -> None:
    with pytest.raises(RuntimeError, match="PORTAL_REDIS_URL") as refused:
        config.build(PRODUCTION)
    assert "PORTAL_SINGLE_PROCESS" in str(refused.value)


def test_redis_shares_the_limits() -> None:
    settings = config.build({**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_one_process_serving_alone_says_so_on_purpose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_SINGLE_PROCESS", "true")
    settings = config.build(PRODUCTION)
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("PORTAL_SINGLE_PROCESS", "false")
    with pytest.raises(RuntimeError, match="PORTAL_REDIS_URL"):
        config.build(PRODUCTION)


@pytest.mark.parametrize("relaxed", ["DEMO", "TESTING"])
def test_the_demo_and_the_tests_count_in_memory(relaxed: str) -> None:
    settings = config.build({**PRODUCTION, relaxed: True})
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


def test_commands_serve_no_requests_and_need_no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    from portal import cli

    monkeypatch.setattr(cli, "create_app", lambda settings: config.build(settings))
    monkeypatch.setenv("PORTAL_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    assert cli.app_from_environment()["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_session_lifetime_setting_sets_flasks_lifetime(settings: dict, monkeypatch) -> None:
    app = create_app({**settings, "SESSION_LIFETIME_HOURS": 3})
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=3)
    monkeypatch.setenv("PORTAL_SESSION_LIFETIME_HOURS", "5")
    settings.pop("SESSION_LIFETIME_HOURS", None)
    app = create_app(settings)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=5)
    assert app.config["SESSION_LIFETIME_HOURS"] == 5


def test_the_forecast_data_setting_points_the_engine_at_another_release(
    settings: dict, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    import json
    import shutil

    from portal.forecast import supporting

    newer = tmp_path / "cdsi-9.99"
    shutil.copytree(supporting.DATA_DIR, newer)
    version = json.loads((newer / "version.json").read_text(encoding="utf-8"))
    (newer / "version.json").write_text(json.dumps({**version, "version": "9.99"}))
    monkeypatch.setenv("PORTAL_FORECAST_DATA", str(newer))
    try:
        create_app(settings)
        assert supporting.load().version == "9.99"
        with pytest.raises(FileNotFoundError):
            create_app({**settings, "FORECAST_DATA": str(tmp_path / "missing")})
        assert supporting.load().version == "9.99"  # the failed start changed nothing
    finally:
        supporting.use(None)
    assert supporting.load().version == "4.64"
    monkeypatch.delenv("PORTAL_FORECAST_DATA")
    create_app(settings)  # unset: the committed data
    assert supporting.load().version == "4.64"
