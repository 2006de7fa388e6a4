"""The look-up form: the unique number and the date of birth."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from portal import clock
from portal.demands.models import DWELLING_TYPES
from portal.demands.services import NUMBER, normalize_number
from portal.ui.forms import EmailField, PortalForm, RadioField, SelectField, StringField


class LookupForm(PortalForm):
    number = StringField(
        _l("Unique number of your demand"),
        validators=[DataRequired(_l("Enter the unique number of your demand"))],
        hint=_l("18 characters, on your registration certificate, for example 072 03 24 000123 G0123."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    birth_date = StringField(
        _l("Your date of birth"),
        validators=[DataRequired(_l("Enter your date of birth"))],
        hint=_l("Day, month and year, for example 14/07/1985."),
        render_kw={"autocomplete": "bday", "inputmode": "numeric"},
    )

    def validate_number(self, field) -> None:
        if not NUMBER.match(normalize_number(field.data)):
            raise ValidationError(_l("The unique number has 18 characters: 13 digits, then the desk's code"))

    def validate_birth_date(self, field) -> None:
        if self.date() is None:
            raise ValidationError(_l("Enter the date like 14/07/1985"))

    def date(self) -> dt.date | None:
        match = re.fullmatch(r"\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*", self.birth_date.data or "")
        if not match:
            return None
        try:
            day = dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
        return day if dt.date(1900, 1, 1) <= day <= clock.today() else None


class ReminderForm(PortalForm):
    email = EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters")),
            Email(_l("Enter an e-mail address like name@example.org")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"},
    )


class ProfileForm(PortalForm):
    """A kind of demand, for the outcome of similar demands (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    kind = RadioField(
        _l("Your demand"),
        choices=[
            SelectChoice("new", _l("A first social dwelling")),
            SelectChoice("transfer", _l("I already rent a social dwelling")),
        ],
        default="new",
        validators=[InputRequired(_l("Choose the kind of demand"))],
    )
    dwelling_type = SelectField(
        _l("Dwelling wished"),
        choices=[SelectChoice("", _l("Choose")), *(SelectChoice(name, name) for name in DWELLING_TYPES)],
        validators=[DataRequired(_l("Choose the dwelling you wish for"))],
    )
    commune = SelectField(_l("First-choice commune"), validators=[DataRequired(_l("Choose a commune"))])
