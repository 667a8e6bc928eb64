"""The forms of one request worked by staff. Each carries the version the page showed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.forms import ChoiceField, PortalForm
from portal.registry.vaccines import VACCINES

from .corrections import DETAIL_FIELDS
from .models import RequestKind
from .rules import RequestAction

# The actions one small form takes; approving has forms of its own (it changes the record).
NOTE_ACTIONS = (RequestAction.ASK_INFO, RequestAction.REJECT, RequestAction.NOTE)
PLAIN_ACTIONS = (RequestAction.CLAIM, RequestAction.RELEASE)

CHANNELS = {
    "phone": _l("Phone"),
    "mail": _l("Mail"),
    "fax": _l("Fax"),
    "in_person": _l("In person"),
}

DETAIL_LABELS = {
    "first_name": _l("First name"),
    "middle_name": _l("Middle name"),
    "last_name": _l("Last name"),
    "birth_date": _l("Birth date (YYYY-MM-DD)"),
    "guardian_name": _l("Parent or guardian"),
    "address_street": _l("Street address"),
    "address_city": _l("City"),
    "address_zip": _l("ZIP code"),
    "phone": _l("Phone"),
}
assert set(DETAIL_LABELS) == set(DETAIL_FIELDS)


def _version() -> IntegerField:
    return IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ActionForm(PortalForm):
    """Claim, release, ask for information, reject or add a note."""

    version = _version()
    action = ChoiceField(choices=[a.value for a in (*PLAIN_ACTIONS, *NOTE_ACTIONS)])
    note = TextAreaField(_l("Message"), validators=[Length(max=4000)])


class ApproveForm(PortalForm):
    """Approving a lock or unlock: the effect needs nothing more than the request."""

    version = _version()
    note = TextAreaField(_l("Message to the family (optional)"), validators=[Length(max=4000)])


class ApproveVerificationForm(ApproveForm):
    registry_id = StringField(
        _l("Registry ID of the record"), validators=[DataRequired(), Length(max=20)]
    )
    confirmed = BooleanField(widget=HiddenInput(), default=False)


class ApproveCorrectionForm(ApproveForm):
    dose_id = ChoiceField(_l("Dose to correct"), choices=[], default="")
    given_on = DateField(_l("Correct date of the dose"), validators=[Optional()])
    cvx_code = ChoiceField(_l("Correct vaccine"), choices=[], default="")
    remove = BooleanField(_l("Not given, or a duplicate: remove the dose"))
    field = ChoiceField(_l("Or a personal detail to correct"), choices=[], default="")
    value = StringField(_l("Correct value"), validators=[Length(max=200)])

    def set_choices(self, doses: list[SelectChoice], locale: str) -> None:
        self.dose_id.choices = [SelectChoice("", _l("No dose")), *doses]
        self.cvx_code.choices = [SelectChoice("", _l("Keep the vaccine"))] + [
            SelectChoice(v.cvx, f"{v.name(locale)} (CVX {v.cvx})") for v in VACCINES.values()
        ]
        self.field.choices = [SelectChoice("", _l("No detail"))] + [
            SelectChoice(name, label) for name, label in DETAIL_LABELS.items()
        ]

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if bool(self.dose_id.data) == bool(self.field.data):
            self.dose_id.errors.append(str(_l("Choose either a dose or a personal detail.")))
            return False
        if self.dose_id.data and not (self.given_on.data or self.cvx_code.data or self.remove.data):
            self.given_on.errors.append(
                str(_l("Give the correct date or vaccine, or remove the dose."))
            )
            return False
        return True


KIND_CHOICES = [
    SelectChoice(RequestKind.CORRECTION.value, _l("Correction of the record")),
    SelectChoice(RequestKind.LOCK.value, _l("Lock the record (stop sharing)")),
    SelectChoice(RequestKind.UNLOCK.value, _l("Unlock the record (share again)")),
    SelectChoice(RequestKind.VERIFICATION.value, _l("Verification of a parent")),
]


class OnBehalfForm(PortalForm):
    """A request a family made by phone, mail, fax or in person, filed by the agent."""

    kind = ChoiceField(_l("Kind of request"), choices=KIND_CHOICES)
    email = EmailField(
        _l("The family's account email"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    registry_id = StringField(
        _l("Registry ID of the record"), validators=[Optional(), Length(max=20)]
    )
    channel = ChoiceField(
        _l("How the request came in"), choices=[SelectChoice(k, v) for k, v in CHANNELS.items()]
    )
    description = TextAreaField(
        _l("What the family asks"), validators=[DataRequired(), Length(max=4000)]
    )
    document = FileField(_l("Document they sent (optional)"))
