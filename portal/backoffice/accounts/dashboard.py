"""The partner's home in the workspace: their organisations and roles, roles offered to them, desks to
check, and the tools their roles open."""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select

from portal import clock, db
from portal.backoffice.accounts.members import offers_since
from portal.backoffice.permissions import current_user, signed_in
from portal.desks import operations as desk_operations
from portal.partners.models import RESERVATION_HOLDER_KINDS, ROLES, RoleInvitation
from portal.priority import access as priority_access
from portal.priority import objectives


def own_objectives(user) -> list:
    """This year's allocation objectives of the person's organisations that have some, to date."""
    session, today = db.session(), clock.today()
    mine = {m.organisation_id for m in user.memberships if m.role in ("admin", "editor")}
    holders = [o for o in objectives.holders_with_objectives(session, today.year) if o.id in mine]
    return objectives.follow_ups(session, today.year, today, holders) if holders else []


@signed_in
def dashboard():
    user = current_user()
    by_organisation: dict = {}
    for membership in sorted(user.memberships, key=lambda m: (m.organisation.name, ROLES.index(m.role))):
        by_organisation.setdefault(membership.organisation, []).append(membership.role)
    settings = current_app.config["PORTAL_SETTINGS"]
    keeps_desks = {organisation.id for organisation in user.organisations_where("editor", "admin")}
    stale = desk_operations.stale_desks(
        db.session(), clock.today(), settings.desk_reminder_months, keeps_desks
    )
    return render_template(
        "backoffice/dashboard.html",
        user=user,
        by_organisation=by_organisation,
        reads_audit=user.has_role("admin", "reviewer", epci=True),
        manages_network=user.has_role("admin", epci=True),
        at_desk=user.has_role("desk_agent", "admin"),
        priority=priority_access.takes_part(user),
        objectives=own_objectives(user),
        sees_objectives=any(
            m.role in ("admin", "editor") and m.organisation.kind in RESERVATION_HOLDER_KINDS
            for m in user.memberships
        ),
        stale=stale,
        keeps_desks=keeps_desks,
        months=settings.desk_reminder_months,
        offers=db.session().scalars(
            select(RoleInvitation)
            .where(RoleInvitation.user_id == user.id, RoleInvitation.created_at >= offers_since())
            .order_by(RoleInvitation.id)
        ),
    )
