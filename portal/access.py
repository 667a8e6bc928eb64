"""Who may use which route: named rules, declared on every view, enforced in one place.

Every endpoint must declare a rule with ``@allow(RULE)``; an endpoint without
one is refused (deny by default), and a test walks ``app.url_map`` so that a
new route without a rule fails the suite. Rules decide who may reach a route;
which *objects* a user may touch is checked by each feature's services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.accounts.models import STAFF_ROLES, Role

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[[Any], bool]
    needs_login: bool = True
    # A refused visitor is told the page does not exist (404), whoever they are.
    hidden: bool = False

    def allows(self, user: Any) -> bool:
        if self.needs_login and not user.is_authenticated:
            return False
        return self.check(user)

    def __or__(self, other: Rule) -> Rule:
        return Rule(
            f"{self.name} or {other.name}",
            lambda u: self.allows(u) or other.allows(u),
            self.needs_login and other.needs_login,
            # Hidden only when both are: a visible rule's refusals must not become 404s.
            hidden=self.hidden and other.hidden,
        )


def _confirmed(user: Any) -> bool:
    return user.email_confirmed_at is not None


PUBLIC = Rule("anyone", lambda u: True, needs_login=False)
ANONYMOUS_ONLY = Rule("signed-out visitors", lambda u: not u.is_authenticated, needs_login=False)
SIGNED_IN = Rule("any signed-in account", lambda u: True)
FAMILY = Rule("parents and patients", lambda u: u.role == Role.PARENT and _confirmed(u))
SCHOOL = Rule("school verifiers", lambda u: u.role == Role.SCHOOL_VERIFIER and _confirmed(u))
STAFF_PENDING_MFA = Rule("staff before the second factor", lambda u: u.role in STAFF_ROLES)
STAFF = Rule("help-desk staff", lambda u: u.role in STAFF_ROLES and u.mfa_passed)
SUPERVISOR = Rule("help-desk supervisors", lambda u: u.role == Role.SUPERVISOR and u.mfa_passed)
# An organization's system: no portal sign-in; the view checks its HTTP Basic credential
# (portal/exchange/credentials.py) on every request and answers 401 without one.
ORGANIZATION_SYSTEM = Rule("organizations' systems (their own credential)", lambda u: True,
                           needs_login=False)  # fmt: skip
DEMO_ONLY = Rule(
    "anyone, in the demo", lambda u: bool(current_app.config["DEMO"]), False, hidden=True
)

# A temporary password (set by a supervisor) is changed before anything else: these are
# the only pages such an account reaches, besides public ones.
TEMPORARY_PASSWORD_ENDPOINTS = frozenset({"accounts.first_password", "accounts.logout"})

# Flask's own endpoints, which no decorator of ours wraps.
BUILTIN_RULES: dict[str, Rule] = {"static": PUBLIC}


def allow(rule: Rule) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


def rule_for(app: Flask, endpoint: str) -> Rule | None:
    if endpoint in BUILTIN_RULES:
        return BUILTIN_RULES[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce() -> Any:
    """before_request: apply the endpoint's rule, or refuse when it has none."""
    if request.endpoint is None:  # no route matched: routing answers 404/405 itself
        return None
    rule = rule_for(current_app, request.endpoint)
    # The user itself, not the proxy: each attribute read through it looks the user up again.
    user = current_user._get_current_object()
    if rule is None:
        current_app.logger.error("route %s has no access rule; refused", request.endpoint)
        abort(403)
    if (
        user.is_authenticated
        and user.password_temporary
        and rule.needs_login
        and request.endpoint not in TEMPORARY_PASSWORD_ENDPOINTS
    ):
        if request.method == "GET":
            return redirect(url_for("accounts.first_password", next=request.path))
        abort(401)
    if rule.allows(user):
        return None
    if rule.hidden:  # e.g. a demo-only page outside the demo
        abort(404)
    # A POST cannot be resumed after signing in: it is refused rather than redirected,
    # since the redirect would return to its address as a GET.
    resumable = request.method == "GET"
    if not user.is_authenticated:
        if not rule.needs_login:
            abort(404)
        if resumable:
            return redirect(url_for("accounts.login", next=request.path))
        abort(401)
    if user.role in STAFF_ROLES and not user.mfa_passed:
        if resumable:
            return redirect(url_for("accounts.second_factor", next=request.path))
        abort(401)
    if not _confirmed(user) and user.role == Role.PARENT:
        return redirect(url_for("accounts.unconfirmed"))
    abort(403)


def register(app: Flask) -> None:
    app.before_request(enforce)
