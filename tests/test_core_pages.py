"""Small things every visitor meets: the favicon, help-desk contacts as links, /verify from home."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.access import PUBLIC, rule_for

STATIC = Path(__file__).resolve().parents[1] / "portal" / "static"


def test_every_page_links_the_svg_favicon(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.data.startswith(b"<svg") and b"<script" not in icon.data
    assert len(icon.data) < 2048
    icon.close()


def test_favicon_ico_is_not_a_404(app, client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data == (STATIC / "favicon.svg").read_bytes()
    assert response.cache_control.public and response.cache_control.max_age >= 3600
    assert rule_for(app, "core.favicon") is PUBLIC
    response.close()


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("1-800-555-0199", "tel:+18005550199"),
        ("(559) 555-0123", "tel:+15595550123"),
        ("+52 55 1234 5678", "tel:+525512345678"),
        ("1-800-VACCINE", "tel:+18008222463"),
        ("555-0199", "tel:5550199"),
    ],
)
def test_tel_uri(written: str, uri: str) -> None:
    from portal.core.contact import tel_uri

    assert tel_uri(written) == uri


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_footer_phone_and_email_are_links(client, lang: str) -> None:
    client.post("/language", data={"lang": lang, "next": "/"})
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="tel:+18005550199">1-800-555-0199</a>' in footer
    assert '<a href="mailto:helpdesk@registry.example">helpdesk@registry.example</a>' in footer


def test_the_help_pages_of_linking_link_the_help_desk_too(client, make, login) -> None:
    login(client, make.user())
    main = client.get("/records/add").get_data(as_text=True).split("<footer")[0]
    assert 'href="tel:+18005550199"' in main and 'href="mailto:helpdesk@registry.example"' in main


def test_contacts_from_settings_are_escaped(settings: dict) -> None:
    from portal import create_app

    app = create_app({**settings, "HELPDESK_EMAIL": 'help"desk@x.example', "HELPDESK_PHONE": "<1>"})
    html = app.test_client().get("/").get_data(as_text=True)
    assert 'href="mailto:help&#34;desk@x.example"' in html
    assert "<1>" not in html and "&lt;1&gt;" in html


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_signed_out_home_page_links_to_verify(client, lang: str) -> None:
    client.post("/language", data={"lang": lang, "next": "/"})
    main = client.get("/").get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]
    links = re.findall(r'<a [^>]*href="/verify"[^>]*>([^<]+)</a>', main)
    assert links, "no link to /verify on the home page"
    expected = {
        "en": "Check a printed shot record",
        "es": "Verificar un registro de vacunas impreso",
    }[lang]
    assert expected in links[0]


def test_the_home_page_lists_what_a_family_can_do_here(client) -> None:
    """Each right the home page lists has its page now: reports, lock or unlock, who looked."""
    html = client.get("/").get_data(as_text=True)
    doing_here = html[html.index("What you can do here") : html.index('id="rights"')]

    assert "Report a mistake in the record." in doing_here
    assert "locked (not shared) or unlocked" in doing_here
    assert "have looked at the record" in doing_here
