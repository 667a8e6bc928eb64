"""The immunization registry portal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

from . import access, config, converters, errors, security
from .db import db
from .extensions import babel, csrf, limiter, login_manager
from .forecast import supporting as forecast_data
from .forms import FormRequest
from .i18n import current_language, html_lang, long_date, medium_date, select_locale, site_languages
from .languages import register_tagalog


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    register_tagalog()  # Babel has no `tl`: it formats Tagalog as Filipino (languages.py)
    app = errors.PortalFlask(__name__, instance_relative_config=True)
    app.request_class = FormRequest
    app.config.from_mapping(config.build(settings))
    forecast_data.use(app.config["FORECAST_DATA"])  # the schedule every forecast reads
    register_extensions(app)
    converters.register(app)  # before the blueprints, whose routes use them
    register_blueprints(app)
    register_templates(app)
    access.register(app)
    security.register(app)
    errors.register(app)
    return app


def register_extensions(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row is the protection
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(_load_user)


def _load_user(token: str) -> Any:
    from flask import current_app

    from .accounts.sessions import SessionPolicy, load_session

    config = current_app.config
    policy = SessionPolicy(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        staff_idle=timedelta(minutes=config["STAFF_SESSION_IDLE_MINUTES"]),
        lifetime=timedelta(hours=config["SESSION_LIFETIME_HOURS"]),
    )
    return load_session(db.session, token, policy=policy)


def register_blueprints(app: Flask) -> None:
    from .accounts.staff_admin import bp as staff_accounts
    from .accounts.views import bp as accounts
    from .audit.views import bp as audit
    from .core.views import bp as core
    from .exchange.soap import bp as exchange  # views' blueprint, with the SOAP route
    from .linking.views import bp as linking
    from .mail.views import bp as mail
    from .proof.views import bp as proof
    from .records.views import bp as records
    from .requests.canned_views import bp as canned_replies
    from .requests.family_views import bp as family_requests
    from .requests.overview_views import bp as overview
    from .requests.queue_views import bp as requests
    from .requests.staff_views import bp as staff_requests

    for blueprint in (
        core, accounts, mail, proof, linking, records, audit, staff_accounts, family_requests,
        requests, staff_requests, overview, canned_replies, exchange,
    ):
        app.register_blueprint(blueprint)


def register_templates(app: Flask) -> None:
    from .navigation import nav_links

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        current_language=current_language, html_lang=html_lang, site_languages=site_languages,
        nav_links=nav_links,
    )
    app.jinja_env.filters.update(long_date=long_date, medium_date=medium_date)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
