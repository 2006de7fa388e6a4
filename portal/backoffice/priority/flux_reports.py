"""What the flux report's pages and its printing job share: the reports a person may read, the page's
figures, and the job that prints the PDF (in the consumer, in the person's language) into the instance
folder, where the page serves it to those who may read it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal import db
from portal.demands.models import Allocation
from portal.guides.documents import document_globals, static_dir, theme_file
from portal.guides.render import render_pdf
from portal.guides.slots import render_slot
from portal.jobs.models import JobRecord
from portal.jobs.records import N_, Tracker, tracked
from portal.partners.models import RESERVATION_HOLDER_KINDS
from portal.priority import flux
from portal.territory.services import commune_names

ROLES = ("admin", "editor")
SLOT_WAIT_SECONDS = 60


@dataclass(frozen=True)
class View:
    """One report a person may read: a landlord's or a holder's, named as the allocations file names it."""

    scope: str
    name: str
    names: tuple[str, ...]
    organisation_id: int | None = None


def views_of(user, year: int) -> list[View]:
    """The reports a person may read: their organisations' (as landlord, as holder); all for the EPCI."""
    found = []
    for membership in user.memberships:
        organisation = membership.organisation
        if membership.role not in ROLES:
            continue
        if organisation.kind == "landlord":
            found.append(
                View("landlord", organisation.slug, (organisation.slug, organisation.name), organisation.id)
            )
        if organisation.kind in RESERVATION_HOLDER_KINDS:
            found.append(View("holder", organisation.slug, (organisation.slug,), organisation.id))
    if user.has_role(*ROLES, epci=True):
        session = db.session()
        in_year = (
            Allocation.allocated_on >= dt.date(year, 1, 1),
            Allocation.allocated_on <= dt.date(year, 12, 31),
        )
        for landlord in session.scalars(select(Allocation.landlord).distinct().where(*in_year)):
            found.append(View("landlord", landlord, (landlord,)))
        for holder in session.scalars(
            select(Allocation.holder).distinct().where(*in_year, Allocation.holder != "")
        ):
            found.append(View("holder", holder, (holder,)))
    unique = {(view.scope, view.name): view for view in reversed(found)}
    return sorted(unique.values(), key=lambda view: (view.scope, view.name))


def context(year: int, view: View) -> dict:
    cells = flux.report(db.session(), year, view.scope, view.names)
    other = "holder" if view.scope == "landlord" else "landlord"
    return {
        "year": year,
        "view": view,
        "cells": cells,
        "by_other": flux.totals(cells, other),
        "other": other,
        "by_type": flux.totals(cells, "dwelling_type"),
        "by_financing": flux.totals(cells, "financing"),
        "by_qpv": flux.totals(cells, "in_qpv"),
        "by_commune": flux.totals(cells, "commune_insee"),
        "by_period": flux.totals(cells, "period"),
        "forecast": flux.forecast(db.session(), year, cells),
        "due_on": flux.due_on(year),
        "communes": commune_names(),
    }


def file_name(year: int, view: View) -> str:
    return f"flux-{year}-{view.scope}-{re.sub(r'[^a-z0-9-]+', '-', view.name.lower()).strip('-') or 'x'}"


def report_path(year: int, view: View) -> Path:
    return current_app.config["PORTAL_SETTINGS"].instance_dir / "reports" / f"{file_name(year, view)}.pdf"


@tracked()
def print_flux(record: JobRecord, tracker: Tracker) -> dict:
    """Print a flux report to the instance folder (replacing an older print of the same report)."""
    params = record.params
    view = View(params["scope"], params["name"], tuple(params["names"]))
    tracker.step(N_("Counting the allocations"))
    settings = current_app.config["PORTAL_SETTINGS"]
    with current_app.test_request_context(base_url=settings.public_url), force_locale(params["locale"]):
        html = render_template(
            "priority/flux_report.html", **context(params["year"], view),
            **document_globals(params["locale"], for_pdf=True),
        )  # fmt: skip
        tracker.step(N_("Printing the report"))
        with render_slot(wait=SLOT_WAIT_SECONDS):
            pdf = render_pdf(html, static_dir(), theme_file())
    path = report_path(params["year"], view)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return {
        "endpoint": "priority.flux_printed",
        "values": {"year": params["year"], "scope": view.scope, "name": view.name},
    }
