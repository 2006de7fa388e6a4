"""The content workflow's forms: a draft's texts, a reviewer's comment, the organisation one acts for."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length, Optional

from portal.ui.forms import BooleanField, PortalForm, SelectField, StringField, TextAreaField


class DraftForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the page's title")), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=600)],
        hint=_l("One or two sentences shown under the title and in the lists."),
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[DataRequired(_l("Enter the text of the page")), Length(max=60000)],
        hint=_l("## for a heading, - for a list, [words](/fr/informations/page) for a link, **bold**."),
        render_kw={"rows": 24, "spellcheck": "true"},
    )
    follows_french = BooleanField(_l("This text now says what the current French page says"))
    lock_version = HiddenField()  # the draft's counter when this copy was made (empty: no draft yet)


class ReviewForm(PortalForm):
    comment = TextAreaField(
        _l("Comment for the editors"),
        validators=[Optional(), Length(max=4000)],
        hint=_l("Required to send the draft back: say what to change."),
        render_kw={"rows": 4},
    )


class OrganisationChoice(PortalForm):
    class Meta:
        csrf = False

    organisation = SelectField(_l("On behalf of"), validators=[Optional()])
