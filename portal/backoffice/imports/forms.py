"""The data imports' forms: the upload, and the confirmation that names the checked file."""

from __future__ import annotations

import flask_wtf.file
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import DataRequired, InputRequired

from portal.demands.imports import operations
from portal.ui.forms import ComponentField, PortalForm, RadioField


def kind_label(kind: str) -> str:
    return {
        "demands": _("Demands"),
        "events": _("Demand events (renewals, decisions, offers, refusals)"),
        "allocations": _("Allocations"),
        "stock": _("Social housing stock (RPLS)"),
    }[kind]


def max_mb() -> int:
    return current_app.config["PORTAL_SETTINGS"].import_max_mb


class FileField(ComponentField, flask_wtf.file.FileField):
    pass


class UploadForm(PortalForm):
    kind = RadioField(_l("Kind of file"), validators=[InputRequired(_l("Choose the kind of file"))])
    upload = FileField(
        _l("CSV file"),
        validators=[flask_wtf.file.FileRequired(_l("Choose a file"))],
        render_kw={"accept": ".csv,text/csv"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind, kind_label(kind)) for kind in operations.KINDS]
        self.upload.hint = _(
            "UTF-8 text with a header line, at most %(mb)s MB. The formats are described in the "
            "portal's documentation.",
            mb=max_mb(),
        )


class ConfirmForm(PortalForm):
    """The confirmation names the checked file by its hash and kind (and CSRF protects it)."""

    sha256 = HiddenField(validators=[DataRequired()])
    kind = HiddenField(validators=[DataRequired()])
    filename = HiddenField()
