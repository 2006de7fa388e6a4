"""The desk agent's choice of guide: a GET form (it changes nothing), so it carries no CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import InputRequired, Optional

from portal.ui.forms import PortalForm, SelectField


class GuideForm(PortalForm):
    class Meta:
        csrf = False

    guide = SelectField(
        _l("Guide"),
        choices=[
            SelectChoice("guide", _l("Applicant's guide")),
            SelectChoice("easy", _l("Applicant's guide in easy-to-read French")),
            SelectChoice("commune", _l("Applicant's guide, edition for one commune")),
            SelectChoice("grid", _l("Scoring grid sheet")),
        ],
        validators=[InputRequired()],
    )
    locale = SelectField(_l("Language of the guide"), validators=[InputRequired()])
    commune = SelectField(
        _l("Commune"),
        validators=[Optional()],
        hint=_l("For the commune edition: its desks and its neighbours'."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.guide.data == "commune" and not self.commune.data:
            self.commune.errors = [*self.commune.errors, _l("Choose the commune of this edition.")]
            return False
        return valid
