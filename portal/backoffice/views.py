"""The partners' workspace at /partenaires/: the dashboard, and the wiring of every back-office area (its
views live in the modules imported below). Every view has a permission rule (see permissions.py)."""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request
from sqlalchemy import select

from portal import clock, db
from portal.backoffice import (  # noqa: F401  (their routes)
    audit_views,
    content_views,
    desk_views,
    grids,
    library,
    member_views,
    observatory,
    session_views,
)
from portal.backoffice import imports as data_imports
from portal.backoffice.blueprint import bp, paris_datetime, role_label, switch_language
from portal.backoffice.member_views import offers_since
from portal.backoffice.permissions import current_user, signed_in
from portal.desks import operations as backoffice_desks
from portal.partners import accounts
from portal.partners.models import ROLES, RoleInvitation


@bp.route("/")
@signed_in
def dashboard():
    user = current_user()
    by_organisation: dict = {}
    for membership in sorted(user.memberships, key=lambda m: (m.organisation.name, ROLES.index(m.role))):
        by_organisation.setdefault(membership.organisation, []).append(membership.role)
    settings = current_app.config["PORTAL_SETTINGS"]
    keeps_desks = {m.organisation_id for m in user.memberships if m.role in ("editor", "admin")}
    stale = backoffice_desks.stale_desks(
        db.session(), clock.today(), settings.desk_reminder_months, keeps_desks
    )
    reads_audit = any(
        m.role in ("admin", "reviewer") and m.organisation.kind == "epci" for m in user.memberships
    )
    return render_template(
        "backoffice/dashboard.html",
        user=user,
        by_organisation=by_organisation,
        reads_audit=reads_audit,
        manages_network=any(m.role == "admin" and m.organisation.kind == "epci" for m in user.memberships),
        at_desk=any(m.role in ("desk_agent", "admin") for m in user.memberships),
        stale=stale,
        keeps_desks=keeps_desks,
        months=settings.desk_reminder_months,
        offers=db.session().scalars(
            select(RoleInvitation)
            .where(RoleInvitation.user_id == user.id, RoleInvitation.created_at >= offers_since())
            .order_by(RoleInvitation.id)
        ),
    )


def no_store(response: Response) -> Response:
    """Nothing of the workspace is kept by a browser or a proxy (back button after sign-out included)."""
    if request.path.startswith("/partenaires/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.before_request(switch_language)
    app.after_request(no_store)
    app.register_blueprint(bp)
    content_views.init_app(app)  # /partenaires/contenus: the information pages' review workflow
    grids.init_app(app)  # /partenaires/grilles: the scoring grid editor
    data_imports.init_app(app)  # /partenaires/donnees: data imports
    library.init_app(app)  # /partenaires/documents: shared documents and news
    observatory.init_app(app)  # /partenaires/observatoire: the partners' observatory
    app.jinja_env.filters["role_label_filter"] = role_label
    app.jinja_env.filters["paris_datetime"] = paris_datetime
    app.jinja_env.filters["audit_action"] = accounts.audit_action_label
