"""Messages between tenants, without exposing them: a tenant writes to the tenant of a listing they
could swap with (a listing of one of their matches or of a swap they are in); no e-mail address or
phone number passes until both agreed to share their address; either may block the other (no more
messages, no swap between them, their open swaps cancelled) or report a message or a listing to the
partners' moderators.

Messages are deleted KEPT_FOR after they were sent; handled reports REPORTS_KEPT_FOR after.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal.exchange import neighbourhood, services
from portal.exchange.models import (
    OPEN_LISTING_STATES,
    OPEN_SWAP_STATES,
    REPORT_REASONS,
    Conversation,
    Listing,
    Message,
    Report,
    Swap,
    SwapMove,
)

KEPT_FOR = dt.timedelta(days=183)  # a conversation, after its last message
REPORTS_KEPT_FOR = dt.timedelta(days=365)  # a report, after a moderator handled it
MAX_LENGTH = 1000
CONTACT = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|(?:(?:\+|00)\s*33\s*[\s.-]*\(?0?\)?|\b0)\s*[1-9](?:[\s.-]*\d){8}\b",  # a French phone number
    re.IGNORECASE,
)


def has_contact_details(text: str) -> bool:
    return CONTACT.search(text) is not None


def ends(listing_id: int, other_id: int) -> tuple[int, int]:
    return (listing_id, other_id) if listing_id < other_id else (other_id, listing_id)


@dataclass(frozen=True)
class Side:
    """A conversation seen from one of its listings."""

    conversation: Conversation
    listing_id: int

    @property
    def first(self) -> bool:
        return self.conversation.first_listing_id == self.listing_id

    @property
    def other_id(self) -> int:
        c = self.conversation
        return c.second_listing_id if self.first else c.first_listing_id

    @property
    def shares(self) -> bool:
        return self.conversation.first_shares if self.first else self.conversation.second_shares

    @property
    def other_shares(self) -> bool:
        return self.conversation.second_shares if self.first else self.conversation.first_shares

    @property
    def read_at(self) -> dt.datetime | None:
        return self.conversation.first_read_at if self.first else self.conversation.second_read_at

    @property
    def blocked(self) -> bool:
        return self.conversation.blocked_by is not None

    @property
    def blocked_by_me(self) -> bool:
        return self.conversation.blocked_by == self.listing_id

    def mark_read(self, now: dt.datetime) -> None:
        if self.first:
            self.conversation.first_read_at = now
        else:
            self.conversation.second_read_at = now

    def set_shares(self, value: bool) -> None:
        if self.first:
            self.conversation.first_shares = value
        else:
            self.conversation.second_shares = value


def find(session: Session, listing_id: int, other_id: int) -> Side | None:
    first, second = ends(listing_id, other_id)
    found = session.scalar(
        select(Conversation).where(
            Conversation.first_listing_id == first, Conversation.second_listing_id == second
        )
    )
    return None if found is None else Side(found, listing_id)


def _open(session: Session, listing: Listing, other: Listing, now: dt.datetime) -> Side:
    """The conversation between the two listings, begun if the listing's tenant may write to the
    other: the other is in one of their matches or of their swaps."""
    side = find(session, listing.id, other.id)
    if side is not None:
        return side
    if not may_begin(session, listing, other):
        raise services.ExchangeRefused("stranger")
    first, second = ends(listing.id, other.id)
    conversation = Conversation(first_listing_id=first, second_listing_id=second, created_at=now)
    session.add(conversation)
    session.flush()
    return Side(conversation, listing.id)


def may_begin(session: Session, listing: Listing, other: Listing) -> bool:
    """A listing's tenant may write first to the tenant of a listing they are in a swap with, or of a
    listing in one of their matches (both public)."""
    if listing.id == other.id:
        return False
    together = session.scalar(
        select(SwapMove.swap_id)
        .where(SwapMove.listing_id == listing.id)
        .where(SwapMove.swap_id.in_(select(SwapMove.swap_id).where(SwapMove.listing_id == other.id)))
        .limit(1)
    )
    if together is not None:
        return True
    if listing.state != "public" or other.state != "public":
        return False
    return any(other.id in match.cycle.ids for match in neighbourhood.matches(session, listing))


def send(session: Session, listing: Listing, other: Listing, body: str, now: dt.datetime) -> bool:
    """The message is written; returns whether the other tenant should be told by e-mail (the first
    message they have not read yet). Refused: "closed" (a listing no longer open), "blocked",
    "stranger", "empty", "long", "contact" (an address or phone before both agreed to share)."""
    body = body.strip()
    if listing.state not in OPEN_LISTING_STATES or other.state not in OPEN_LISTING_STATES:
        raise services.ExchangeRefused("closed")
    if not body:
        raise services.ExchangeRefused("empty")
    if len(body) > MAX_LENGTH:
        raise services.ExchangeRefused("long")
    side = _open(session, listing, other, now)
    if side.blocked:
        raise services.ExchangeRefused("blocked")
    if not (side.shares and side.other_shares) and has_contact_details(body):
        raise services.ExchangeRefused("contact")
    other_side = Side(side.conversation, other.id)
    already_unread = unread_in(session, other_side) > 0
    session.add(
        Message(conversation_id=side.conversation.id, sender_listing_id=listing.id, body=body, created_at=now)
    )
    side.conversation.last_message_at = now
    side.mark_read(now)
    session.flush()
    return not already_unread


def unread_in(session: Session, side: Side) -> int:
    """The other tenant's messages in the conversation that this side has not seen (hidden ones
    excepted)."""
    query = select(func.count(Message.id)).where(
        Message.conversation_id == side.conversation.id,
        Message.sender_listing_id != side.listing_id,
        Message.hidden_at.is_(None),
    )
    if side.read_at is not None:
        query = query.where(Message.created_at > side.read_at)
    return session.scalar(query)


def conversations_of(session: Session, listing_id: int) -> list[tuple[Side, int]]:
    """The listing's conversations, the latest first, each with its count of unread messages (one
    query for every count)."""
    found = session.scalars(
        select(Conversation)
        .where(
            or_(Conversation.first_listing_id == listing_id, Conversation.second_listing_id == listing_id),
            Conversation.last_message_at.is_not(None),
        )
        .order_by(Conversation.last_message_at.desc())
    )
    sides = [Side(conversation, listing_id) for conversation in found]
    read_at = case(
        (Conversation.first_listing_id == listing_id, Conversation.first_read_at),
        else_=Conversation.second_read_at,
    )
    unread = dict(
        session.execute(
            select(Message.conversation_id, func.count(Message.id))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Message.conversation_id.in_([side.conversation.id for side in sides]),
                Message.sender_listing_id != listing_id,
                Message.hidden_at.is_(None),
                or_(read_at.is_(None), Message.created_at > read_at),
            )
            .group_by(Message.conversation_id)
        ).all()
    )
    return [(side, unread.get(side.conversation.id, 0)) for side in sides]


def unread_total(session: Session, listing_id: int) -> int:
    return sum(unread for _side, unread in conversations_of(session, listing_id))


def share(session: Session, listing: Listing, other: Listing, value: bool, now: dt.datetime) -> Side:
    """The tenant agrees (or no longer agrees) to show their e-mail address to the other."""
    side = _open(session, listing, other, now)
    if side.blocked:
        raise services.ExchangeRefused("blocked")
    side.set_shares(value)
    return side


def block(session: Session, listing: Listing, other: Listing, now: dt.datetime) -> None:
    """No more messages between them, no swap: their open swaps together are cancelled; neither
    address is shown any more."""
    side = find(session, listing.id, other.id)
    if side is None:
        if not may_begin(session, listing, other):
            raise services.ExchangeRefused("stranger")
        side = _open(session, listing, other, now)
    if side.conversation.blocked_by is None:
        side.conversation.blocked_by = listing.id
    side.conversation.first_shares = side.conversation.second_shares = False
    together = select(SwapMove.swap_id).where(SwapMove.listing_id == listing.id)
    session.execute(
        update(Swap)
        .where(
            Swap.id.in_(together),
            Swap.id.in_(select(SwapMove.swap_id).where(SwapMove.listing_id == other.id)),
            Swap.state.in_(OPEN_SWAP_STATES),
        )
        .values(state="cancelled", updated_at=now)
        .execution_options(synchronize_session="fetch")
    )


def unblock(session: Session, listing: Listing, other: Listing) -> None:
    """Only the tenant who blocked may lift it."""
    side = find(session, listing.id, other.id)
    if side is None or not side.blocked_by_me:
        raise services.ExchangeRefused("state")
    side.conversation.blocked_by = None


def reportable(session: Session, listing: Listing, other: Listing, message_id: int) -> Message | None:
    """The message, if the other listing's tenant sent it to this listing's tenant."""
    side = find(session, listing.id, other.id)
    message = session.get(Message, message_id)
    if side is None or message is None or message.conversation_id != side.conversation.id:
        return None
    return message if message.sender_listing_id == other.id else None


def report(
    session: Session,
    listing: Listing,
    other: Listing,
    reason: str,
    comment: str,
    message_id: int | None,
    now: dt.datetime,
) -> Report:
    """A report of the other listing (its text, its photos) or of one of its tenant's messages to this
    tenant. Reporting twice the same thing adds nothing."""
    if reason not in REPORT_REASONS:
        raise services.ExchangeRefused("reason")
    excerpt = ""
    if message_id is not None:
        message = reportable(session, listing, other, message_id)
        if message is None:
            raise services.ExchangeRefused("message")
        excerpt = message.body
    elif listing.id == other.id:
        raise services.ExchangeRefused("stranger")
    same = session.scalar(
        select(Report).where(
            Report.reporter_listing_id == listing.id,
            Report.listing_id == other.id,
            Report.message_id.is_(None) if message_id is None else Report.message_id == message_id,
            Report.handled_at.is_(None),
        )
    )
    if same is not None:
        return same
    found = Report(
        reporter_listing_id=listing.id,
        listing_id=other.id,
        message_id=message_id,
        excerpt=excerpt,
        reason=reason,
        comment=comment.strip()[:500],
        created_at=now,
    )
    session.add(found)
    session.flush()
    return found


def purge(session: Session, now: dt.datetime) -> None:
    """Messages KEPT_FOR after they were sent; conversations with nothing left in them (a block stays
    while both listings do); the reports handled REPORTS_KEPT_FOR ago."""
    old = now - KEPT_FOR
    session.execute(delete(Message).where(Message.created_at < old))
    session.execute(
        delete(Conversation).where(
            Conversation.blocked_by.is_(None),
            func.coalesce(Conversation.last_message_at, Conversation.created_at) < old,
        )
    )
    session.execute(delete(Report).where(Report.handled_at < now - REPORTS_KEPT_FOR))
