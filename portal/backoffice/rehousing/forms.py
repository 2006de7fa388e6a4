"""The forms of the rehousing follow-up: an operation, a commitment, a household (or a file of them), an
offer and what comes of it. Choices (communes, partners) are set by the controllers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired, FileSize
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.demands.models import DWELLING_TYPES
from portal.ui.forms import (
    AmountField,
    BooleanField,
    CheckboxesField,
    DateField,
    FileField,
    IntegerField,
    PortalForm,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

MAX_BYTES = 2 * 1024 * 1024
TYPES = [SelectChoice(code, code) for code in DWELLING_TYPES]
DATE_MESSAGE = _l("Enter a date like 2026-12-24")


def _date(label, required: bool = True, **kwargs) -> DateField:
    validators = [DataRequired(DATE_MESSAGE)] if required else [Optional()]
    return DateField(label, validators=validators, format="%Y-%m-%d", **kwargs)


class OperationForm(PortalForm):
    name = StringField(
        _l("Name of the operation"), validators=[DataRequired(_l("Enter a name")), Length(max=200)]
    )
    neighbourhood = StringField(
        _l("Neighbourhood (priority urban district)"),
        validators=[DataRequired(_l("Enter the neighbourhood")), Length(max=200)],
    )
    qpv_code = StringField(
        _l("District code (QPV)"), validators=[Optional(), Length(max=20)], hint=_l("For example QN07201M")
    )
    commune = SelectField(_l("Commune"), validators=[DataRequired(_l("Choose the commune"))])
    landlord = SelectField(_l("Landlord of the buildings"), coerce=int, validators=[InputRequired()])
    buildings = TextAreaField(
        _l("Buildings concerned"), validators=[Optional(), Length(max=4000)], hint=_l("One building per line")
    )
    dwellings = IntegerField(
        _l("Dwellings concerned"),
        validators=[InputRequired(_l("Enter the number of dwellings")), NumberRange(1, 10000)],
    )
    announced_on = _date(_l("Announced on"))
    rehousing_starts_on = _date(_l("Rehousing starts on"))
    demolition_on = _date(_l("Demolition or works planned on"), required=False)

    def validate_demolition_on(self, field):
        start = self.rehousing_starts_on.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The demolition cannot come before the start of rehousing"))

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "neighbourhood": self.neighbourhood.data.strip(),
            "qpv_code": (self.qpv_code.data or "").strip().upper(),
            "commune_insee": self.commune.data,
            "landlord_id": self.landlord.data,
            "buildings": (self.buildings.data or "").strip(),
            "dwellings": self.dwellings.data,
            "announced_on": self.announced_on.data,
            "rehousing_starts_on": self.rehousing_starts_on.data,
            "demolition_on": self.demolition_on.data,
        }


class CommitmentForm(PortalForm):
    partner = SelectField(_l("Partner"), coerce=int, validators=[InputRequired()])
    dwelling_type = SelectField(_l("Dwelling type"), choices=TYPES, validators=[DataRequired()])
    offers = IntegerField(
        _l("Offers committed"),
        validators=[InputRequired(_l("Enter a number of offers")), NumberRange(0, 10000)],
        hint=_l("0 takes the commitment away"),
    )


class CloseForm(PortalForm):
    closed_on = _date(_l("Follow-up closed on"), required=False)


class HouseholdForm(PortalForm):
    reference = StringField(
        _l("Reference of the household"),
        validators=[DataRequired(_l("Enter the household's reference")), Length(max=40)],
        hint=_l("The landlord's reference: never a name"),
    )
    persons = IntegerField(
        _l("People in the household"), validators=[InputRequired(_l("Enter a number")), NumberRange(1, 20)]
    )
    children = IntegerField(_l("Of whom children"), validators=[Optional(), NumberRange(0, 19)], default=0)
    current_type = SelectField(_l("Dwelling it leaves"), choices=TYPES)
    rent = AmountField(_l("Rent today (€ a month)"), validators=[Optional()])
    rent_after_aid = AmountField(_l("Paid today after housing benefit (€ a month)"), validators=[Optional()])
    wished_type = SelectField(_l("Dwelling type needed"), choices=TYPES)
    wished_communes = CheckboxesField(
        _l("Communes wished"), validators=[Optional()], hint=_l("None ticked: any commune")
    )
    accessibility = BooleanField(_l("Needs a dwelling reachable without steps"))
    ageing_or_disability = BooleanField(_l("Ageing or disability to take into account"))
    stay_in_neighbourhood = BooleanField(_l("Wishes to stay in the neighbourhood"))
    rent_ceiling = AmountField(_l("Most it can pay after benefit (€ a month)"), validators=[Optional()])
    survey_on = _date(_l("Social survey done on"), required=False)
    followed_by = StringField(_l("Followed by"), validators=[Optional(), Length(max=120)])

    def validate_children(self, field):
        if field.data is not None and self.persons.data and field.data >= self.persons.data:
            raise ValidationError(_l("A household counts at least one adult"))

    def values(self) -> dict:
        return {
            "reference": self.reference.data.strip(),
            "persons": self.persons.data,
            "children": self.children.data or 0,
            "current_type": self.current_type.data,
            "rent": self.rent.data,
            "rent_after_aid": self.rent_after_aid.data,
            "wished_type": self.wished_type.data,
            "wished_communes": list(self.wished_communes.data or []),
            "accessibility": self.accessibility.data,
            "ageing_or_disability": self.ageing_or_disability.data,
            "stay_in_neighbourhood": self.stay_in_neighbourhood.data,
            "rent_ceiling": self.rent_ceiling.data,
            "survey_on": self.survey_on.data,
            "followed_by": (self.followed_by.data or "").strip(),
        }


class HouseholdFileForm(PortalForm):
    file = FileField(
        _l("File of households (CSV)"),
        validators=[
            FileRequired(_l("Choose a file")),
            FileSize(MAX_BYTES, message=_l("The file is too large: 2 MB at most")),
        ],
        hint=_l(
            "One line per household, the columns described below, separated by semicolons or commas. "
            "Nothing is imported unless every line is right."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )


class ProposalForm(PortalForm):
    partner = SelectField(_l("Propose the household to"), coerce=int, validators=[InputRequired()])


class OfferForm(PortalForm):
    partner = SelectField(_l("Offer brought by"), coerce=int, validators=[InputRequired()])
    landlord_name = StringField(
        _l("Landlord of the dwelling"), validators=[DataRequired(_l("Enter the landlord")), Length(max=200)]
    )
    commune = SelectField(_l("Commune of the dwelling"), validators=[DataRequired(_l("Choose the commune"))])
    dwelling_type = SelectField(_l("Dwelling type"), choices=TYPES)
    in_qpv = BooleanField(_l("In a priority urban district (QPV)"))
    recent = BooleanField(_l("New, or renovated in the last five years"))
    step_free = BooleanField(_l("Reachable without steps"))
    rent = AmountField(_l("Rent (€ a month)"), validators=[InputRequired(_l("Enter the rent"))])
    rent_after_aid = AmountField(_l("To pay after housing benefit (€ a month)"), validators=[Optional()])
    suitable = BooleanField(
        _l("This offer meets the household's needs and means"),
        hint=_l(
            "Size, rent and place as the law requires for rehousing (law of 1 September 1948, art. 13 bis)"
        ),
    )
    offered_on = _date(_l("Offered on"))

    def values(self) -> dict:
        return {
            "landlord_name": self.landlord_name.data.strip(),
            "commune_insee": self.commune.data,
            "in_qpv": self.in_qpv.data,
            "recent": self.recent.data,
            "dwelling_type": self.dwelling_type.data,
            "step_free": self.step_free.data,
            "rent": self.rent.data,
            "rent_after_aid": self.rent_after_aid.data,
            "suitable": self.suitable.data,
            "offered_on": self.offered_on.data,
        }


class DecisionForm(PortalForm):
    decision = RadioField(
        _l("The household's answer"),
        choices=[
            SelectChoice("accepted", _l("Offer accepted")),
            SelectChoice("refused", _l("Offer refused")),
        ],
        validators=[InputRequired(_l("Choose the answer"))],
    )
    reason = SelectField(_l("Reason for refusing"), validators=[Optional()])
    decided_on = _date(_l("Answered on"))

    def validate_reason(self, field):
        if self.decision.data == "refused" and not field.data:
            raise ValidationError(_l("Choose the reason for refusing"))


class MoveForm(PortalForm):
    moved_on = _date(_l("Moved on"))


class LeftForm(PortalForm):
    reason = SelectField(_l("How the household left"), validators=[DataRequired(_l("Choose how"))])
    ended_on = _date(_l("Left on"))
