"""The linking forms. Checks that need no database happen here; matching is the services'."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, SelectChoice, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from portal.forms import ChoiceField, PortalForm
from portal.i18n import local_today

from . import rules
from .models import Relationship

RELATIONSHIP_CHOICES = [
    SelectChoice(Relationship.PARENT.value, _l("I am the child's parent")),
    SelectChoice(Relationship.GUARDIAN.value, _l("I am the child's legal guardian")),
    SelectChoice(Relationship.SELF.value, _l("It is my own record (I am 18 or older)")),
]

REFUSALS = {
    "future": _l("The birth date cannot be in the future."),
    "self_minor": _l(
        "You can link your own record once you are 18. Until then, a parent or guardian links it."
    ),
    "guardian_adult": _l(
        "This person is an adult now, so they link their own record. "
        "Choose “It is my own record” if it is yours."
    ),
}


def _name(label: Any) -> StringField:
    return StringField(label, validators=[DataRequired(), Length(max=100)])


def _birth_date(label: Any) -> DateField:
    # InputRequired, not DataRequired: a mistyped date should say so, not "required".
    return DateField(label, validators=[InputRequired(_l("Enter the birth date."))])


class _LinkForm(PortalForm):
    """Checks the relationship against the typed birth date: that tells nothing about records."""

    birth_date = _birth_date(_l("Birth date"))
    relationship = ChoiceField(
        _l("Whose record is it?"), choices=RELATIONSHIP_CHOICES, default=Relationship.PARENT.value
    )

    def validate_relationship(self, field: ChoiceField) -> None:
        if self.birth_date.data is None:
            return
        refusal = rules.link_refusal(
            Relationship(field.data),
            self.birth_date.data,
            local_today(),
            current_app.config["GUARDIAN_LINK_AGE"],
        )
        if refusal:
            raise ValidationError(str(REFUSALS[refusal]))


class MatchForm(_LinkForm):
    first_name = _name(_l("First name"))
    last_name = _name(_l("Last name"))
    contact = StringField(
        _l("Mobile phone number or email address"),
        validators=[DataRequired(), Length(max=254)],
    )

    def validate_contact(self, field: StringField) -> None:
        if rules.parse_contact(field.data or "") is None:
            raise ValidationError(str(_l("Enter a 10-digit US phone number or an email address.")))


class CodeForm(PortalForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])


class AccessCodeForm(_LinkForm):
    code = StringField(_l("Access code"), validators=[DataRequired(), Length(max=40)])

    def validate_code(self, field: StringField) -> None:
        if len(rules.normalize_access_code(field.data or "")) != rules.ACCESS_CODE_LENGTH:
            raise ValidationError(str(_l("An access code has 16 letters and numbers.")))


class VerificationForm(PortalForm):
    first_name = _name(_l("First name"))
    middle_name = StringField(_l("Middle name (if any)"), validators=[Optional(), Length(max=100)])
    last_name = _name(_l("Last name"))
    birth_date = _birth_date(_l("Birth date"))
    relationship = ChoiceField(
        _l("Your relationship to the person"),
        choices=[
            SelectChoice(Relationship.PARENT.value, _l("Parent")),
            SelectChoice(Relationship.GUARDIAN.value, _l("Legal guardian")),
            SelectChoice(Relationship.SELF.value, _l("It is my own record")),
        ],
        default=Relationship.PARENT.value,
    )
    note = TextAreaField(_l("Anything the help desk should know"), validators=[Length(max=2000)])
    document = FileField(
        _l("Document"),
        validators=[FileRequired(_l("Choose a document to upload."))],
    )

    def validate_birth_date(self, field: DateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(str(REFUSALS["future"]))


class InviteForm(PortalForm):
    email = EmailField(
        _l("Your teen's email address"),
        validators=[DataRequired(), Email(), Length(max=254)],
    )


class InvitationForm(PortalForm):
    birth_date = _birth_date(_l("Your birth date"))


class ConfirmForm(PortalForm):
    """Just the CSRF token: a confirmation button."""
