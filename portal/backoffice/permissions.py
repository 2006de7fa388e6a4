"""Who may open a back-office page. Every view under /partenaires/ carries exactly one rule, set by the
decorators below (a test enumerates the routes and fails on a view without one)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import select

from portal import db
from portal.backoffice.models import Organisation, User

IDLE_SECONDS = 30 * 60  # a partner session left alone for 30 minutes ends
MAX_SECONDS = 12 * 3600  # and no session lasts more than 12 hours


def signed_in_user() -> User | None:
    """The person of this session, if the session is still valid: not idle for IDLE_SECONDS, not older
    than MAX_SECONDS, and not signed out everywhere since."""
    if "partner_user" in g:
        return g.partner_user
    user = None
    now = time.time()
    if "partner_id" in session and (
        now - session.get("partner_seen", 0) > IDLE_SECONDS
        or now - session.get("partner_since", 0) > MAX_SECONDS
    ):
        for key in [key for key in session if key.startswith("partner_") and key != "partner_locale"]:
            session.pop(key)
    user_id = session.get("partner_id")
    if user_id is not None:
        found = db.session().get(User, user_id)
        if found is not None and found.active and found.session_version == session.get("partner_version"):
            user = found
            if now - session.get("partner_seen", 0) > 60:  # the cookie is rewritten at most once a minute
                session["partner_seen"] = now
    g.partner_user = user
    return user


def current_user() -> User | None:
    """The person, once fully signed in (with the second factor when their roles need it)."""
    user = signed_in_user()
    if user is None or (user.needs_second_factor and not session.get("partner_second_factor")):
        return None
    return user


def _mark(view: Callable, rule: str) -> Callable:
    view.permission = rule
    return view


def public(view: Callable) -> Callable:
    """The sign-in pages: open to anyone."""
    return _mark(view, "public")


def password_step(view: Callable) -> Callable:
    """The second-factor pages: the password is checked, the code not yet."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if signed_in_user() is None:
            return redirect(url_for("backoffice.login", next=request.path))
        return view(*args, **kwargs)

    return _mark(wrapper, "password checked")


def signed_in(view: Callable) -> Callable:
    """Any partner, fully signed in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            if signed_in_user() is not None:
                return redirect(url_for("backoffice.second_factor"))
            return redirect(url_for("backoffice.login", next=request.path))
        return view(*args, **kwargs)

    return _mark(wrapper, "signed in")


def role_in_organisation(*roles: str, epci_sees_all: bool = False) -> Callable:
    """One of these roles in the organisation named by the `slug` of the URL (403 otherwise); with
    `epci_sees_all`, the same role in an EPCI organisation opens every organisation."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, slug: str, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("backoffice.login", next=request.path))
            organisation = db.session().scalar(select(Organisation).where(Organisation.slug == slug))
            if organisation is None:
                abort(404)
            allowed = bool(user.roles_in(organisation.id) & set(roles))
            if not allowed and epci_sees_all:
                allowed = any(m.role in roles and m.organisation.kind == "epci" for m in user.memberships)
            if not allowed:
                abort(403)
            g.organisation = organisation
            return view(*args, organisation=organisation, **kwargs)

        return _mark(
            wrapper, f"role {'/'.join(roles)} in the organisation" + (" or EPCI" if epci_sees_all else "")
        )

    return decorate


def _membership_rule(test: Callable[[list], bool], rule: str) -> Callable:
    """A view for the people whose memberships pass `test` (403 for the others)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("backoffice.login", next=request.path))
            if not test(user.memberships):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, rule)

    return decorate


def epci_role(*roles: str) -> Callable:
    """One of these roles in an EPCI organisation (the authority that runs the plan); 403 otherwise."""
    return _membership_rule(
        lambda memberships: any(m.role in roles and m.organisation.kind == "epci" for m in memberships),
        f"role {'/'.join(roles)} in the EPCI",
    )


def any_organisation_role(*roles: str) -> Callable:
    """One of these roles in at least one organisation (desk tools serve every partner's agents);
    403 otherwise."""
    return _membership_rule(
        lambda memberships: any(m.role in roles for m in memberships),
        f"role {'/'.join(roles)} in any organisation",
    )
