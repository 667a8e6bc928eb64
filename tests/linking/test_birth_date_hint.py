"""The birth-date hint on the linking forms matches the date box.

The box is the browser's own date input, which shows the date in the order of
the browser's language (mm/dd/yyyy, dd/mm/aaaa, ...), not an ISO 2019-03-14. So
the hint gives an example date in words, in the page's language: true for
whatever order the box shows.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template
from flask_babel import force_locale

from portal.linking import forms

PAGES = [
    ("linking/match.html", forms.MatchForm, "March 14, 2019", "14 de marzo de 2019"),
    ("linking/access_code.html", forms.AccessCodeForm, "March 14, 2019", "14 de marzo de 2019"),
    ("linking/verification.html", forms.VerificationForm, "March 14, 2019", "14 de marzo de 2019"),
    ("linking/invitation.html", forms.InvitationForm, "March 14, 2008", "14 de marzo de 2008"),
]


@pytest.mark.parametrize(("template", "form_class", "english", "spanish"), PAGES)
def test_the_hint_is_an_example_date_in_words(app, template, form_class, english, spanish) -> None:
    for lang, example in (("en", english), ("es", spanish)):
        with app.test_request_context("/"), force_locale(lang):
            form = form_class(meta={"csrf": False})
            html = render_template(template, form=form)
        box = re.search(r"<input[^>]*\bname=\"birth_date\"[^>]*>", html)
        assert box, template
        assert 'type="date"' in box.group(0)  # the browser's date box, with its own order
        assert 'aria-describedby="birth_date-hint"' in box.group(0)
        hint = re.search(r'<p class="hint" id="birth_date-hint">([^<]*)</p>', html)
        assert hint, template
        assert example in hint.group(1), (lang, hint.group(1))
        # No numeric pattern that the box may not show (2019-03-14, 03/14/2019, ...).
        assert not re.search(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", hint.group(1)), hint.group(1)
