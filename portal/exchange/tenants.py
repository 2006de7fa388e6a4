"""What a tenant sees of the swaps: the swaps their listing is in (open ones, and those closed in the
last months), and the listings of those swaps, to describe the dwellings (never the people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.exchange.models import OPEN_SWAP_STATES, Conversation, Listing, Swap, SwapMove

CLOSED_SHOWN_DAYS = 90


@dataclass(frozen=True)
class TenantSwap:
    swap: Swap
    mine: SwapMove  # the tenant's own move
    listings: dict[int, Listing]

    @property
    def to_answer(self) -> bool:
        return self.swap.state == "proposed" and not self.mine.tenant_answer

    @property
    def into(self) -> Listing:
        return self.listings[self.mine.into_listing_id]

    @property
    def mover_in(self) -> SwapMove:
        """The move of the household that would take this tenant's dwelling."""
        return next(move for move in self.swap.moves if move.into_listing_id == self.mine.listing_id)


def recent_swaps(session: Session, involved, now: dt.datetime) -> tuple[list[Swap], dict[int, Listing]]:
    """The swaps among `involved` (a select of swap ids) that are open or closed in the last
    CLOSED_SHOWN_DAYS, newest first, with their moves; and the listings of those swaps."""
    found = list(
        session.scalars(
            select(Swap)
            .where(
                Swap.id.in_(involved),
                or_(
                    Swap.state.in_(OPEN_SWAP_STATES),
                    Swap.updated_at >= now - dt.timedelta(days=CLOSED_SHOWN_DAYS),
                ),
            )
            .options(selectinload(Swap.moves))
            .order_by(Swap.created_at.desc(), Swap.id.desc())
        )
    )
    return found, listings_by_id(session, {move.listing_id for swap in found for move in swap.moves})


def swaps_of(session: Session, listing_id: int, now: dt.datetime) -> list[TenantSwap]:
    """The swaps the listing is in, the ones waiting for its answer first."""
    involved = select(SwapMove.swap_id).where(SwapMove.listing_id == listing_id)
    found, rows = recent_swaps(session, involved, now)
    views = [
        TenantSwap(swap, next(move for move in swap.moves if move.listing_id == listing_id), rows)
        for swap in found
    ]
    return sorted(views, key=lambda view: (not view.to_answer, view.swap.state not in OPEN_SWAP_STATES))


def open_swaps(session: Session, listing_id: int) -> list[Swap]:
    return list(
        session.scalars(
            select(Swap).where(
                Swap.state.in_(OPEN_SWAP_STATES),
                Swap.id.in_(select(SwapMove.swap_id).where(SwapMove.listing_id == listing_id)),
            )
        )
    )


def open_cycles(session: Session, listing_id: int) -> set[tuple[int, ...]]:
    """The cycles (as tuples of listing ids) of the open swaps the listing is in."""
    keys = session.scalars(
        select(Swap.cycle).where(
            Swap.state.in_(OPEN_SWAP_STATES),
            Swap.id.in_(select(SwapMove.swap_id).where(SwapMove.listing_id == listing_id)),
        )
    )
    return {tuple(int(part) for part in key.split("-")) for key in keys}


def listings_by_id(session: Session, ids: set[int]) -> dict[int, Listing]:
    return {row.id: row for row in session.scalars(select(Listing).where(Listing.id.in_(ids)))}


def blocked_ids(session: Session, listing_id: int) -> set[int]:
    """The listings this one blocked or was blocked by: they never meet again on the exchange."""
    rows = session.execute(
        select(Conversation.first_listing_id, Conversation.second_listing_id).where(
            Conversation.blocked_by.is_not(None),
            or_(Conversation.first_listing_id == listing_id, Conversation.second_listing_id == listing_id),
        )
    )
    return {first if second == listing_id else second for first, second in rows}


def blocked_among(session: Session, ids: tuple[int, ...]) -> bool:
    """Whether two of these listings blocked one another."""
    return (
        session.scalar(
            select(Conversation.id).where(
                Conversation.blocked_by.is_not(None),
                Conversation.first_listing_id.in_(ids),
                Conversation.second_listing_id.in_(ids),
            )
        )
        is not None
    )
