"""The accounts' forms: sign in, second factor, invitations, organisations, passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.partners.accounts import password_problems
from portal.ui.forms import (
    EmailField,
    PasswordField,
    PortalForm,
    SelectField,
    StringField,
)


def email_field(autocomplete: str = "username", lower: bool = False) -> EmailField:
    """An e-mail address, trimmed (and lower-cased for a new account)."""

    def tidy(value):
        if not isinstance(value, str):
            return value
        return value.strip().lower() if lower else value.strip()

    return EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(_l("Enter an address like nom@exemple.fr")),
        ],
        filters=[tidy],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


class LoginForm(PortalForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class InviteForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name")), Length(max=200)])
    email = email_field("off", lower=True)
    role = SelectField(_l("Role"), validators=[DataRequired()])


class OrganisationForm(PortalForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Enter the organisation's name")), Length(max=200)],
    )
    kind = SelectField(_l("Kind"), validators=[DataRequired(_l("Choose the kind of organisation"))])


class ForgotForm(PortalForm):
    email = email_field()


class NewPasswordForm(PortalForm):
    code = StringField(
        _l("Code from the e-mail"),
        validators=[DataRequired(_l("Enter the code from the e-mail")), Length(max=60)],
        hint=_l("Filled in when you open the e-mail's link; otherwise copy it from the e-mail."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "characters"},
    )
    password = PasswordField(
        _l("New password"),
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:
        problems = password_problems(
            field.data or "", self.user.email if self.user else "", self.user.name if self.user else ""
        )
        if problems:
            raise ValidationError(" ".join(problems))
