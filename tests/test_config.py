"""Settings that must reach what they set."""

from __future__ import annotations

from datetime import timedelta

from portal import create_app


def test_the_session_lifetime_setting_sets_flasks_lifetime(settings: dict, monkeypatch) -> None:
    app = create_app({**settings, "SESSION_LIFETIME_HOURS": 3})
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=3)
    monkeypatch.setenv("PORTAL_SESSION_LIFETIME_HOURS", "5")
    settings.pop("SESSION_LIFETIME_HOURS", None)
    app = create_app(settings)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=5)
    assert app.config["SESSION_LIFETIME_HOURS"] == 5
