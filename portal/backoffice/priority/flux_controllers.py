"""The yearly flux report's pages: a landlord's report (the dwellings it offered to each reservation holder
and those allocated), or a reservation holder's (landlord by landlord), as tables, a spreadsheet (CSV) and
a printed PDF made by the job consumer. A landlord sees its own report, a holder its own, the EPCI any.

The allocations file names a landlord in its `landlord` column by the organisation's short name (slug) or
its name, a reservation holder in `holder` and `offered_to` by its slug."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.backoffice.priority.flux_reports import (
    ROLES,
    View,
    context,
    file_name,
    print_flux,
    report_path,
    views_of,
)
from portal.csvfiles import spreadsheet_safe
from portal.jobs import records as job_records
from portal.priority import flux


def year_asked() -> int:
    today = clock.today()
    try:
        year = int(request.args.get("annee", today.year - 1 if today.month <= 2 else today.year))
    except ValueError:
        abort(404)
    if not 2000 <= year <= today.year:
        abort(404)
    return year


def chosen(year: int) -> tuple[View | None, list[View]]:
    views = views_of(current_user(), year)
    if not views:
        abort(403)
    scope, name = request.args.get("vue"), request.args.get("nom")
    if scope is None:
        return None, views
    view = next((view for view in views if view.scope == scope and view.name == name), None)
    if view is None:
        abort(403)
    return view, views


@any_organisation_role(*ROLES)
def index():
    year = year_asked()
    view, views = chosen(year)
    extra = context(year, view) if view is not None else {"year": year, "view": None}
    return render_template("priority/flux.html", views=views, **extra)


@any_organisation_role(*ROLES)
def spreadsheet():
    year = year_asked()
    view, _views = chosen(year)
    if view is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(flux.CSV_COLUMNS)
    for row in flux.csv_rows(flux.report(db.session(), year, view.scope, view.names)):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(year, view)}.csv"'
    return response


@any_organisation_role(*ROLES)
def print_report():
    """Start the PDF's job; the person follows it on the job's page, which links to the file."""
    year = year_asked()
    view, _views = chosen(year)
    if view is None:
        abort(404)
    session = db.session()
    params = {"year": year, "scope": view.scope, "name": view.name, "names": list(view.names),
              "locale": str(get_locale())}  # fmt: skip
    record = job_records.create(
        session, print_flux, "flux.pdf", params, current_user().id, view.organisation_id
    )
    session.commit()
    return redirect(url_for("jobs.job", job_id=record.id))


@any_organisation_role(*ROLES)
def printed(year: int, scope: str, name: str):
    view = next(
        (view for view in views_of(current_user(), year) if view.scope == scope and view.name == name), None
    )
    if view is None:
        abort(403)
    path = report_path(year, view)
    if not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
