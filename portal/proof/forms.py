"""The three ways to check a shot record, and the JSON API's one field."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.forms import ChoiceField, PortalForm

from .cards import normalize_short_code
from .school import REQUIREMENTS, requirement_choices

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Longest card text: three chunked QR codes of about 2,400 digits each, with room to spare.
MAX_TEXT = 20_000
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


class _VerifyForm(PortalForm):
    """A form on /verify, which anyone may post JSON to: only a JSON object's string
    members are read, so a number, list or object where text belongs counts as missing
    instead of reaching a validator that expects text (a server error)."""

    def posted_data(self) -> Any:
        if self.is_submitted() and request.is_json:
            body = request.get_json(silent=True)
            fields = body if isinstance(body, dict) else {}
            return ImmutableMultiDict({k: v for k, v in fields.items() if isinstance(v, str)})
        return super().posted_data()


class _WithRequirement(_VerifyForm):
    """The school picks which California requirement the card's doses are checked against
    (K-12 entry unless it says otherwise); each form's select has its own id on the page."""

    requirement = ChoiceField(_l("Check the shots against"), default="k12_entry")
    field_id = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirement.choices = requirement_choices()
        self.requirement.id = self.requirement.label.field_id = f"{self.field_id}-requirement"


class PasteForm(_WithRequirement):
    field_id = "paste"
    text = TextAreaField(
        _l("Text read from the QR code"),
        validators=[
            InputRequired(_l("Paste the text that your scanner read from the QR code.")),
            Length(max=MAX_TEXT, message=_l("This is too long to be a shot record QR code.")),
        ],
    )
    check_text = SubmitField(_l("Check this text"))


def _image_content(form: Any, field: Any) -> None:
    """Checked from the bytes, not from the file name or the browser's content type."""
    data = field.data.read(MAX_IMAGE_BYTES + 1)
    field.data.seek(0)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_l("The picture is larger than 10 MB. Please choose a smaller one."))
    if not data.startswith(_SIGNATURES):
        raise ValidationError(
            _l("This file is not a photo we can read. Please choose a PNG or JPEG picture.")
        )
    form.image_bytes = data


class UploadForm(_WithRequirement):
    field_id = "upload"
    image = FileField(
        _l("Photo or scan of the QR code"),
        validators=[FileRequired(_l("Choose a photo or scan of the QR code.")), _image_content],
    )
    check_image = SubmitField(_l("Check this picture"))

    image_bytes: bytes = b""


def _short_code(form: Any, field: Any) -> None:
    try:
        field.data = normalize_short_code(field.data or "")
    except ValueError as exc:
        raise ValidationError(
            _l(
                "A verification code has 16 letters and numbers, "
                "like K7Q4-M9TX-3HBR-WP2F. Check what you typed."
            )
        ) from exc


class CodeForm(_WithRequirement):
    field_id = "code"
    code = StringField(
        _l("Verification code"),
        validators=[
            InputRequired(_l("Type the verification code printed under the QR code.")),
            _short_code,
        ],
    )
    check_code = SubmitField(_l("Check this verification code"))


class ApiForm(_VerifyForm):
    """The JSON API: no CSRF token, because that path acts for no one (see views)."""

    class Meta:
        csrf = False

    proof = StringField(
        validators=[InputRequired(), Length(max=MAX_TEXT)],
    )
    # which California requirement the answer's "california" member checks (K-12 entry)
    requirement = ChoiceField(default="k12_entry", choices=list(REQUIREMENTS))
