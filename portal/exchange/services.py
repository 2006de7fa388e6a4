"""The exchange's operations: listings from creation to the landlord's confirmation, renewal and lapse;
swaps from a tenant's proposal to every tenant's yes, every landlord's decision and the moves.

Every operation checks its state and raises ExchangeRefused (a code the pages word) without changing
anything when it may not happen. A swap is checked again against the listings as they are when it is
proposed: every tenant still accepts the dwelling they would move into (matching.accepts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.demands.models import DWELLING_TYPES
from portal.exchange import matching, tenants
from portal.exchange.models import (
    CLOSED_LISTING_STATES,
    FINANCINGS,
    OPEN_LISTING_STATES,
    OPEN_SWAP_STATES,
    Listing,
    ListingWish,
    Swap,
    SwapMove,
    Tenant,
)
from portal.exchange.neighbourhood import as_matching
from portal.partners import audit
from portal.partners.models import Organisation, User

audit.register(
    {
        "exchange.listing_confirmed": _l("Swap listing confirmed"),
        "exchange.listing_refused": _l("Swap listing refused"),
        "exchange.move_approved": _l("Household accepted for a swap"),
        "exchange.move_refused": _l("Household refused for a swap"),
        "exchange.swap_completed": _l("Swap completed"),
    }
)

LISTING_DAYS = 183  # a listing lapses six months after its confirmation or last renewal
MAX_COMMUNES = 20


class ExchangeRefused(ValueError):
    """The operation may not happen; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def landlord_choices(session: Session) -> list[tuple[int, str]]:
    """The social landlords among the partner organisations, by name: a tenant names theirs."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind == "landlord")
        .order_by(Organisation.name)
    )
    return [(ident, name) for ident, name in rows]


@dataclass(frozen=True)
class ListingInput:
    """What a tenant writes about their dwelling and wishes (checked by `check_input`)."""

    household_size: int
    financings: tuple[str, ...]
    dwelling_type: str
    surface: float
    floor: int
    lift: bool
    step_free: bool
    rent: float
    financing: str
    commune_insee: str
    district: str
    wish_types: tuple[str, ...]
    wish_communes: tuple[str, ...]
    wish_max_rent: float
    wish_step_free: bool
    reason: str


def check_input(data: ListingInput, communes: set[str]) -> list[str]:
    """The problems of a listing's input, as codes (empty when it can be saved)."""
    problems = []
    if not 1 <= data.household_size <= 15:
        problems.append("household_size")
    if not data.financings or set(data.financings) - set(FINANCINGS):
        problems.append("financings")
    if data.dwelling_type not in DWELLING_TYPES or set(data.wish_types) - set(DWELLING_TYPES):
        problems.append("type")
    if not data.wish_types:
        problems.append("wish_types")
    if data.financing not in FINANCINGS:
        problems.append("financing")
    if data.commune_insee not in communes or set(data.wish_communes) - communes:
        problems.append("commune")
    if not data.wish_communes or len(data.wish_communes) > MAX_COMMUNES:
        problems.append("wish_communes")
    if not 0 < data.rent < 10_000 or not 0 < data.wish_max_rent < 10_000:
        problems.append("rent")
    if not 5 <= data.surface <= 500 or not -2 <= data.floor <= 60:
        problems.append("dwelling")
    if len(data.reason) > 200 or len(data.district) > 80:
        problems.append("length")
    return problems


def create_listing(
    session: Session, tenant: Tenant, landlord_id: int, reference: str, data: ListingInput, now: dt.datetime
) -> Listing:
    """The tenant's listing, waiting for their landlord to confirm the lease. One listing per tenant: a
    closed one (refused, withdrawn, moved) is replaced, with its photos and swaps."""
    if tenant.email_verified_at is None:
        raise ExchangeRefused("unverified")
    existing = session.scalar(select(Listing).where(Listing.tenant_id == tenant.id))
    if existing is not None:
        if existing.state not in CLOSED_LISTING_STATES:
            raise ExchangeRefused("exists")
        forget_swaps(session, existing.id)
        session.delete(existing)
        session.flush()
    listing = Listing(
        tenant_id=tenant.id,
        landlord_id=landlord_id,
        tenant_reference=reference.strip()[:40],
        state="awaiting_landlord",
        created_at=now,
        expires_on=now.date() + dt.timedelta(days=LISTING_DAYS),
    )
    write_input(listing, data)
    session.add(listing)
    session.flush()
    return listing


