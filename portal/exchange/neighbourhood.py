"""A listing's neighbourhood in the acceptance graph, read from the database, and its matches.

Every cycle through a listing lies among the listings whose dwelling its tenant accepts and those whose
tenant accepts its dwelling: those two sets are read with indexed queries (by place and rent; by the
wishes written out), the graph is built among them alone, and the listing's cycles are found there.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demands.models import DWELLING_TYPES
from portal.exchange import matching
from portal.exchange.models import Listing, ListingWish


def codes(text: str) -> tuple[str, ...]:
    return tuple(item for item in text.split(",") if item)


SHAPE_COLUMNS = (
    Listing.id,
    Listing.household_size,
    Listing.dwelling_type,
    Listing.commune_insee,
    Listing.rent,
    Listing.step_free,
    Listing.financing,
    Listing.landlord_id,
    Listing.surface,
    Listing.floor,
    Listing.wish_types,
    Listing.wish_communes,
    Listing.wish_max_rent,
    Listing.wish_step_free,
    Listing.financings,
)


def as_matching(listing) -> matching.Listing:
    """The matching's view of a listing (a Listing, or a row of SHAPE_COLUMNS)."""
    return matching.Listing(
        listing.id,
        listing.household_size,
        matching.Dwelling(
            listing.dwelling_type,
            listing.commune_insee,
            float(listing.rent),
            listing.step_free,
            listing.financing,
            str(listing.landlord_id),
            float(listing.surface),
            listing.floor,
        ),
        matching.Wish(
            frozenset(codes(listing.wish_types)),
            frozenset(codes(listing.wish_communes)),
            float(listing.wish_max_rent),
            listing.wish_step_free,
        ),
        frozenset(codes(listing.financings)),
    )


def household_sizes(dwelling_type: str) -> tuple[int, int | None]:
    """The household sizes a dwelling type fits (matching.fits), as bounds (None: no upper bound)."""
    rooms = DWELLING_TYPES.index(dwelling_type) + 1
    return rooms - 1, (None if dwelling_type == DWELLING_TYPES[-1] else rooms + 1)


def neighbourhood(session: Session, listing: Listing) -> dict[int, matching.Listing]:
    """The listing and the public listings next to it in the acceptance graph: those whose dwelling its
    tenant accepts (read by the place and the rent) and those whose tenant accepts its dwelling (read by
    the wishes' index). Every cycle through the listing lies there: in A → B → C → A, B is one of the
    first and C one of the second. Rows, not objects: a tenant wanting the main town may have thousands
    of neighbours."""
    public = (Listing.state == "public", Listing.id != listing.id)
    fitting = [kind for kind in codes(listing.wish_types) if matching.fits(listing.household_size, kind)]
    wanted = select(*SHAPE_COLUMNS).where(
        *public,
        Listing.dwelling_type.in_(fitting),
        Listing.commune_insee.in_(codes(listing.wish_communes)),
        Listing.rent <= listing.wish_max_rent,
        Listing.financing.in_(codes(listing.financings)),
        *((Listing.step_free.is_(True),) if listing.wish_step_free else ()),
    )
    smallest, largest = household_sizes(listing.dwelling_type)
    wanting = (
        select(*SHAPE_COLUMNS)
        .join(ListingWish, ListingWish.listing_id == Listing.id)
        .where(
            *public,
            ListingWish.dwelling_type == listing.dwelling_type,
            ListingWish.commune_insee == listing.commune_insee,
            Listing.wish_max_rent >= listing.rent,
            Listing.household_size >= smallest,
            *(() if largest is None else (Listing.household_size <= largest,)),
            *(() if listing.step_free else (Listing.wish_step_free.is_(False),)),
        )
    )
    found = {listing.id: as_matching(listing)}
    for query in (wanted, wanting):
        for row in session.execute(query):
            if row.id not in found:
                found[row.id] = as_matching(row)
    return found


def matches(session: Session, listing: Listing) -> list[matching.Match]:
    """The listing's swaps with the public listings, best first."""
    if listing.state != "public":
        return []
    listings = neighbourhood(session, listing)
    graph = matching.acceptance_graph(listings.values())
    return matching.matches_for(listing.id, matching.cycles_of(listing.id, graph), listings)
