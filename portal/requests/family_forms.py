"""The family's request forms. Every choice is checked against its list; the token is hidden."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from portal.forms import ChoiceField, PortalForm

ABOUT_DOSE, ABOUT_DETAIL, ABOUT_MISSING = "dose", "detail", "missing"

DOSE_PROBLEMS = [
    SelectChoice("wrong_date", _l("The date is wrong")),
    SelectChoice("wrong_vaccine", _l("The vaccine is wrong")),
    SelectChoice("not_given", _l("This shot was never given")),
    SelectChoice("duplicate", _l("The same shot is listed twice")),
]

DETAILS = [
    SelectChoice("name", _l("Name")),
    SelectChoice("birth_date", _l("Birth date")),
    SelectChoice("sex", _l("Sex")),
    SelectChoice("guardian", _l("Parent or guardian")),
    SelectChoice("address", _l("Address")),
    SelectChoice("phone", _l("Phone")),
]


class ChoiceRadio(ChoiceField, RadioField):
    """Radio buttons whose value must be one of their choices (ChoiceField's check)."""


_TOKEN = [DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _Once(PortalForm):
    """A form filed once however often it is sent: its token is made when the page is."""

    token = HiddenField(validators=_TOKEN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.token.data = new_token()


ABOUT_CHOICES = [
    SelectChoice(ABOUT_DOSE, _l("A shot on the record")),
    SelectChoice(ABOUT_DETAIL, _l("A personal detail (name, birth date, address...)")),
    SelectChoice(ABOUT_MISSING, _l("A shot that is missing from the record")),
]


class ReportForm(_Once):
    about = ChoiceRadio(
        _l("What is the mistake about?"),
        choices=ABOUT_CHOICES,
        validators=[DataRequired(_l("Choose what the mistake is about."))],
    )
    # Each is one of its list whatever the mistake is about (a browser sends every select,
    # and an absent one reads as its default); which are needed is checked below.
    dose = ChoiceField(_l("Which shot"), default="")
    problem = ChoiceField(_l("What is wrong with it"), choices=DOSE_PROBLEMS, default="wrong_date")
    detail = ChoiceField(_l("Which detail"), choices=DETAILS, default="name")
    wrong = TextAreaField(_l("What the record says now"), validators=[Length(max=2000)])
    right = TextAreaField(
        _l("What is right"),
        validators=[DataRequired(_l("Say what the record should say.")), Length(max=2000)],
    )
    evidence = FileField(_l("A photo or scan of a paper record (optional)"))

    def set_doses(self, doses: list[tuple[int, str]]) -> None:
        """The record's own doses, as (id, label); any other id the browser sends is refused."""
        self.dose.choices = [
            SelectChoice("", _l("Choose a shot")),
            *(SelectChoice(str(dose_id), label) for dose_id, label in doses),
        ]

    def validate_dose(self, field: ChoiceField) -> None:
        if self.about.data == ABOUT_DOSE and not field.data:
            raise ValidationError(str(_l("Choose the shot that is wrong.")))

    def validate_wrong(self, field: TextAreaField) -> None:
        if self.about.data == ABOUT_DETAIL and not (field.data or "").strip():
            raise ValidationError(str(_l("Say what the record shows now.")))


class SharingForm(_Once):
    """A button: the kind the page offered (a lock for a shared record, else an unlock)."""

    kind = HiddenField(validators=[DataRequired()])


class AnswerForm(PortalForm):
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    answer = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(_l("Write your answer.")), Length(max=4000)],
    )
    document = FileField(_l("A document (optional)"))


class WithdrawForm(PortalForm):
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
