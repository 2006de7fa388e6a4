"""The desk search form: a GET form (it changes nothing), so it carries no CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice
from wtforms.validators import Optional

from portal.ui.forms import BooleanField, PortalForm, SearchField, SelectField


class DeskSearchForm(PortalForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Commune or postcode"),
        validators=[Optional()],
        hint=_l("For example: Allonnes, or 72700. Leave empty to see every desk."),
    )
    lat = HiddenField()
    lon = HiddenField()
    level = SelectField(
        _l("What do you need?"),
        choices=[
            SelectChoice("", _l("Any desk")),
            SelectChoice("1", _l("Information (every desk)")),
            SelectChoice("2", _l("Register or renew a demand (levels 2 and 3)")),
            SelectChoice("3", _l("A personal interview and help with my file (level 3)")),
        ],
        validators=[Optional()],
    )
    language = SelectField(_l("Language spoken at the desk"), validators=[Optional()])
    open_now = BooleanField(_l("Open now"))
    walk_in = BooleanField(_l("Without appointment"))
    step_free = BooleanField(_l("Access for reduced mobility"))

    def point(self) -> tuple[float, float] | None:
        """The position sent by "near me", when it is a valid one."""
        try:
            lat, lon = float(self.lat.data), float(self.lon.data)
        except (TypeError, ValueError):
            return None
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return round(lat, 3), round(lon, 3)
        return None
