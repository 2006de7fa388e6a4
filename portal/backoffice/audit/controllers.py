"""The audit log for the EPCI: filters and a CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from flask import (
    Response,
    abort,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy import select

from portal import db
from portal.backoffice.audit.forms import (
    AuditFilterForm,
)
from portal.backoffice.permissions import (
    epci_role,
)
from portal.clock import PARIS
from portal.csvfiles import spreadsheet_safe
from portal.partners import audit
from portal.partners.models import AuditEntry, Organisation, User

AUDIT_PAGE = 200


def audit_query(form: AuditFilterForm):
    query = (
        select(AuditEntry, User.email, Organisation.name)
        .outerjoin(User, AuditEntry.user_id == User.id)
        .outerjoin(Organisation, AuditEntry.organisation_id == Organisation.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    if form.organisation.data:
        query = query.where(Organisation.slug == form.organisation.data)
    if form.since.data:
        start = dt.datetime.combine(form.since.data, dt.time(), PARIS).astimezone(dt.UTC)
        query = query.where(AuditEntry.at >= start)
    if form.until.data:
        end = dt.datetime.combine(form.until.data + dt.timedelta(days=1), dt.time(), PARIS).astimezone(dt.UTC)
        query = query.where(AuditEntry.at < end)
    return query


def audit_form() -> AuditFilterForm:
    dbs = db.session()
    form = AuditFilterForm(request.args)
    actions = dbs.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    form.action.choices = [("", _("All"))] + [(action, audit.label(action)) for action in actions]
    organisations = dbs.execute(select(Organisation.slug, Organisation.name).order_by(Organisation.name))
    form.organisation.choices = [("", _("All"))] + [(slug, name) for slug, name in organisations]
    return form


@epci_role("admin", "reviewer")
def audit_log():
    """Every change, newest first, with filters; the EPCI's administrators and reviewers read it."""
    form = audit_form()
    if not form.validate():
        return render_template("backoffice/audit.html", form=form, entries=[], more=False), 400
    rows = db.session().execute(audit_query(form).limit(AUDIT_PAGE + 1)).all()
    return render_template(
        "backoffice/audit.html", form=form, entries=rows[:AUDIT_PAGE], more=len(rows) > AUDIT_PAGE
    )


@epci_role("admin", "reviewer")
def audit_log_csv():
    """The same entries, every one of them, as CSV (UTF-8 with a BOM so that spreadsheets read accents)."""
    form = audit_form()
    if not form.validate():
        abort(400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", "user", "organisation", "action", "target", "before", "after"])
    for entry, email, organisation in db.session().execute(audit_query(form)):
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
        writer.writerow(
            [
                at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                spreadsheet_safe(email or ""),
                spreadsheet_safe(organisation or ""),
                spreadsheet_safe(entry.action),
                spreadsheet_safe(entry.target),
                json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
                json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            ]
        )
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="journal.csv"'
    response.cache_control.no_store = True
    return response
