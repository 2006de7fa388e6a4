"""The exchange's forms: a tenant's sign-up, sign-in and one-time link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.partners.accounts import password_problems
from portal.ui.forms import EmailField, PasswordField, PortalForm


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(autocomplete: str = "email") -> EmailField:
    return EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters")),
            Email(_l("Enter an e-mail address like name@example.org")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "none"},
    )


class SignUpForm(PortalForm):
    email = email_field()
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=200)],
        hint=_l("At least 12 characters; three or four unrelated words make a strong password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(_l("Enter your password")),
            EqualTo("password", _l("The two passwords differ")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field) -> None:
        problems = password_problems(field.data or "", self.email.data or "")
        if problems:
            raise ValidationError(" ".join(problems))


class SignInForm(PortalForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class LinkForm(PortalForm):
    email = email_field()
