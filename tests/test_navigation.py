"""The main menu shows each signed-in role the pages it may use, and nothing else."""

from __future__ import annotations

from portal.accounts.models import Role


def _menu(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_school_verifier_sees_the_verifier_link(client, make, login) -> None:
    school = make.org(kind="school")
    login(client, make.user(role=Role.SCHOOL_VERIFIER, organization=school))
    assert "/verify" in _menu(client)


def test_parent_menu_has_no_staff_or_verifier_links(client, make, login) -> None:
    login(client, make.user(role=Role.PARENT))
    menu = _menu(client)
    assert "/verify" not in menu
    assert "queue" not in menu


def test_signed_out_menu_offers_sign_in_only(client) -> None:
    menu = _menu(client)
    assert "/login" in menu
    assert "/verify" not in menu
