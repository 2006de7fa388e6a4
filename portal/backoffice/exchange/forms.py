"""The landlords' form of the exchange: the file of answers to their tenants' listings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired, FileSize

from portal.ui.forms import FileField, PortalForm

MAX_BYTES = 1024 * 1024


class ConfirmationsForm(PortalForm):
    file = FileField(
        _l("File of answers (CSV)"),
        validators=[
            FileRequired(_l("Choose a file")),
            FileSize(MAX_BYTES, message=_l("The file is too large: 1 MB at most")),
        ],
        hint=_l(
            'A CSV file with a "reference" column (the lease reference the tenant gave) and a "decision" '
            'column ("confirmer" or "refuser"), separated by semicolons or commas. Nothing is recorded '
            "unless every line is right."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
