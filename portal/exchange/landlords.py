"""What a landlord sees of the exchange: its tenants' listings to confirm, and the swaps in which a
household would move into one of its dwellings (to decide, to complete, or closed in the last months)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.exchange.models import OPEN_SWAP_STATES, Listing, Swap, SwapMove
from portal.exchange.tenants import recent_swaps


def to_confirm(session: Session, landlord_id: int) -> list[Listing]:
    """Listings naming this landlord, waiting for it to confirm the lease, oldest first."""
    return list(
        session.scalars(
            select(Listing)
            .where(Listing.landlord_id == landlord_id, Listing.state == "awaiting_landlord")
            .order_by(Listing.created_at, Listing.id)
        )
    )


@dataclass(frozen=True)
class SwapView:
    swap: Swap
    listings: dict[int, Listing]  # every listing of the swap
    mine: tuple[SwapMove, ...]  # the moves into this landlord's dwellings

    @property
    def to_decide(self) -> tuple[SwapMove, ...]:
        return tuple(move for move in self.mine if not move.decision) if self.swap.state == "agreed" else ()


def swaps(session: Session, landlord_id: int, now: dt.datetime) -> list[SwapView]:
    """The swaps with a move into this landlord's dwellings or out of them: open ones, and those closed
    in the last months; the ones waiting for this landlord first."""
    mine = select(SwapMove.swap_id).where(
        or_(
            SwapMove.landlord_id == landlord_id,
            SwapMove.listing_id.in_(select(Listing.id).where(Listing.landlord_id == landlord_id)),
        )
    )
    found, listings = recent_swaps(session, mine, now)
    views = [
        SwapView(
            swap,
            {move.listing_id: listings[move.listing_id] for move in swap.moves},
            tuple(move for move in swap.moves if move.landlord_id == landlord_id),
        )
        for swap in found
    ]
    return sorted(views, key=lambda view: (not view.to_decide, view.swap.state not in OPEN_SWAP_STATES))
