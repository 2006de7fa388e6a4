"""Back-office forms: sign in, second factor, invitations, passwords."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.desks.operations import WEEKDAY_FIELDS, parse_hours
from portal.partners.accounts import password_problems
from portal.ui.forms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    PortalForm,
    SelectField,
    StringField,
    TextAreaField,
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


class CodeForm(PortalForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Enter the 6-digit code"))],
        hint=_l("6 digits; a new code every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
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


class AuditFilterForm(PortalForm):
    """The audit log's filters: a GET form (it changes nothing), so it carries no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    until = DateField(_l("To"), validators=[Optional()], format="%Y-%m-%d")

    def filter_values(self) -> dict[str, str]:
        """The filters as query values for a link (only these names: never url_for's own options)."""
        values = {
            "action": self.action.data,
            "organisation": self.organisation.data,
            "since": self.since.data.isoformat() if self.since.data else "",
            "until": self.until.data.isoformat() if self.until.data else "",
        }
        return {name: value for name, value in values.items() if value}


class DeskEditForm(PortalForm):
    """What an organisation keeps current about its desk (the address and position come from the file)."""

    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"autocomplete": "off"}
    )
    email = EmailField(
        _l("Email address"),
        validators=[Optional(), Email(_l("Enter an address like nom@exemple.fr"))],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300)],
        hint=_l("An address starting with https://"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    languages = StringField(
        _l("Languages spoken"),
        validators=[DataRequired(_l("Enter at least one language")), Length(max=120)],
        hint=_l("Language codes separated by spaces, for example: fr en ar"),
    )
    monday = StringField("monday", validators=[Optional(), Length(max=80)])  # label: the day in the locale
    tuesday = StringField("tuesday", validators=[Optional(), Length(max=80)])
    wednesday = StringField("wednesday", validators=[Optional(), Length(max=80)])
    thursday = StringField("thursday", validators=[Optional(), Length(max=80)])
    friday = StringField("friday", validators=[Optional(), Length(max=80)])
    saturday = StringField("saturday", validators=[Optional(), Length(max=80)])
    sunday = StringField("sunday", validators=[Optional(), Length(max=80)])
    step_free = BooleanField(_l("Access for reduced mobility"))
    accessibility_notes = TextAreaField(_l("Accessibility"), validators=[Optional(), Length(max=1000)])
    documents = TextAreaField(_l("What to bring"), validators=[Optional(), Length(max=1000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.hours = {}
        for weekday, name in enumerate(WEEKDAY_FIELDS):
            field = getattr(self, name)
            try:
                self.hours[weekday] = parse_hours(field.data or "")
            except ValueError:
                field.errors = [
                    *field.errors,
                    _l("Write the hours like 09:00-12:00, 13:30-17:00 (empty: closed)"),
                ]
                valid = False
        return valid

    def validate_website(self, field) -> None:
        if field.data and not re.fullmatch(r"https://[^\s/]+\.[^\s]+", field.data):
            raise ValidationError(_l("An address starting with https://"))

    def validate_languages(self, field) -> None:
        codes = (field.data or "").lower().split()
        if not codes or any(not re.fullmatch(r"[a-z]{2,3}", code) for code in codes):
            raise ValidationError(_l("Language codes separated by spaces, for example: fr en ar"))
        field.data = " ".join(dict.fromkeys(codes))


class PeriodForm(PortalForm):
    """A dated closure or notice of a desk, both days included. Two of them share a page under prefixes;
    their POSTs are checked by the app-wide CSRF protection (the template sends the usual token)."""

    class Meta:
        csrf = False

    starts_on = DateField(
        _l("From"), validators=[DataRequired(_l("Enter a date like 2026-12-24"))], format="%Y-%m-%d"
    )
    ends_on = DateField(
        _l("To"), validators=[DataRequired(_l("Enter a date like 2026-12-24"))], format="%Y-%m-%d"
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes before the start"))


class ClosureForm(PeriodForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class NoticeForm(PeriodForm):
    text = TextAreaField(_l("Notice"), validators=[DataRequired(_l("Write the notice")), Length(max=500)])
