"""The queue's forms: the filter (a GET form), claim, take the next, patient search.

A choice outside a list is a form error, never a 500; the views answer it with 400.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    StringField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from portal.forms import ChoiceField, PortalForm

from .models import RequestKind, RequestStatus
from .queue import Age, Assignee, QueueFilter
from .staff_words import KIND_LABELS, STATUS_LABELS

ASSIGNEE_LABELS = {
    Assignee.ANYONE: _l("Anyone"),
    Assignee.MINE: _l("Mine"),
    Assignee.UNASSIGNED: _l("Not claimed"),
}
AGE_LABELS = {
    Age.ANY: _l("Any age"),
    Age.OVERDUE: _l("Overdue"),
    Age.OVER_7_DAYS: _l("Older than 7 days"),
    Age.OVER_30_DAYS: _l("Older than 30 days"),
}


class QueueFilterForm(PortalForm):
    class Meta:
        csrf = False  # a GET form that changes nothing; its fields hold no PHI

    kind = ChoiceField(
        _l("Kind"),
        choices=[SelectChoice("", _l("All kinds"))]
        + [SelectChoice(k.value, v) for k, v in KIND_LABELS.items()],
        default="",
    )
    status = ChoiceField(
        _l("Status"),
        choices=[SelectChoice("", _l("All open"))]
        + [SelectChoice(s.value, v) for s, v in STATUS_LABELS.items()],
        default="",
    )
    assignee = ChoiceField(
        _l("Claimed by"),
        choices=[SelectChoice(a.value, v) for a, v in ASSIGNEE_LABELS.items()],
        default=Assignee.ANYONE.value,
    )
    age = ChoiceField(
        _l("Age"),
        choices=[SelectChoice(a.value, v) for a, v in AGE_LABELS.items()],
        default=Age.ANY.value,
    )
    after = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def to_filter(self) -> QueueFilter:
        return QueueFilter(
            kind=RequestKind(self.kind.data) if self.kind.data else None,
            status=RequestStatus(self.status.data) if self.status.data else None,
            assignee=Assignee(self.assignee.data or Assignee.ANYONE.value),
            age=Age(self.age.data or Age.ANY.value),
        )


class ClaimForm(PortalForm):
    # The version the queue page showed: a claim from a page someone else has overtaken
    # is refused as stale.
    version = IntegerField(validators=[InputRequired(), NumberRange(min=1)])


class TakeNextForm(PortalForm):
    kind = HiddenField(validators=[Optional()])

    def validate_kind(self, field: HiddenField) -> None:
        if field.data and field.data not in {k.value for k in RequestKind}:
            raise ValidationError(_l("Choose a kind from the list."))


class SearchForm(PortalForm):
    registry_id = StringField(
        _l("Registry number"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(
                r"^[A-Za-z0-9-]+$",
                message=_l("A registry number has only letters, digits and hyphens."),
            ),
        ],
    )
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=100)])
    first_name = StringField(_l("First name (optional)"), validators=[Optional(), Length(max=100)])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if self.registry_id.data:
            return True
        if self.last_name.data and self.birth_date.data:
            return True
        self.registry_id.errors = [_l("Enter a registry number, or a last name and a birth date.")]
        return False
