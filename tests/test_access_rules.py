"""Access rules combined with `|` keep what each says about refused visitors."""

from __future__ import annotations

from types import SimpleNamespace

from portal.access import PUBLIC, SIGNED_IN, STAFF, Rule

ANONYMOUS = SimpleNamespace(is_authenticated=False)


def _hidden(name: str, allowed: bool = False) -> Rule:
    return Rule(name, lambda u: allowed, needs_login=False, hidden=True)


def test_two_hidden_rules_make_a_hidden_rule() -> None:
    either = _hidden("first") | _hidden("second")
    assert either.hidden is True
    assert either.name == "first or second"
    assert either.allows(ANONYMOUS) is False
    assert (_hidden("first") | _hidden("second", allowed=True)).allows(ANONYMOUS) is True


def test_a_rule_that_is_not_hidden_makes_the_union_visible() -> None:
    # The visible rule's refusals (sign in, 403) must not turn into a 404.
    assert (_hidden("demo") | STAFF).hidden is False
    assert (SIGNED_IN | _hidden("demo")).hidden is False


def test_login_is_needed_only_when_both_need_it() -> None:
    assert (SIGNED_IN | STAFF).needs_login is True
    assert (PUBLIC | STAFF).needs_login is False
