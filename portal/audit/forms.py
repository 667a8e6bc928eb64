"""The audit search form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from portal.accounts.rules import normalize_email
from portal.forms import PortalForm


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class AuditSearchForm(PortalForm):
    registry_id = StringField(
        _l("Record (registry id)"),
        filters=[_strip],
        validators=[Length(max=40, message=_l("A registry id is 40 characters or fewer."))],
    )
    staff_email = StringField(
        _l("Staff member (email)"),
        filters=[normalize_email],
        validators=[Length(max=254, message=_l("This email address is too long."))],
    )

    def validate_registry_id(self, field: StringField) -> None:
        if not field.data and not self.staff_email.data:
            raise ValidationError(_l("Enter a registry id, a staff member's email, or both."))
