"""The forms of the priority follow-up: a referral, a committee session, putting a referral on an agenda,
the committee's decision, the end of a follow-up. Choices are set by the controllers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.ui.forms import (
    AmountField,
    BooleanField,
    CheckboxesField,
    DateField,
    IntegerField,
    PortalForm,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

DATE_MESSAGE = _l("Enter a date like 2026-12-24")
REQUIRED_IF_LABELLED = _l("Required for a priority household")


class ReferralForm(PortalForm):
    organisation = SelectField(_l("Referred by the organisation"), coerce=int, validators=[InputRequired()])
    demand_number = StringField(
        _l("Unique number of the demand"),
        validators=[DataRequired(_l("Enter the demand's unique number")), Length(max=30)],
        hint=_l("18 characters, on the registration certificate: the household is named by it alone"),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    criteria = CheckboxesField(
        _l("The household's situation (CCH L.441-1)"),
        validators=[DataRequired(_l("Tick at least one situation"))],
    )
    support_organisation = StringField(
        _l("Organisation supporting the household"),
        validators=[DataRequired(_l("Enter the organisation supporting the household")), Length(max=200)],
    )
    comment = TextAreaField(
        _l("For the committee"),
        validators=[Optional(), Length(max=600)],
        hint=_l(
            "Facts the committee needs, 600 characters at most: never a name, an address or a health detail"
        ),
    )


class SessionForm(PortalForm):
    held_on = DateField(_l("Date of the session"), validators=[DataRequired(DATE_MESSAGE)], format="%Y-%m-%d")
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])


class AgendaForm(PortalForm):
    committee_session = SelectField(
        _l("Session"), coerce=int, validators=[InputRequired(_l("Choose a session"))]
    )


class DecisionForm(PortalForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("labelled", _l("Priority household")),
            SelectChoice("not_labelled", _l("Not labelled")),
        ],
        validators=[InputRequired(_l("Choose the decision"))],
    )
    criterion = SelectField(_l("Criterion retained"), hint=REQUIRED_IF_LABELLED)
    holder = SelectField(_l("Oriented to the reservation holder"), hint=REQUIRED_IF_LABELLED)
    reasons = TextAreaField(
        _l("Reasons"), validators=[DataRequired(_l("Give the reasons")), Length(max=1000)]
    )
    decided_on = DateField(_l("Decided on"), validators=[DataRequired(DATE_MESSAGE)], format="%Y-%m-%d")

    def validate_criterion(self, field):
        if self.decision.data == "labelled" and not field.data:
            raise ValidationError(_l("Choose the criterion retained"))

    def validate_holder(self, field):
        if self.decision.data == "labelled" and not field.data:
            raise ValidationError(_l("Choose the reservation holder"))


class CloseForm(PortalForm):
    reason = SelectField(_l("Why the follow-up ends"), validators=[DataRequired(_l("Choose why"))])
    closed_on = DateField(_l("On"), validators=[DataRequired(DATE_MESSAGE)], format="%Y-%m-%d")


class ObjectiveForm(PortalForm):
    priority_share = IntegerField(
        _l("Share of allocations to DALO or priority households (%)"),
        validators=[InputRequired(_l("Enter a percentage")), NumberRange(0, 100, _l("Between 0 and 100"))],
        hint=_l("The law asks at least a quarter of each reservation holder's allocations"),
    )
    lowest_quartile_share = IntegerField(
        _l("Share of allocations outside QPV to the lowest income quartile (%)"),
        validators=[InputRequired(_l("Enter a percentage")), NumberRange(0, 100, _l("Between 0 and 100"))],
        hint=_l("The law asks at least a quarter of the allocations outside priority urban districts"),
    )


class VacancyForm(PortalForm):
    """A vacant dwelling, asked in the page's address (a GET form: the list is read, nothing changes)."""

    class Meta(PortalForm.Meta):
        csrf = False

    landlord = SelectField(_l("Landlord"), coerce=int, validators=[InputRequired(_l("Choose the landlord"))])
    commune = SelectField(_l("Commune"), validators=[DataRequired(_l("Choose the commune"))])
    dwelling_type = SelectField(_l("Dwelling type"), validators=[DataRequired()])
    financing = SelectField(_l("Financing"), validators=[DataRequired()])
    rent = AmountField(
        _l("Rent, charges included (€ a month)"), validators=[InputRequired(_l("Enter the rent"))]
    )
    in_qpv = BooleanField(_l("In a priority urban district (QPV)"))
    holder = SelectField(_l("Reservation holder of the dwelling"), validators=[Optional()])
