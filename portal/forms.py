"""The base of every form: posted values are untrusted.

* A form reads the posted form fields (and files) only. Flask-WTF's FlaskForm also
  reads a JSON body when there is no form data, so a script could send a number, a
  list or an object where text belongs (a 500), or sign in past a limit that keys on
  form fields. Passing the form data explicitly is Flask-WTF's documented way to
  choose what a form reads; ``PortalForm`` does it for every form, so a JSON body
  is simply an empty form (its errors say what is missing).
* A choice outside the list is a form error that stops that field's checks, so no
  later check (nor a view) turns a tampered value into an exception whose message,
  with the value in it, would reach the log.
* Control characters (NUL among them, which PostgreSQL refuses in text) and lone
  surrogates in a text field are a form error, never a database error.
* ``FormRequest`` (the app's request class) drops multipart parts that have no usable
  name: werkzeug keeps them under the key None, on which Flask-WTF's CSRF check fails.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import PasswordField, SelectField
from wtforms.validators import StopValidation

INVALID_CHOICE = _l("Choose one of the options in the list.")
BAD_CHARACTERS = _l("This contains a character that cannot be used here. Please type it again.")

# C0 controls but tab, line feed and carriage return; DEL; UTF-16 surrogates.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_AUTO = object()


class FormRequest(Request):
    """The app's request class: form data without parts that have no usable name."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for name in ("form", "files"):
            data = self.__dict__.get(name)
            if data is None or all(isinstance(key, str) for key in data):
                continue
            kept = []
            for key, value in data.items(multi=True):
                if isinstance(key, str):
                    kept.append((key, value))
                elif hasattr(value, "close"):  # a file: the request's close would miss it
                    value.close()
            self.__dict__[name] = type(data)(kept)


def submitted_formdata() -> MultiDict[str, Any] | None:
    """What a form reads in this request: the posted fields and files, or None when
    nothing was posted (then fields take their defaults). A limit's key function reads
    the same (accounts/limits.py), so it counts the value that the form checks."""
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return None
    if request.files:
        return CombinedMultiDict((request.files, request.form))  # type: ignore[return-value]
    return request.form


def first_value(name: str) -> str:
    """The value a form's field `name` reads: the first one posted, or ''."""
    data = submitted_formdata()
    value = data.get(name) if data is not None else None
    return value if isinstance(value, str) else ""


class PortalForm(FlaskForm):
    """FlaskForm that reads form data only and refuses characters no text may hold."""

    def __init__(self, formdata: Any = _AUTO, **kwargs: Any) -> None:
        if formdata is _AUTO:
            formdata = self.posted_data()
        super().__init__(formdata=formdata, **kwargs)

    def posted_data(self) -> Any:
        return submitted_formdata()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for field in self:
            if _holds_unusable_text(field):
                field.errors = [BAD_CHARACTERS]
                valid = False
        return valid


def _holds_unusable_text(field: Any) -> bool:
    if isinstance(field, PasswordField | FileField):  # hashed or stored as bytes, never text
        return False
    return any(isinstance(raw, str) and _UNUSABLE.search(raw) for raw in field.raw_data or ())


class ChoiceField(SelectField):
    """A select whose value must be one of its choices: anything else is a form error
    that stops the field's other checks (a tampered post, never a choice a person made)."""

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation(str(INVALID_CHOICE))
        if not any(choice.selected for choice in self._iter_choices_normalized()):
            raise StopValidation(str(INVALID_CHOICE))
