"""The exchange's figures for the partners' observatory: listings by state, swaps by state and size,
swaps completed over the last twelve months, and the usual delays (a landlord's confirmation, a swap from
its proposal to its completion). Counts only: no tenant is shown."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.exchange.models import LISTING_STATES, SWAP_STATES, Listing, Swap, SwapMove
from portal.sessions import aware

YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class ExchangeFigures:
    listings: dict[str, int]  # by state
    swaps: dict[str, int]  # by state
    completed_year: int  # swaps completed over the last twelve months
    completed_three_way: int  # of which between three households
    confirmation_days: float | None  # median, listings confirmed over the last twelve months
    completion_days: float | None  # median, from proposal to completion, over the last twelve months


def _days(pairs) -> float | None:
    spans = [(aware(end) - aware(start)).total_seconds() / 86400 for start, end in pairs]
    return round(statistics.median(spans), 1) if spans else None


def figures(session: Session, now: dt.datetime) -> ExchangeFigures:
    since = now - YEAR
    listings = dict.fromkeys(LISTING_STATES, 0)
    listings.update(session.execute(select(Listing.state, func.count()).group_by(Listing.state)).all())
    swaps = dict.fromkeys(SWAP_STATES, 0)
    swaps.update(session.execute(select(Swap.state, func.count()).group_by(Swap.state)).all())
    completed = select(Swap.id).where(Swap.state == "completed", Swap.completed_at >= since)
    sizes = session.execute(
        select(SwapMove.swap_id, func.count())
        .where(SwapMove.swap_id.in_(completed))
        .group_by(SwapMove.swap_id)
    ).all()
    confirmations = session.execute(
        select(Listing.created_at, Listing.confirmed_at).where(Listing.confirmed_at >= since)
    ).all()
    completions = session.execute(
        select(Swap.created_at, Swap.completed_at).where(
            Swap.state == "completed", Swap.completed_at >= since
        )
    ).all()
    return ExchangeFigures(
        listings=listings,
        swaps=swaps,
        completed_year=len(sizes),
        completed_three_way=sum(1 for _swap, moves in sizes if moves == 3),
        confirmation_days=_days(confirmations),
        completion_days=_days(completions),
    )
