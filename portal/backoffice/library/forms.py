"""Forms of the network's common space: a document (with its file when uploaded), a news item, a meeting,
and the filters of the documents list."""

from __future__ import annotations

import re

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.ui.forms import (
    ComponentField,
    DateField,
    FileField,
    PortalForm,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)

MAX_TAGS = 10
TAG_LENGTH = 40


class TimeField(ComponentField, wtforms.TimeField):
    pass


def visibility_field() -> RadioField:
    return RadioField(
        _l("Who can see it"),
        choices=[
            SelectChoice("partners", _l("Partners only (signed in)")),
            SelectChoice("public", _l("Everyone: also on the public site")),
        ],
        default="partners",
        validators=[InputRequired(_l("Choose who can see it"))],
    )


def parse_tags(text: str | None) -> list[str]:
    """Tags typed as "cotation, comité de pilotage": lower-case, spaces tidied, each once, in order."""
    tags = (" ".join(part.split()).lower() for part in (text or "").split(","))
    return list(dict.fromkeys(tag for tag in tags if tag))


class DocumentForm(PortalForm):
    """What partners say about a document; the file itself is only sent when it is uploaded."""

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter the document's title")), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=400)],
        hint=_l("Words separated by commas, for example: cotation, steering committee"),
    )
    visibility = visibility_field()

    def validate_tags(self, field) -> None:
        tags = parse_tags(field.data)
        if len(tags) > MAX_TAGS or any(len(tag) > TAG_LENGTH or re.search(r"[<>]", tag) for tag in tags):
            raise ValidationError(
                _l("At most %(count)s tags of %(length)s characters each", count=MAX_TAGS, length=TAG_LENGTH)
            )


class UploadForm(DocumentForm):
    """A new document: its details and its file (the hint, with the size limit, is set by the view)."""

    file = FileField(
        _l("File"),
        render_kw={"accept": ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.csv,.txt"},
    )


class NewsForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(_l("Write the text")), Length(max=20000)],
        hint=_l("Markdown: *italic*, **bold**, [a link](https://…), lists with -; no HTML."),
        render_kw={"rows": 10},
    )
    visibility = visibility_field()


class MeetingForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    day = DateField(
        _l("Date"), validators=[DataRequired(_l("Enter a date like 2026-12-24"))], format="%Y-%m-%d"
    )
    time = TimeField(
        _l("Time (Paris)"), validators=[DataRequired(_l("Enter a time like 14:30"))], format="%H:%M"
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    visibility = visibility_field()


class DocumentFilterForm(PortalForm):
    """The documents list's filters: a GET form (it changes nothing), so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Title contains"), validators=[Optional(), Length(max=100)])
    tag = SelectField(_l("Tag"), validators=[Optional()])
