"""Partner organisations and accounts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.partners import accounts
from portal.partners.models import Membership, Organisation, User

PARTNER_PASSWORD = "trois mots bien choisis"


def create_organisation(session: Session, slug: str, kind: str = "commune") -> Organisation:
    organisation = Organisation(slug=slug, name=f"Organisation {slug}", kind=kind)
    session.add(organisation)
    session.flush()
    return organisation


def create_partner(session: Session, email: str, roles: dict[Organisation, list[str]], **overrides) -> User:
    """A partner account with these roles per organisation (password PARTNER_PASSWORD)."""
    values = {"name": email.split("@")[0].title(), "password_hash": accounts.hash_password(PARTNER_PASSWORD)}
    values.update(overrides)
    user = User(email=email, **values)
    user.memberships = [
        Membership(organisation_id=organisation.id, role=role)
        for organisation, names in roles.items()
        for role in names
    ]
    session.add(user)
    session.flush()
    return user
