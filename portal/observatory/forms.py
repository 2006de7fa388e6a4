"""The comparison form of the public figures: a GET form (it changes nothing), so it carries no CSRF
token; every commune is a checkbox, so it works without JavaScript and on a phone."""

from __future__ import annotations

import wtforms
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from wtforms import SelectChoice
from wtforms.validators import Optional, ValidationError

from portal.demands.models import DWELLING_TYPES
from portal.ui.forms import ComponentField, PortalForm, SelectField

MAX_COMMUNES = 5  # more columns would not fit a phone, nor be read side by side


class CheckboxesField(ComponentField, wtforms.SelectMultipleField):
    """Several choices among a list, one checkbox each, in a fieldset (observatory/_checkboxes.html).

    The submitted values are kept as they came, known or not, so that the page can show them back."""

    component = "checkboxes"

    def __call__(self, **attributes) -> Markup:
        module = current_app.jinja_env.get_template("observatory/_checkboxes.html").module
        return module.checkboxes(self, attributes)

    def pre_validate(self, form) -> None:
        """Unknown values are reported by the form's own check, with a message of ours."""


class CompareForm(PortalForm):
    class Meta:
        csrf = False

    communes = CheckboxesField(
        _l("Communes to compare"),
        hint=_l("Choose from 1 to 5 communes."),
    )
    type = SelectField(
        _l("Dwelling type"),
        choices=[SelectChoice("", _l("All types"))]
        + [SelectChoice(dwelling_type, dwelling_type) for dwelling_type in DWELLING_TYPES],
        validators=[Optional()],
        validate_choice=False,  # an unknown type gets our message, from validate_type
        hint=_l("T1: one main room; T2: two rooms (a bedroom); and so on. T5 means five rooms or more."),
    )

    def set_communes(self, communes) -> None:
        self.communes.choices = [(commune.insee, commune.name) for commune in communes]

    def validate_communes(self, field) -> None:
        known = {value for value, _label in field.choices}
        chosen = field.data or []
        if not chosen:
            raise ValidationError(_l("Choose at least one commune"))
        if any(value not in known for value in chosen):
            raise ValidationError(_l("Choose communes from the list"))
        if len(set(chosen)) > MAX_COMMUNES:
            raise ValidationError(
                ngettext(
                    "Choose at most %(num)s commune, you chose %(chosen)s",
                    "Choose at most %(num)s communes, you chose %(chosen)s",
                    MAX_COMMUNES,
                    chosen=len(set(chosen)),
                )
            )

    def validate_type(self, field) -> None:
        if field.data and field.data not in DWELLING_TYPES:
            raise ValidationError(_l("Choose a dwelling type from the list"))

    def chosen(self) -> list[str]:
        """The chosen INSEE codes, each once, in the order given."""
        return list(dict.fromkeys(self.communes.data or []))
