"""The audit log's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from portal.ui.forms import (
    DateField,
    PortalForm,
    SelectField,
)


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
