"""Account forms. Labels are lazy strings: they are built at import, shown per request."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from portal.forms import ChoiceField, PortalForm
from portal.languages import LANGUAGES

from .passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem, password_problem
from .rules import normalize_email

# Each language named in itself, so a reader finds theirs whatever the page's language.
LANGUAGE_CHOICES = [
    SelectChoice(lang.code, lang.endonym, render_kw={"lang": lang.html_lang}) for lang in LANGUAGES
]

PASSWORD_MESSAGES = {
    PasswordProblem.TOO_SHORT: _l("Use at least %(n)s characters.", n=MIN_LENGTH),
    PasswordProblem.TOO_LONG: _l("Use %(n)s characters or fewer.", n=MAX_LENGTH),
    PasswordProblem.COMMON: _l(
        "This password is one of the most used, so it is easy to guess. Choose another."
    ),
    PasswordProblem.LIKE_EMAIL: _l("Your password cannot be your email address."),
}


def _email_field(label: Any) -> EmailField:
    return EmailField(
        label,
        filters=[normalize_email],
        validators=[
            InputRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("This email address is too long.")),
            Email(message=_l("Enter an email address like name@example.com.")),
        ],
    )


def _new_password_field(label: Any) -> PasswordField:
    return PasswordField(label, validators=[InputRequired(message=_l("Enter a password."))])


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("Type the password again"),
        validators=[
            InputRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class _PasswordRules:
    """Checks `password` against the rules; `account_email` feeds the not-your-email rule."""

    account_email: str | None = None

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.account_email)
        if problem is not None:
            raise ValidationError(PASSWORD_MESSAGES[problem])


class SignupForm(_PasswordRules, PortalForm):
    email = _email_field(_l("Email address"))
    password = _new_password_field(_l("Create a password"))
    confirm = _confirm_field()
    language = ChoiceField(_l("Language for the website and emails"), choices=LANGUAGE_CHOICES)

    def validate_password(self, field: PasswordField) -> None:
        self.account_email = self.email.data
        super().validate_password(field)


class NewPasswordForm(_PasswordRules, PortalForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(_PasswordRules, PortalForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password."))],
    )
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class LoginForm(PortalForm):
    # Field names stay `email` and `password`: browsers' password managers and
    # the browser tests rely on them.
    email = StringField(
        _l("Email address"),
        filters=[normalize_email],
        validators=[InputRequired(message=_l("Enter your email address."))],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password."))]
    )


class ResetRequestForm(PortalForm):
    email = _email_field(_l("Email address"))


class LanguageForm(PortalForm):
    locale = ChoiceField(_l("Language"), choices=LANGUAGE_CHOICES)


class CodeForm(PortalForm):
    code = StringField(
        _l("6-digit code"),
        validators=[
            InputRequired(message=_l("Enter the 6-digit code from your app.")),
            Length(max=12, message=_l("Enter the 6-digit code from your app.")),
        ],
        render_kw={"inputmode": "numeric", "size": 8},
    )


class ConfirmActionForm(PortalForm):
    """A button with nothing but the CSRF token (resend a link)."""
