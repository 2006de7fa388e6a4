"""What an organisation keeps current about its desks: contact, hours, closures, notices."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.desks.operations import WEEKDAY_FIELDS, parse_hours
from portal.ui.forms import (
    BooleanField,
    DateField,
    EmailField,
    PortalForm,
    StringField,
    TextAreaField,
)


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
