"""Forms of the information area: the eligibility checker and the search box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from portal.ui.forms import BooleanField, IntegerField, PortalForm, SelectField


class EligibilityForm(PortalForm):
    """Asks only what the ceilings need; nothing is stored."""

    commune = SelectField(
        _l("Commune of the dwelling you wish for"),
        validators=[DataRequired(_l("Choose the commune where you wish to live"))],
        hint=_l("The commune sets the ceiling zone. If you wish for several, choose your first choice."),
    )
    adults = IntegerField(
        _l("Number of adults who will live in the dwelling"),
        validators=[
            InputRequired(_l("Enter the number of adults, for example 1")),
            NumberRange(1, 12, _l("Enter a number of adults between 1 and 12")),
        ],
        hint=_l("Including you."),
    )
    dependants = IntegerField(
        _l("Number of dependants"),
        validators=[
            InputRequired(_l("Enter the number of dependants, 0 if there are none")),
            NumberRange(0, 15, _l("Enter a number of dependants between 0 and 15")),
        ],
        hint=_l("Children and other people you support, as on your tax notice. Enter 0 if none."),
    )
    couple = BooleanField(_l("The adults are a couple (married, civil partnership or living together)"))
    age_first = IntegerField(
        _l("Age of the first member of the couple"),
        validators=[Optional(), NumberRange(16, 120, _l("Enter an age between 16 and 120"))],
        hint=_l(
            "Only for a couple without dependants: a young couple (ages adding up to 55 or less) "
            "has higher ceilings."
        ),
    )
    age_second = IntegerField(
        _l("Age of the second member of the couple"),
        validators=[Optional(), NumberRange(16, 120, _l("Enter an age between 16 and 120"))],
    )
    disabled_member = BooleanField(
        _l("A member of the household has a disability card (carte mobilité inclusion, mention invalidité)")
    )
    income = IntegerField(
        _l("Reference tax income of the household for the year before last (N-2), in euros"),
        validators=[
            InputRequired(_l("Enter the reference tax income, 0 if you have none")),
            NumberRange(0, 10_000_000, _l("Enter an amount in euros, without cents")),
        ],
        hint=_l(
            'Add up the "revenu fiscal de référence" on the tax notices of every adult, '
            "for the income of the year before last."
        ),
    )
    recent_income = IntegerField(
        _l("If your income has dropped: the household's income of last year or of the last 12 months"),
        validators=[Optional(), NumberRange(0, 10_000_000, _l("Enter an amount in euros, without cents"))],
        hint=_l(
            "Optional. It replaces the income above only when it is at least 10 % below it: "
            "for example 18,000 € or less instead of 20,000 €."
        ),
    )

    def set_communes(self, communes) -> None:
        self.commune.choices = [SelectChoice("", _l("Choose a commune"))] + [
            SelectChoice(commune.insee, commune.name) for commune in communes
        ]

    def validate_couple(self, field) -> None:
        if field.data and self.adults.data is not None and self.adults.data != 2:
            raise ValidationError(_l("A couple means two adults: check the number of adults"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A couple without dependants may be a young couple: the rule needs both ages. Checked here, not
        # in a field's own validators: Optional() stops those of an empty field.
        if self.couple.data and self.dependants.data == 0 and self.adults.data == 2:
            for field in (self.age_first, self.age_second):
                if field.data is None and not field.errors:
                    field.errors.append(_l("Enter the age of each member of the couple"))
                    valid = False
        return valid

    def ages(self) -> tuple[int, ...]:
        if self.age_first.data is None or self.age_second.data is None:
            return ()
        return (self.age_first.data, self.age_second.data)
