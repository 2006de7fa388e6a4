"""Accounts made outside the workspace: the first administrator of an organisation (from the command
line), with the same password rules as the workspace, audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.partners import accounts, audit
from portal.partners.models import Membership, Organisation, User


class AccountRefused(ValueError):
    """Why the account cannot be made; `field` names the option or field at fault."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def create_admin(
    session: Session, email: str, name: str, organisation_slug: str, reviewer: bool, password: str
) -> tuple[User, Organisation, list[str]]:
    """An administrator (and reviewer, in the EPCI) of the organisation; the caller commits."""
    email = email.strip().lower()
    problems = accounts.password_problems(password, email, name)
    if problems:
        raise AccountRefused(" ".join(problems), "--password")
    organisation = session.scalar(select(Organisation).where(Organisation.slug == organisation_slug))
    if organisation is None:
        known = ", ".join(session.scalars(select(Organisation.slug).order_by(Organisation.slug)))
        raise AccountRefused(f"no organisation {organisation_slug!r} (known: {known})", "--organisation")
    if reviewer and organisation.kind != "epci":
        raise AccountRefused("reviewers belong to the EPCI", "--reviewer")
    if accounts.find_user(session, email) is not None:
        raise AccountRefused(f"{email} already has an account", "--email")
    user = User(email=email, name=name, password_hash=accounts.hash_password(password))
    roles = ["admin", "reviewer"] if reviewer else ["admin"]
    user.memberships = [Membership(organisation_id=organisation.id, role=role) for role in roles]
    session.add(user)
    session.flush()
    audit.record(session, None, organisation.id, "user.created", email, after={"roles": roles})
    return user, organisation, roles
