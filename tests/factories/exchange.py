"""Tenants of the exchange and their listings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portal.exchange import services
from portal.exchange.models import Listing, Tenant

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
LE_MANS, COULAINES, ALLONNES = "72181", "72095", "72003"


def create_tenant(session: Session, email: str, verified: bool = True) -> Tenant:
    tenant = Tenant(email=email, created_at=NOW, email_verified_at=NOW if verified else None)
    session.add(tenant)
    session.flush()
    return tenant


def listing_input(
    kind="T3", commune=LE_MANS, wants=("T3",), where=(LE_MANS,), **values
) -> services.ListingInput:
    fields = {
        "household_size": 3,
        "financings": ("PLAI", "PLUS", "PLS"),
        "dwelling_type": kind,
        "surface": 62.0,
        "floor": 2,
        "lift": True,
        "step_free": False,
        "rent": 480.0,
        "financing": "PLUS",
        "commune_insee": commune,
        "district": "Les Sablons",
        "wish_types": tuple(wants),
        "wish_communes": tuple(where),
        "wish_max_rent": 600.0,
        "wish_step_free": False,
        "reason": "",
    }
    fields.update(values)
    return services.ListingInput(**fields)


def create_listing(
    session: Session, email: str, landlord_id: int, data: services.ListingInput, public: bool = True
) -> Listing:
    """A tenant and their listing, confirmed by the landlord unless `public` is False."""
    tenant = create_tenant(session, email)
    listing = services.create_listing(session, tenant, landlord_id, f"REF-{tenant.id}", data, NOW)
    if public:
        services.confirm(session, listing, landlord_id, None, f"ref-{tenant.id}", NOW)
    return listing


def three_way(
    session: Session, first: int, second: int, prefix: str = ""
) -> tuple[Listing, Listing, Listing]:
    """A (T2, Le Mans, landlord `first`) wants a T3 in Allonnes, B (T3, Allonnes, landlord `second`) a T4
    in Coulaines, C (T4, Coulaines, landlord `first`) a T2 in Le Mans: no pair, one cycle of three."""
    a = create_listing(
        session, f"{prefix}a@example.org", first, listing_input("T2", LE_MANS, ("T3",), (ALLONNES,))
    )
    b = create_listing(
        session,
        f"{prefix}b@example.org",
        second,
        listing_input("T3", ALLONNES, ("T4",), (COULAINES,), household_size=4),
    )
    c = create_listing(
        session,
        f"{prefix}c@example.org",
        first,
        listing_input("T4", COULAINES, ("T2",), (LE_MANS,), household_size=2),
    )
    return a, b, c
