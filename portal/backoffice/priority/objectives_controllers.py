"""The allocation objectives' pages: the year's table of the reservation holders (the EPCI sees and sets
them all; a holder's administrators and editors see their own), and one holder's year month by month."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user, epci_role, role_in_organisation
from portal.backoffice.priority.forms import ObjectiveForm
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation
from portal.priority import objectives

ROLES = ("admin", "editor")


def year_asked() -> int:
    today = clock.today()
    try:
        year = int(request.args.get("annee", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def visible_holders(user) -> list[Organisation]:
    """The holders whose objectives a person sees: all for the EPCI, else their own."""
    everyone = objectives.holders(db.session())
    if user.has_role(*ROLES, epci=True):
        return everyone
    return [
        organisation for organisation in everyone if user.has_role(*ROLES, organisation_id=organisation.id)
    ]


@any_organisation_role(*ROLES)
def index():
    user = current_user()
    year = year_asked()
    shown = visible_holders(user)
    if not shown:
        abort(403)
    return render_template(
        "priority/objectives.html",
        year=year,
        follow_ups=objectives.follow_ups(db.session(), year, clock.today(), shown),
        sets=user.has_role(*ROLES, epci=True),
    )


def _form(found) -> ObjectiveForm:
    """The objectives' form, filled with the year's objectives (the law's floor when none is set)."""
    form = ObjectiveForm(formdata=None)
    form.priority_share.data = int((found.priority_share if found else objectives.LEGAL_SHARE) * 100)
    form.lowest_quartile_share.data = int(
        (found.lowest_quartile_share if found else objectives.LEGAL_SHARE) * 100
    )
    return form


@role_in_organisation(*ROLES, epci_sees_all=True)
def holder(organisation: Organisation, form: ObjectiveForm | None = None, code: int = 200):
    if organisation.kind not in RESERVATION_HOLDER_KINDS:
        abort(404)
    year = year_asked()
    found = objectives.follow_up(db.session(), organisation, year, clock.today())
    if form is None and current_user().has_role(*ROLES, epci=True):
        form = _form(found.objective)
    return render_template(
        "priority/objective.html", organisation=organisation, year=year, follow_up=found, form=form
    ), code


@epci_role(*ROLES)
def set_objective(slug: str):
    session = db.session()
    organisation = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or organisation.kind not in RESERVATION_HOLDER_KINDS:
        abort(404)
    year = year_asked()
    form = ObjectiveForm()
    if not form.validate_on_submit():
        return holder(slug=slug, form=form, code=400)
    objectives.set_objective(
        session, current_user(), organisation, year,
        Decimal(form.priority_share.data) / 100, Decimal(form.lowest_quartile_share.data) / 100,
    )  # fmt: skip
    session.commit()
    flash(_("The objectives are saved."))
    return redirect(url_for("priority.objective", slug=slug, annee=year))
