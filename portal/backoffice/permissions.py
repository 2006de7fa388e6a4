"""Who may open a back-office page. Every view under /partenaires/ carries exactly one rule, set by the
decorators below (a test enumerates the routes and fails on a view without one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, url_for
from sqlalchemy import select

from portal import db, sessions
from portal.partners.models import Organisation, User

IDLE_SECONDS = 30 * 60  # a partner session left alone for 30 minutes ends
MAX_SECONDS = 12 * 3600  # and no session lasts more than 12 hours


def signed_in_user() -> User | None:
    """The person of this session, if its row on the server is still there (not signed out), not idle for
    IDLE_SECONDS, not older than MAX_SECONDS, and made for the account's current session version (a
    new password or "sign out everywhere" moves it)."""
    if "partner_user" in g:
        return g.partner_user
    user = None
    record = sessions.current("partner")
    if record is not None:
        found = db.session().get(User, record.user_id)
        if found is not None and found.active and found.session_version == record.session_version:
            user = found
            sessions.touch(record, dt.timedelta(seconds=IDLE_SECONDS))
    g.partner_user = user
    return user


def current_user() -> User | None:
    """The person, once fully signed in (with the second factor when their roles need it)."""
    user = signed_in_user()
    if user is None:
        return None
    if user.needs_second_factor and not sessions.current("partner").second_factor_done:
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
            allowed = user.has_role(*roles, organisation_id=organisation.id) or (
                epci_sees_all and user.has_role(*roles, epci=True)
            )
            if not allowed:
                abort(403)
            g.organisation = organisation
            return view(*args, organisation=organisation, **kwargs)

        return _mark(
            wrapper, f"role {'/'.join(roles)} in the organisation" + (" or EPCI" if epci_sees_all else "")
        )

    return decorate


def _role_rule(test: Callable[[User], bool], rule: str) -> Callable:
    """A view for the people who pass `test` (403 for the others)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("backoffice.login", next=request.path))
            if not test(user):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, rule)

    return decorate


def epci_role(*roles: str) -> Callable:
    """One of these roles in an EPCI organisation (the authority that runs the plan); 403 otherwise."""
    return _role_rule(lambda user: user.has_role(*roles, epci=True), f"role {'/'.join(roles)} in the EPCI")


def any_organisation_role(*roles: str) -> Callable:
    """One of these roles in at least one organisation (desk tools serve every partner's agents);
    403 otherwise."""
    return _role_rule(lambda user: user.has_role(*roles), f"role {'/'.join(roles)} in any organisation")
