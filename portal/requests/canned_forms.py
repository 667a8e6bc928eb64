"""The supervisor's form for one ready answer: a title and a text in each language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm

from .canned import ReplyTexts
from .models import REPLY_TEXT_MAX, TITLE_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _title(label: object, missing: object) -> StringField:
    return StringField(label, filters=[_strip], validators=[
        DataRequired(message=missing),
        Length(max=TITLE_MAX, message=_l("Use %(max)d characters or fewer.")),
    ])  # fmt: skip


def _text(label: object, missing: object) -> TextAreaField:
    return TextAreaField(label, filters=[_strip], validators=[
        DataRequired(message=missing),
        Length(max=REPLY_TEXT_MAX, message=_l("Use %(max)d characters or fewer.")),
    ])  # fmt: skip


class CannedReplyForm(PortalForm):
    title_en = _title(_l("Title in English"), _l("Enter the title in English."))
    text_en = _text(_l("Text in English"), _l("Enter the text in English."))
    title_es = _title(_l("Title in Spanish"), _l("Enter the title in Spanish."))
    text_es = _text(_l("Text in Spanish"), _l("Enter the text in Spanish."))

    def texts(self) -> ReplyTexts:
        return ReplyTexts(self.title_en.data, self.title_es.data, self.text_en.data,
                          self.text_es.data)  # fmt: skip
