"""Long work people started, and how it goes: a page per job (queued, running with a progress bar and its
step, done with a link to the result, failed with the reason: nothing changed), its state as JSON for the
page's script, and the recent jobs of the person's organisations."""

from __future__ import annotations

from flask import abort, jsonify, render_template, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal import db
from portal.backoffice.permissions import current_user, signed_in
from portal.jobs.models import JobRecord
from portal.jobs.records import read_progress
from portal.partners.models import ROLES

KINDS = {
    "import.check": _l("Check of a data file"),
    "import.apply": _l("Import of a data file"),
    "grid.impact": _l("Impact of a draft grid"),
    "grid.activate": _l("A grid version put in force"),
    "flux.pdf": _l("Yearly flux report (PDF)"),
}
STATES = {
    "queued": _l("Waiting for its turn"),
    "running": _l("Under way"),
    "done": _l("Finished"),
    "failed": _l("Stopped"),
}
REFRESH_SECONDS = 3
RECENT = 50


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def may_see(user, record: JobRecord) -> bool:
    """The person who started it, the members of its organisation, the EPCI's administrators."""
    member = record.organisation_id is not None and user.has_role(
        *ROLES, organisation_id=record.organisation_id
    )
    return record.user_id == user.id or member or user.has_role("admin", epci=True)


def _job(job_id: int) -> JobRecord:
    record = db.session().get(JobRecord, job_id)
    if record is None:
        abort(404)
    if not may_see(current_user(), record):
        abort(403)
    return record


def result_url(record: JobRecord) -> str | None:
    """Where the result is: the import's report or history, the impact, the grid version."""
    endpoint = (record.result or {}).get("endpoint")
    if record.state != "done" or not endpoint:
        return None
    values = (
        {"job_id": record.id} if endpoint == "imports.report" else dict(record.result.get("values") or {})
    )
    if endpoint.startswith("backoffice_grids."):
        values = {"code": record.params["code"], "version": record.params["version"]}
    return url_for(endpoint, **values)


def reason(record: JobRecord) -> str:
    if not record.error:
        return ""
    text = _(record.error)
    try:
        return text % record.error_values if record.error_values else text
    except (KeyError, ValueError, TypeError):
        return record.error


def state_of(record: JobRecord) -> dict:
    """What the page shows, and the script reads: the state, the step, how far."""
    progress = read_progress(record.id) if record.state == "running" else {}
    done, total = progress.get("done", 0), progress.get("total")
    percent = min(100, round(100 * done / total)) if total else None
    if record.state == "done":
        percent = 100
    return {
        "state": record.state,
        "state_label": str(STATES[record.state]),
        "step": _(progress["step"]) if progress.get("step") else "",
        "done": done,
        "total": total,
        "percent": percent,
        # Written here, not by the page's script: the words' order is the language's (Turkish, Arabic).
        "count": _("%(done)s of %(total)s", done=format_number(done), total=format_number(total))
        if total
        else "",
        "result_url": result_url(record),
        "reason": reason(record),
    }


@signed_in
def job(job_id: int):
    record = _job(job_id)
    return render_template(
        "backoffice/job.html",
        record=record,
        state=state_of(record),
        kind=kind_label(record.kind),
        refresh=REFRESH_SECONDS,  # without JavaScript, the page asks again (a refresh in <noscript>)
    )


@signed_in
def job_state(job_id: int):
    return jsonify(state_of(_job(job_id)))


@signed_in
def recent():
    """The jobs of the person's organisations (all of them for the EPCI's administrators), newest first."""
    user = current_user()
    query = select(JobRecord).order_by(JobRecord.created_at.desc(), JobRecord.id.desc()).limit(RECENT)
    if not user.has_role("admin", epci=True):
        organisations = {m.organisation_id for m in user.memberships}
        query = query.where(or_(JobRecord.user_id == user.id, JobRecord.organisation_id.in_(organisations)))
    records = list(db.session().scalars(query))
    return render_template("backoffice/jobs.html", records=records, kind_label=kind_label, states=STATES)
