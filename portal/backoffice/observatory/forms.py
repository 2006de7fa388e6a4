"""The partners' observatory's filters: a period of five years at most, a commune, a dwelling type and
a landlord."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional, ValidationError

from portal import clock, db
from portal.demands.models import DWELLING_TYPES
from portal.observatory.figures import Period
from portal.observatory.indicators import Filters, landlords
from portal.ui.forms import DateField, PortalForm, SelectField

MAX_YEARS = 5  # a longer period is refused: the figures of a plan (6 years) are read year by year


class ObservatoryFilterForm(PortalForm):
    """The dashboard's filters: a GET form (it changes nothing), so it carries no CSRF token."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    end = DateField(_l("To"), validators=[Optional()], format="%Y-%m-%d")
    commune = SelectField(_l("Commune"), validators=[Optional()])
    dwelling_type = SelectField(_l("Dwelling type"), validators=[Optional()])
    landlord = SelectField(
        _l("Landlord"),
        validators=[Optional()],
        hint=_l("Applies to the allocations and the stock only: demands have no landlord."),
    )

    def validate_end(self, field) -> None:
        period = self.period()
        if period.end < period.start:
            raise ValidationError(_("The end of the period must not be before its start"))
        if period.end >= _years_after(period.start, MAX_YEARS):
            raise ValidationError(_("Choose a period of %(years)s years at most", years=MAX_YEARS))

    def period(self) -> Period:
        """The period asked, each missing end taken from the default (the twelve months before today)."""
        default = Period.year_before(clock.today())
        return Period(self.start.data or default.start, self.end.data or default.end)

    def filters(self) -> Filters:
        return Filters(
            self.period(),
            commune=self.commune.data or None,
            dwelling_type=self.dwelling_type.data or None,
            landlord=self.landlord.data or None,
        )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


def filter_form(names: dict[str, str]) -> ObservatoryFilterForm:
    default = Period.year_before(clock.today())
    form = ObservatoryFilterForm(request.args, start=default.start, end=default.end)
    form.commune.choices = [("", _("All communes")), *names.items()]
    form.dwelling_type.choices = [("", _("All types"))] + [(kind, kind) for kind in DWELLING_TYPES]
    form.landlord.choices = [("", _("All landlords"))] + [(name, name) for name in landlords(db.session())]
    return form
