"""The exchange's forms: a tenant's sign-up, sign-in, one-time link, listing, messages and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.exchange import labels
from portal.information.forms import EligibilityForm
from portal.partners.accounts import password_problems
from portal.ui.forms import (
    BooleanField,
    CheckboxesField,
    EmailField,
    FileField,
    IntegerField,
    PasswordField,
    PortalForm,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)


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


class ListingForm(EligibilityForm):
    """A tenant's listing: their landlord and lease, their household and income (the ceilings it is
    under are worked out, never stored as amounts), their dwelling (never its address) and their wishes."""

    commune = SelectField(
        _l("Commune of your dwelling"), validators=[DataRequired(_l("Choose the commune of your dwelling"))]
    )
    landlord = SelectField(_l("Your landlord"), validators=[DataRequired(_l("Choose your landlord"))])
    tenant_reference = StringField(
        _l("Your tenant reference"),
        validators=[DataRequired(_l("Enter your tenant reference")), Length(max=40)],
        hint=_l(
            "Written on your lease or your rent notice. Your landlord checks it; other tenants never see it."
        ),
        filters=[_strip],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    district = StringField(
        _l("District"),
        validators=[Optional(), Length(max=80)],
        hint=_l("The name of the district or estate, never the address."),
        filters=[_strip],
    )
    dwelling_type = SelectField(_l("Type of your dwelling"), validators=[DataRequired(_l("Choose the type"))])
    surface = IntegerField(
        _l("Surface, in m²"),
        validators=[
            InputRequired(_l("Enter the surface")),
            NumberRange(5, 500, _l("Enter a surface between 5 and 500 m²")),
        ],
    )
    floor = IntegerField(
        _l("Floor"),
        validators=[InputRequired(_l("Enter the floor, 0 for the ground floor")), NumberRange(-2, 60)],
        hint=_l("0 for the ground floor."),
    )
    lift = BooleanField(_l("The building has a lift"))
    step_free = BooleanField(_l("No step from the street to the door of the dwelling"))
    rent = IntegerField(
        _l("Rent with charges, in euros a month"),
        validators=[
            InputRequired(_l("Enter the rent with charges")),
            NumberRange(1, 9999, _l("Enter an amount in euros, without cents")),
        ],
    )
    financing = SelectField(
        _l("Financing of the dwelling"),
        validators=[DataRequired(_l("Choose the financing"))],
        hint=_l("Written on your lease (PLAI, PLUS or PLS). If you do not know, ask your landlord."),
    )
    wish_types = CheckboxesField(
        _l("Types you would move into"),
        validators=[DataRequired(_l("Choose at least one type"))],
        hint=_l("Only the types that fit your household count: one room per person, give or take one."),
    )
    wish_communes = CheckboxesField(
        _l("Communes you would move to"),
        validators=[
            DataRequired(_l("Choose at least one commune")),
            Length(max=20, message=_l("Choose at most 20 communes")),
        ],
    )
    wish_max_rent = IntegerField(
        _l("Highest rent with charges you can pay, in euros a month"),
        validators=[
            InputRequired(_l("Enter the highest rent")),
            NumberRange(1, 9999, _l("Enter an amount in euros, without cents")),
        ],
    )
    wish_step_free = BooleanField(_l("I need a dwelling without steps (ground floor or lift)"))
    reason = TextAreaField(
        _l("Why you want to move, in a few words"),
        validators=[Optional(), Length(max=200, message=_l("At most 200 characters"))],
        filters=[_strip],
    )

    def set_choices(self, communes, landlords, dwelling_types, financings) -> None:
        self.set_communes(communes)
        self.wish_communes.choices = [(commune.insee, commune.name) for commune in communes]
        self.landlord.choices = [SelectChoice("", _l("Choose your landlord"))] + [
            SelectChoice(str(ident), name) for ident, name in landlords
        ]
        self.dwelling_type.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(kind, kind) for kind in dwelling_types
        ]
        self.wish_types.choices = [(kind, kind) for kind in dwelling_types]
        self.financing.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(kind, kind) for kind in financings
        ]


class WishesForm(PortalForm):
    """What a listed tenant is looking for, changed without listing again (the same fields as the
    listing's)."""

    wish_types = ListingForm.wish_types
    wish_communes = ListingForm.wish_communes
    wish_max_rent = ListingForm.wish_max_rent
    wish_step_free = ListingForm.wish_step_free
    reason = ListingForm.reason

    def set_choices(self, communes, dwelling_types) -> None:
        self.wish_types.choices = [(kind, kind) for kind in dwelling_types]
        self.wish_communes.choices = [(commune.insee, commune.name) for commune in communes]


class ListingActionForm(PortalForm):
    """The buttons of a listing (withdraw, renew): a form token only."""


class PhotoForm(PortalForm):
    photo = FileField(
        _l("Add a photo of your dwelling"),
        validators=[FileRequired(_l("Choose a photo"))],
        hint=_l(
            "JPEG, PNG or WebP, 8 MB at most, 3 photos in all. Show the rooms, not people, papers or "
            "anything that would give your address. The portal keeps a smaller copy without the "
            "photo's hidden data (place, date, device)."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


class MessageForm(PortalForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write your message")),
            Length(max=1000, message=_l("At most 1,000 characters")),
        ],
        hint=_l(
            "Do not write your e-mail address or phone number: use the button to share your address "
            "once you both agree."
        ),
        filters=[_strip],
    )


class ReportForm(PortalForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(code, label) for code, label in labels.REPORT_REASONS.items()],
        validators=[InputRequired(_l("Choose what is wrong"))],
    )
    comment = TextAreaField(
        _l("Tell the moderators more (optional)"),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters"))],
        filters=[_strip],
    )
