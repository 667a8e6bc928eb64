"""The print form: which language the printout is in."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from wtforms import SelectChoice
from wtforms.validators import Optional

from portal.forms import ChoiceField, PortalForm


class _LanguageField(ChoiceField):
    """Absent or empty is allowed (the page's language); any other value must be a choice."""

    def pre_validate(self, form: Any) -> None:
        if self.raw_data in (None, [], [""]):
            return
        super().pre_validate(form)


class PrintForm(PortalForm):
    """`lang`: one of the app's languages; absent means the page's language. Any other
    value (a tampered post) makes the form invalid, never a server error."""

    lang = _LanguageField(validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang.choices = list(current_app.config["LANGUAGES"])

    def validate(self, extra_validators: Any = None) -> bool:
        # A JSON (or any other) body is not the record page's form: refused, not read as
        # empty. No body at all (nothing but the CSRF check, where that is off) is a print.
        return request.mimetype in _FORM_TYPES and super().validate(extra_validators)


_FORM_TYPES = ("", "application/x-www-form-urlencoded", "multipart/form-data")


class ReminderForm(PortalForm):
    """Email reminders for this record: `want` is "on" or "off" (any other value: invalid)."""

    want = ChoiceField(choices=[SelectChoice("on", "on"), SelectChoice("off", "off")])


class AccessAlertForm(ReminderForm):
    """Email me when an organization opens this record: `want` is "on" or "off"."""
