"""The supervisor's form for one ready answer: a title and a text in each language of
canned.LANGUAGES, each labelled with the language's own name. English is required; another
language is optional but takes both its title and its text, or neither."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import PortalForm

from .canned import LANGUAGES, NATIVE_NAMES, ReplyTexts, Wording
from .models import ENGLISH, REPLY_TEXT_MAX, TITLE_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _validators(lang: str, missing: object, limit: int) -> list[Any]:
    first = DataRequired(message=missing) if lang == ENGLISH else Optional()
    return [first, Length(max=limit, message=_l("Use %(max)d characters or fewer."))]


def _title(lang: str) -> StringField:
    label = _l("Title (%(language)s)", language=NATIVE_NAMES[lang])
    return StringField(label, filters=[_strip],
                       validators=_validators(lang, _l("Enter the title in English."),
                                              TITLE_MAX))  # fmt: skip


def _text(lang: str) -> TextAreaField:
    label = _l("Text (%(language)s)", language=NATIVE_NAMES[lang])
    return TextAreaField(label, filters=[_strip],
                         validators=_validators(lang, _l("Enter the text in English."),
                                                REPLY_TEXT_MAX))  # fmt: skip


class CannedReplyForm(PortalForm):
    """Fields title_<lang> and text_<lang> for each language (added below)."""

    def title_field(self, lang: str) -> Field:
        return self[f"title_{lang}"]

    def text_field(self, lang: str) -> Field:
        return self[f"text_{lang}"]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for lang in LANGUAGES:
            if lang == ENGLISH:
                continue
            title, text = self.title_field(lang), self.text_field(lang)
            if title.data and not text.data and not text.errors:
                text.errors = [*text.errors, _l("Enter the text too, or leave both empty.")]
                valid = False
            elif text.data and not title.data and not title.errors:
                title.errors = [*title.errors, _l("Enter the title too, or leave both empty.")]
                valid = False
        return valid

    def texts(self) -> ReplyTexts:
        """The languages with a wording; English always (the form requires it)."""
        return {
            lang: Wording(self.title_field(lang).data, self.text_field(lang).data)
            for lang in LANGUAGES
            if self.title_field(lang).data and self.text_field(lang).data
        }


def form_data(texts: ReplyTexts) -> dict[str, str]:
    """What the edit form opens with."""
    data: dict[str, str] = {}
    for lang, wording in texts.items():
        data[f"title_{lang}"] = wording.title
        data[f"text_{lang}"] = wording.text
    return data


for _lang in LANGUAGES:
    setattr(CannedReplyForm, f"title_{_lang}", _title(_lang))
    setattr(CannedReplyForm, f"text_{_lang}", _text(_lang))
