"""The exchange's figures for the partners' observatory: listings by state, swaps by state and size,
swaps completed over the last twelve months, and the usual delays (a landlord's confirmation, a swap from
its proposal to its completion), and the nightly count of matches. Counts only: no tenant is shown."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.exchange import matching
from portal.exchange.models import LISTING_STATES, SWAP_STATES, Listing, MatchCount, Swap, SwapMove
from portal.exchange.neighbourhood import SHAPE_COLUMNS, as_matching
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


KEPT_COUNTS = dt.timedelta(days=2 * 365)


def count_matches(session: Session, now: dt.datetime) -> MatchCount:
    """Every public listing in the acceptance graph, its cycles counted (not kept); the count is
    recorded, and counts older than two years deleted."""
    listings = [
        as_matching(row) for row in session.execute(select(*SHAPE_COLUMNS).where(Listing.state == "public"))
    ]
    with_match, two_way, three_way = matching.count_cycles(matching.acceptance_graph(listings))
    count = MatchCount(
        counted_at=now,
        public_listings=len(listings),
        listings_with_match=with_match,
        two_way=two_way,
        three_way=three_way,
    )
    session.add(count)
    session.execute(delete(MatchCount).where(MatchCount.counted_at < now - KEPT_COUNTS))
    return count


def latest_count(session: Session) -> MatchCount | None:
    return session.scalar(select(MatchCount).order_by(MatchCount.counted_at.desc()).limit(1))
