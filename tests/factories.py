"""Factories for the models: each makes a valid object, any field can be overridden."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from portal.partners import accounts
from portal.partners.models import Membership, Organisation, User
from portal.territory.models import Commune

_sequence = itertools.count(1)


def create_commune(session: Session, **overrides) -> Commune:
    number = next(_sequence)
    values = {
        "insee": f"99{number:03d}",
        "name": f"Commune d'essai {number}",
        "postcodes": "99000",
        "latitude": 48.0,
        "longitude": 0.2,
        "ceiling_zone": "other",
        "population": 1000,
    }
    values.update(overrides)
    commune = Commune(**values)
    session.add(commune)
    session.flush()
    return commune


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
