"""Data imports in the partners' workspace (/partenaires/donnees): the EPCI's administrators and editors
upload a demands, events, allocations or stock file, read its validation report (a dry run: nothing
written), then confirm to apply it; every attempt goes to the import history, every applied import to
the audit log. The checks and the work are in portal.demands.imports.operations."""

from __future__ import annotations

import flask_wtf.file
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import HiddenField
from wtforms.validators import DataRequired, InputRequired

from portal import clock, db
from portal.backoffice.permissions import current_user, epci_role
from portal.cotation.services import stored_grids
from portal.demands.imports import operations
from portal.demands.imports.problems import translated
from portal.demands.imports.records import ImportRecord
from portal.demands.scoring import recompute
from portal.observatory import services as observatory
from portal.partners import audit
from portal.partners.models import User
from portal.territory.services import current_territory
from portal.ui.forms import ComponentField, PortalForm, RadioField

audit.register({"data.imported": _l("Data file imported")})
IMPORT_ROLES = ("admin", "editor")
SHOWN_PROBLEMS = 100  # the report lists this many problems, and says how many more there are
HISTORY_PAGE = 200
MB = 1024 * 1024


def kind_label(kind: str) -> str:
    return {
        "demands": _("Demands"),
        "events": _("Demand events (renewals, decisions, offers, refusals)"),
        "allocations": _("Allocations"),
        "stock": _("Social housing stock (RPLS)"),
    }[kind]


def shown_reason(reason: str) -> tuple[str, str | None]:
    """A refused row's reason in the workspace's language, with the `lang` its cell needs: "en" while
    the reason is not translated in this language yet (the imports give English with a msgid: see
    portal/demands/imports/problems.py), None once it is, or when the workspace is in English."""
    text, is_translated = translated(reason, _)
    locale = get_locale()
    english_page = locale is not None and locale.language == "en"
    return text, None if is_translated or english_page else "en"


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


def max_mb() -> int:
    return current_app.config["PORTAL_SETTINGS"].import_max_mb


def may_import(user: User | None) -> bool:
    """For the dashboard: whether this person may open the imports (the rule of the views below)."""
    return user is not None and user.has_role(*IMPORT_ROLES, epci=True)


def _organisation_id(user: User) -> int | None:
    """The EPCI organisation the person imports for."""
    organisation = user.organisation_with(*IMPORT_ROLES, epci=True)
    return organisation.id if organisation is not None else None


def raise_upload_limit(endpoint: str | None, _values) -> None:
    """Data files may be larger than the app's limit (MAX_CONTENT_LENGTH): for the upload only, and only
    for a person signed in with an import role. This runs before the CSRF check, which is the first to
    read the body: anybody else's upload is cut at the app's limit before it is read."""
    if endpoint == "imports.upload" and request.method == "POST":
        user = current_user()
        if user is not None and may_import(user):
            request.max_content_length = max_mb() * MB + MB  # the file and the rest of the form


def too_large(_error):
    form = UploadForm(formdata=None)
    form.upload.errors = [_("The file is larger than %(mb)s MB.", mb=max_mb())]
    return render_template("backoffice/imports/upload.html", form=form), 413


@epci_role(*IMPORT_ROLES)
def upload():
    """Choose a kind and a file; a posted file gets its validation report (nothing written)."""
    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("backoffice/imports/upload.html", form=form), status
    settings = current_app.config["PORTAL_SETTINGS"]
    file = form.upload.data
    try:
        stored = operations.store_upload(file.stream, file.filename, settings.instance_dir, max_mb() * MB)
    except operations.UploadRefused as exc:
        form.upload.errors = [_upload_message(exc.reason)]
        return render_template("backoffice/imports/upload.html", form=form), 413 if (
            exc.reason == "too_large"
        ) else 400
    dbs = db.session()
    outcome = operations.check(dbs, form.kind.data, stored.path, clock.today())
    if outcome.refused:
        user = current_user()
        operations.record(dbs, user, _organisation_id(user), stored, outcome)
        dbs.commit()
        operations.forget_upload(stored)
    else:
        dbs.rollback()
    return _report(stored, outcome)


def _upload_message(reason: str) -> str:
    return {
        "too_large": _("The file is larger than %(mb)s MB.", mb=max_mb()),
        "not_csv": _("Choose a CSV file: its name ends in .csv."),
        "not_text": _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
        "empty": _("The file is empty."),
    }[reason]


def _report(stored: operations.StoredFile, outcome: operations.Outcome, applied_failed: bool = False):
    confirm = ConfirmForm(formdata=None, sha256=stored.sha256, kind=outcome.kind, filename=stored.filename)
    return render_template(
        "backoffice/imports/report.html",
        stored=stored,
        outcome=outcome,
        kind=kind_label(outcome.kind),
        shown=outcome.problems[:SHOWN_PROBLEMS],
        more=outcome.problem_total - min(len(outcome.problems), SHOWN_PROBLEMS),
        confirm=confirm,
        applied_failed=applied_failed,
    )


@epci_role(*IMPORT_ROLES)
def confirm():
    """Apply a checked file: the same checks again, in one transaction with its history and audit."""
    form = ConfirmForm()
    settings = current_app.config["PORTAL_SETTINGS"]
    stored = None
    if form.validate_on_submit() and form.kind.data in operations.KINDS:
        stored = operations.stored_upload(settings.instance_dir, form.sha256.data, form.filename.data)
    if stored is None:
        upload_form = UploadForm(formdata=None)
        upload_form.upload.errors = [
            _("The file to apply has changed or is no longer here: upload it again to check it.")
        ]
        return render_template("backoffice/imports/upload.html", form=upload_form), 400
    dbs = db.session()
    user = current_user()
    outcome = operations.run(dbs, form.kind.data, stored.path, clock.today())
    operations.record(dbs, user, _organisation_id(user), stored, outcome)
    dbs.commit()
    operations.forget_upload(stored)
    if outcome.refused:
        return _report(stored, outcome, applied_failed=True), 400
    if outcome.kind == "demands":
        _rescore()
    observatory.refresh(dbs, clock.today())  # the public figures follow the new data
    dbs.commit()
    flash(_("The file was imported: %(rows)s rows.", rows=outcome.rows))
    return redirect(url_for("imports.history"))


def _rescore() -> None:
    """After a demands import, as the command line does: every active demand scored again (in
    transactions of its own, after the import's; the grids are read in a session closed at once)."""
    with db.database().sessions() as session:
        grids = stored_grids(session)
    recompute(db.database().sessions, grids, clock.today(), current_territory().abnormal_delay_months)


@epci_role(*IMPORT_ROLES)
def history():
    """Every import attempt, newest first: who, when, which file, what it did."""
    records = db.session().scalars(
        select(ImportRecord).order_by(ImportRecord.at.desc(), ImportRecord.id.desc()).limit(HISTORY_PAGE)
    )
    return render_template("backoffice/imports/history.html", records=list(records))
