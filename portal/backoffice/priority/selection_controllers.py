"""The selection of candidates for a vacant dwelling: the form of the dwelling, then the active demands that
fit it ranked by score, with facts only (numbers, no one's name), priority labels, and whether the first
ones move the reservation holder towards its priority objective. Landlords' administrators and editors
ask for their own dwellings, a reservation holder's for the dwellings it reserves, the EPCI's for any;
every list shown is written to the audit log with the numbers it showed."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.backoffice.priority.forms import VacancyForm
from portal.demands.models import DWELLING_TYPES, FINANCINGS
from portal.information.services import ceilings_in_force
from portal.partners import audit
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation
from portal.priority import objectives, selection
from portal.territory.services import communes, current_territory

ROLES = ("admin", "editor", "reviewer")
audit.register({"priority.candidates_listed": _l("Candidates listed for a vacant dwelling")})


def _all(*kinds: str) -> list[Organisation]:
    query = select(Organisation).where(Organisation.kind.in_(kinds)).order_by(Organisation.name)
    return list(db.session().scalars(query))


def _form(user) -> VacancyForm:
    """The dwelling's form, its choices by who asks: the EPCI any landlord and holder; a landlord its own
    dwellings, whoever reserves them; a reservation holder its own reservations, with any landlord."""
    form = VacancyForm(request.args)
    landlords, holders = _all("landlord"), _all(*RESERVATION_HOLDER_KINDS)
    none = [SelectChoice("", _("None (the landlord's own)"))]
    if not user.has_role(*ROLES, epci=True):
        own_landlords = [
            item for item in landlords if user.has_role("admin", "editor", organisation_id=item.id)
        ]
        own_holders = [item for item in holders if user.has_role("admin", "editor", organisation_id=item.id)]
        if own_landlords:
            landlords = own_landlords
        elif own_holders:
            holders, none = own_holders, []
        else:
            landlords = []
    form.landlord.choices = [SelectChoice(item.id, item.name) for item in landlords]
    form.holder.choices = none + [SelectChoice(str(item.id), item.name) for item in holders]
    form.commune.choices = [SelectChoice("", _("Choose"))] + [
        SelectChoice(c.insee, c.name) for c in communes()
    ]
    form.dwelling_type.choices = [SelectChoice(code, code) for code in DWELLING_TYPES]
    form.financing.choices = [SelectChoice(code, code) for code in FINANCINGS]
    return form


@any_organisation_role(*ROLES)
def candidates():
    user = current_user()
    form = _form(user)
    if not form.landlord.choices:
        abort(403)
    if not request.args:
        return render_template("priority/candidates.html", form=form, found=None)
    if not form.validate():
        return render_template("priority/candidates.html", form=form, found=None), 400
    session = db.session()
    landlord = session.get(Organisation, form.landlord.data)
    commune = next(item for item in communes() if item.insee == form.commune.data)
    vacancy = selection.Vacancy(
        landlord=landlord.name, commune_insee=commune.insee, dwelling_type=form.dwelling_type.data,
        financing=form.financing.data, rent=form.rent.data, in_qpv=form.in_qpv.data,
    )  # fmt: skip
    today = clock.today()
    threshold = current_territory().lowest_quartile_income
    found = selection.candidates(
        session, vacancy, ceilings_in_force(today), commune.ceiling_zone, today, quartile_income=threshold
    )
    holder = session.get(Organisation, int(form.holder.data)) if (form.holder.data or "").isdigit() else None
    follow_up = objectives.follow_up(session, holder, today.year, today) if holder is not None else None
    audit.record(
        session, user, landlord.id, "priority.candidates_listed",
        f"{vacancy.dwelling_type} {vacancy.financing} in {commune.insee}",
        after={"numbers": [candidate.number for candidate in found], "holder": holder.slug if holder else ""},
    )  # fmt: skip
    session.commit()
    return render_template(
        "priority/candidates.html", form=form, found=found, vacancy=vacancy, commune=commune, holder=holder,
        follow_up=follow_up, examined=selection.EXAMINED, threshold=threshold,
        below_priority=_below(follow_up, "priority_share", "priority_share"),
        below_quartile=not vacancy.in_qpv and _below(follow_up, "lowest_share", "lowest_quartile_share"),
    )  # fmt: skip


def _below(follow_up, share_name: str, objective_name: str) -> bool:
    """The holder's share this year is under its objective: a candidate who counts moves it up."""
    if follow_up is None or follow_up.objective is None:
        return False
    share = getattr(follow_up.year_to_date, share_name)
    return share is None or share < getattr(follow_up.objective, objective_name)
