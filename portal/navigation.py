"""The main navigation: each link shows only to those whose access rule admits them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import SCHOOL, STAFF, Rule, rule_for


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: object  # a lazy string
    # Who sees the link; by default whoever the route's own rule admits (public routes: nobody).
    audience: Rule | None = None


LINKS = (
    NavLink("linking.dashboard", _l("My records")),
    NavLink("linking.start", _l("Add a record")),
    NavLink("family_requests.mine", _l("My requests")),
    NavLink("requests.queue", _l("Request queue")),
    NavLink("requests.search", _l("Find a patient")),
    NavLink("proof.verify", _l("Check a shot record"), audience=SCHOOL | STAFF),
    NavLink("overview.index", _l("Figures")),
    NavLink("canned_replies.index", _l("Ready answers")),
    NavLink("staff_accounts.index", _l("Staff accounts")),
    NavLink("audit.search", _l("Audit trail")),
    NavLink("accounts.settings", _l("Account")),
)


def nav_links() -> list[dict[str, object]]:
    links = []
    user = current_user._get_current_object()  # not the proxy: it looks the user up per read
    for link in LINKS:
        rule = rule_for(current_app, link.endpoint)
        if rule is None:  # the feature is not installed
            continue
        audience = link.audience or rule
        if not audience.needs_login or not audience.allows(user):
            continue
        links.append(
            {
                "href": _href(link.endpoint),
                "label": link.label,
                "current": request.endpoint == link.endpoint,
            }
        )
    return links


def _href(endpoint: str) -> str:
    """url_for of a route without arguments, built once per app and script root: the
    menu is on every page, and the same addresses were built anew on each."""
    built: dict[tuple[str, str], str] = current_app.extensions.setdefault("portal.nav_hrefs", {})
    key = (request.script_root, endpoint)
    href = built.get(key)
    if href is None:
        href = built[key] = url_for(endpoint)
    return href