def write_input(listing: Listing, data: ListingInput) -> None:
    for name, value in vars(data).items():
        if isinstance(value, tuple):
            value = ",".join(value)
        setattr(listing, name, value)
    listing.wishes = [
        ListingWish(dwelling_type=kind, commune_insee=commune)
        for kind in sorted(set(data.wish_types))
        for commune in sorted(set(data.wish_communes))
    ]


def change_wishes(
    session: Session, listing: Listing, data: ListingInput, communes: set[str], now: dt.datetime
) -> int:
    """New wishes (types, communes, maximum rent, step-free, reason) for an open listing: it stays public
    (the landlord confirmed the dwelling, not the wishes). The proposed swaps in which the tenant would
    no longer accept the dwelling they would move into are cancelled; their number is returned."""
    if listing.state not in OPEN_LISTING_STATES:
        raise ExchangeRefused("state")
    if check_input(data, communes):
        raise ExchangeRefused("input")
    write_input(listing, data)
    session.flush()
    mine = as_matching(listing)
    cancelled = 0
    for swap in tenants.open_swaps(session, listing.id):
        move = next(move for move in swap.moves if move.listing_id == listing.id)
        into = session.get(Listing, move.into_listing_id)
        if swap.state == "proposed" and not matching.accepts(mine, as_matching(into).dwelling):
            swap.state, swap.updated_at = "cancelled", now
            cancelled += 1
    return cancelled


def confirm(
    session: Session,
    listing: Listing,
    landlord_id: int,
    user: User | None,
    reference: str,
    now: dt.datetime,
) -> None:
    """The landlord confirms that the tenant rents the dwelling: its reference must be the tenant's."""
    if listing.landlord_id != landlord_id:
        raise ExchangeRefused("not_your_tenant")
    if listing.state != "awaiting_landlord":
        raise ExchangeRefused("state")
    if reference.strip().casefold() != listing.tenant_reference.casefold():
        raise ExchangeRefused("reference")
    listing.state, listing.confirmed_at, listing.confirmed_by = "public", now, user.id if user else None
    listing.expires_on = now.date() + dt.timedelta(days=LISTING_DAYS)
    audit.record(session, user, landlord_id, "exchange.listing_confirmed", f"listing {listing.id}")


def refuse(session: Session, listing: Listing, landlord_id: int, user: User | None, now: dt.datetime) -> None:
    if listing.landlord_id != landlord_id:
        raise ExchangeRefused("not_your_tenant")
    if listing.state != "awaiting_landlord":
        raise ExchangeRefused("state")
    listing.state, listing.closed_at = "refused", now
    audit.record(session, user, landlord_id, "exchange.listing_refused", f"listing {listing.id}")


def renew(listing: Listing, today: dt.date) -> None:
    """Six more months: a public listing, or a lapsed one (public again: its lease was confirmed)."""
    if listing.state not in ("public", "lapsed"):
        raise ExchangeRefused("state")
    listing.state, listing.expires_on = "public", today + dt.timedelta(days=LISTING_DAYS)
    listing.closed_at = None


def withdraw(session: Session, listing: Listing, now: dt.datetime) -> None:
    if listing.state in ("withdrawn", "moved"):
        raise ExchangeRefused("state")
    listing.state, listing.closed_at = "withdrawn", now
    cancel_open_swaps(session, [listing.id], now)


def lapse(session: Session, today: dt.date, now: dt.datetime) -> int:
    """Public listings past their date lapse, and the open swaps they are in are cancelled."""
    ids = list(
        session.scalars(select(Listing.id).where(Listing.state == "public", Listing.expires_on < today))
    )
    if ids:
        session.execute(update(Listing).where(Listing.id.in_(ids)).values(state="lapsed", closed_at=now))
        cancel_open_swaps(session, ids, now)
    return len(ids)


def cancel_open_swaps(session: Session, listing_ids: list[int], now: dt.datetime) -> None:
    swaps = select(SwapMove.swap_id).where(SwapMove.listing_id.in_(listing_ids))
    session.execute(
        update(Swap)
        .where(Swap.id.in_(swaps), Swap.state.in_(OPEN_SWAP_STATES))
        .values(state="cancelled", updated_at=now)
        .execution_options(synchronize_session="fetch")
    )


def cycle_key(ids: tuple[int, ...]) -> str:
    return "-".join(str(ident) for ident in matching.Cycle.of(ids).ids)


