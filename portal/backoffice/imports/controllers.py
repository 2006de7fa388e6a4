"""Data imports in the partners' workspace (/partenaires/donnees): the EPCI's administrators and editors
upload a demands, events, allocations or stock file; the job consumer checks it (a dry run: nothing
written) and the person reads the validation report, then confirms to apply it (another job). Every
attempt goes to the import history, every applied import to the audit log. The request only stores the
file and records the job: the checks and the work are in portal.demands.imports (operations, jobs)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import db
from portal.backoffice.imports.forms import ConfirmForm, UploadForm, kind_label, max_mb
from portal.backoffice.permissions import current_user, epci_role
from portal.demands.imports import jobs as import_jobs
from portal.demands.imports import operations
from portal.demands.imports.problems import Reason, translated
from portal.demands.imports.records import ImportRecord
from portal.jobs import records as job_records
from portal.jobs.models import JobRecord
from portal.partners import audit
from portal.partners.models import User

audit.register({"data.imported": _l("Data file imported")})
IMPORT_ROLES = ("admin", "editor")
HISTORY_PAGE = 200
MB = 1024 * 1024


def shown_reason(reason: str) -> tuple[str, str | None]:
    """A refused row's reason in the workspace's language, with the `lang` its cell needs: "en" while
    the reason is not translated in this language yet (the imports give English with a msgid: see
    portal/demands/imports/problems.py), None once it is, or when the workspace is in English."""
    text, is_translated = translated(reason, _)
    locale = get_locale()
    english_page = locale is not None and locale.language == "en"
    return text, None if is_translated or english_page else "en"


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
    """Choose a kind and a file; a posted file is stored and checked by the job consumer (nothing
    written): the person follows the check on the job's page, which links to the validation report."""
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
    params = {"kind": form.kind.data, "sha256": stored.sha256, "filename": stored.filename}
    return _start(import_jobs.check_file, "import.check", params, form)


def _start(runner, kind: str, params: dict, form):
    """Record the job (one data job at a time for the territory) and send the person to its page."""
    dbs = db.session()
    user = current_user()
    try:
        record = job_records.create(
            dbs, runner, kind, params, user.id, _organisation_id(user), lock=import_jobs.DATA_LOCK
        )
    except job_records.Busy as busy:
        dbs.rollback()
        form = UploadForm(formdata=None)
        form.upload.errors = [
            _(
                "Another import or a grid activation is under way: wait until it ends, then send the "
                "file again."
            )
        ]
        return render_template("backoffice/imports/upload.html", form=form, busy=busy.job), 409
    dbs.commit()
    return redirect(url_for("jobs.job", job_id=record.id))


def _upload_message(reason: str) -> str:
    return {
        "too_large": _("The file is larger than %(mb)s MB.", mb=max_mb()),
        "not_csv": _("Choose a CSV file: its name ends in .csv."),
        "not_text": _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
        "empty": _("The file is empty."),
    }[reason]


@epci_role(*IMPORT_ROLES)
def report(job_id: int):
    """The validation report of a checked file (or of a file refused when applied), from its job."""
    record = db.session().get(JobRecord, job_id)
    if record is None or record.kind not in ("import.check", "import.apply") or record.state != "done":
        abort(404)
    outcome = dict(record.result["outcome"])
    shown = [(row, column, Reason(msgid, values)) for row, column, msgid, values in outcome.pop("problems")]
    outcome["refused"] = outcome["problem_total"] > 0
    if record.kind == "import.apply" and not outcome["refused"]:
        return redirect(url_for("imports.history"))  # applied: its line in the history says what it did
    stored = record.result["file"]
    confirm = ConfirmForm(
        formdata=None, sha256=stored["sha256"], kind=outcome["kind"], filename=stored["filename"]
    )
    return render_template(
        "backoffice/imports/report.html",
        stored=stored,
        outcome=outcome,
        kind=kind_label(outcome["kind"]),
        shown=shown,
        more=outcome["problem_total"] - len(shown),
        confirm=confirm,
        applied_failed=record.kind == "import.apply",
    ), 400 if outcome["refused"] and record.kind == "import.apply" else 200


@epci_role(*IMPORT_ROLES)
def confirm():
    """Apply a checked file: the job consumer checks it again and applies it, in one transaction with
    its history and audit entry, then scores the demands and computes the public figures."""
    form = ConfirmForm()
    settings = current_app.config["PORTAL_SETTINGS"]
    kept = False
    if form.validate_on_submit() and form.kind.data in operations.KINDS:
        path = operations.imports_dir(settings.instance_dir) / f"{form.sha256.data}.csv"
        kept = operations.SHA256.match(form.sha256.data) is not None and path.is_file()
    if not kept:
        upload_form = UploadForm(formdata=None)
        upload_form.upload.errors = [
            _("The file to apply has changed or is no longer here: upload it again to check it.")
        ]
        return render_template("backoffice/imports/upload.html", form=upload_form), 400
    params = {"kind": form.kind.data, "sha256": form.sha256.data, "filename": form.filename.data}
    return _start(import_jobs.apply_file, "import.apply", params, form)


@epci_role(*IMPORT_ROLES)
def history():
    """Every import attempt, newest first: who, when, which file, what it did."""
    records = db.session().scalars(
        select(ImportRecord).order_by(ImportRecord.at.desc(), ImportRecord.id.desc()).limit(HISTORY_PAGE)
    )
    return render_template("backoffice/imports/history.html", records=list(records))