def propose(session: Session, listing: Listing, cycle: tuple[int, ...], now: dt.datetime) -> Swap:
    """The tenant proposes a swap along a cycle they are in; they have said yes by proposing it."""
    cycle = matching.Cycle.of(cycle).ids
    if listing.id not in cycle or len(set(cycle)) != len(cycle) or len(cycle) not in (2, 3):
        raise ExchangeRefused("cycle")
    rows = {row.id: row for row in session.scalars(select(Listing).where(Listing.id.in_(cycle)))}
    if len(rows) != len(cycle) or any(row.state != "public" for row in rows.values()):
        raise ExchangeRefused("not_public")
    shapes = {ident: as_matching(row) for ident, row in rows.items()}
    moves = matching.Cycle(cycle).moves()
    if not all(matching.accepts(shapes[mover], shapes[into].dwelling) for mover, into in moves):
        raise ExchangeRefused("no_longer_matches")
    if tenants.blocked_among(session, cycle):
        raise ExchangeRefused("blocked")
    key = cycle_key(cycle)
    if session.scalar(select(Swap.id).where(Swap.cycle == key, Swap.state.in_(OPEN_SWAP_STATES))):
        raise ExchangeRefused("already_proposed")
    swap = Swap(cycle=key, state="proposed", proposed_by=listing.id, created_at=now, updated_at=now)
    for position, (mover, into) in enumerate(moves):
        swap.moves.append(
            SwapMove(
                position=position, listing_id=mover, into_listing_id=into, landlord_id=rows[into].landlord_id
            )
        )
    session.add(swap)
    session.flush()
    answer(session, swap, listing.id, True, now)
    return swap


def answer(session: Session, swap: Swap, listing_id: int, yes: bool, now: dt.datetime) -> None:
    """A tenant of the swap says yes or no. Every yes: the swap goes to the landlords; one no ends it."""
    if swap.state != "proposed":
        raise ExchangeRefused("state")
    move = next((move for move in swap.moves if move.listing_id == listing_id), None)
    if move is None:
        raise ExchangeRefused("not_in_swap")
    move.tenant_answer, move.answered_at = ("yes" if yes else "no"), now
    if not yes:
        swap.state = "declined"
    elif all(move.tenant_answer == "yes" for move in swap.moves):
        swap.state = "agreed"
    swap.updated_at = now


def decide(
    session: Session,
    swap: Swap,
    move_id: int,
    landlord_id: int,
    user: User | None,
    approve: bool,
    now: dt.datetime,
) -> None:
    """The landlord of the dwelling a household would move into records its commission's decision.
    Every dwelling's landlord approved: the swap is approved; one refusal ends it."""
    if swap.state != "agreed":
        raise ExchangeRefused("state")
    move = next((move for move in swap.moves if move.id == move_id), None)
    if move is None or move.landlord_id != landlord_id:
        raise ExchangeRefused("not_your_dwelling")
    if move.decision:
        raise ExchangeRefused("decided")
    move.decision, move.decided_at = ("approved" if approve else "refused"), now
    move.decided_by = user.id if user else None
    action = "exchange.move_approved" if approve else "exchange.move_refused"
    audit.record(session, user, landlord_id, action, f"swap {swap.id}, listing {move.listing_id}")
    if not approve:
        swap.state = "refused"
    elif all(move.decision == "approved" for move in swap.moves):
        swap.state = "approved"
    swap.updated_at = now


def complete(session: Session, swap: Swap, landlord_id: int, user: User | None, now: dt.datetime) -> None:
    """The moves are done (said by a landlord of the swap): the listings are closed, and the other open
    swaps they were in are cancelled."""
    if swap.state != "approved":
        raise ExchangeRefused("state")
    if landlord_id not in {move.landlord_id for move in swap.moves}:
        raise ExchangeRefused("not_your_dwelling")
    ids = [move.listing_id for move in swap.moves]
    swap.state, swap.completed_at, swap.updated_at = "completed", now, now
    audit.record(session, user, landlord_id, "exchange.swap_completed", f"swap {swap.id}")
    session.flush()
    session.execute(update(Listing).where(Listing.id.in_(ids)).values(state="moved", closed_at=now))
    cancel_open_swaps(session, ids, now)


def delete_account(session: Session, tenant: Tenant) -> None:
    """The tenant's account goes at once, on their request, with their listing, its photos, its wishes
    and every swap it was in (the other households of an open swap are told by the caller); their
    sessions go with the account."""
    listing_id = session.scalar(select(Listing.id).where(Listing.tenant_id == tenant.id))
    if listing_id is not None:
        forget_swaps(session, listing_id)
    session.delete(tenant)
    session.flush()


def forget_swaps(session: Session, listing_id: int) -> None:
    """Every swap the listing was in, whatever its state (the listing itself is going)."""
    swaps = select(SwapMove.swap_id).where(SwapMove.listing_id == listing_id)
    session.execute(delete(Swap).where(Swap.id.in_(swaps)).execution_options(synchronize_session=False))
