"""The exchange's records: tenants' accounts, their listings, and the swaps proposed between listings.

A listing says what a tenant has (never the address: the commune and the district) and what they want.
It is public only once the tenant's landlord has confirmed that the tenant rents that dwelling, and it
lapses unless renewed. A swap is a cycle of two or three listings: every tenant in it says yes, then the
landlord of every dwelling in it decides on the household moving in (its commission decides); the swap
is approved when every landlord agreed, completed when the moves are done.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base

LISTING_STATES = ("awaiting_landlord", "public", "refused", "lapsed", "withdrawn", "moved", "suspended")
CLOSED_LISTING_STATES = ("refused", "withdrawn", "moved")  # a new listing may replace them
OPEN_LISTING_STATES = ("awaiting_landlord", "public", "lapsed")  # its tenant may still change and write
SWAP_STATES = ("proposed", "agreed", "approved", "completed", "declined", "refused", "cancelled")
OPEN_SWAP_STATES = ("proposed", "agreed", "approved")
FINANCINGS = ("PLAI", "PLUS", "PLS", "PLI")
REPORT_REASONS = ("insulting", "suspicious", "contact", "photo", "untrue", "other")
REPORT_OUTCOMES = ("dismissed", "message_hidden", "photo_removed", "listing_suspended")


class Tenant(Base):
    """A social tenant's account on the exchange, apart from partners' accounts. The password is an
    Argon2 hash (none when the tenant signs in by one-time links); `session_version` moves to sign the
    tenant out everywhere."""

    __tablename__ = "exchange_tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    totp_secret: Mapped[str] = mapped_column(String(64), default="")  # two-step sign-in, if chosen
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)  # a code is accepted once
    totp_recovery_hash: Mapped[str] = mapped_column(String(64), default="")  # SHA-256 of the spare code
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TenantLink(Base):
    """An e-mailed link's secret (its SHA-256): the address's verification or a one-time sign-in."""

    __tablename__ = "exchange_tenant_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("exchange_tenant.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "verify" or "sign_in"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Listing(Base):
    """One tenant's dwelling and wishes. Lists of codes (wished types and communes, financings whose
    ceiling the household is under) are stored comma-separated."""

    __tablename__ = "exchange_listing"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("exchange_tenant.id", ondelete="CASCADE"), unique=True)
    landlord_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    tenant_reference: Mapped[str] = mapped_column(String(40))  # the landlord's reference of the lease
    state: Mapped[str] = mapped_column(String(20), default="awaiting_landlord", index=True)
    household_size: Mapped[int] = mapped_column(Integer)
    financings: Mapped[str] = mapped_column(String(40))
    dwelling_type: Mapped[str] = mapped_column(String(3))
    surface: Mapped[float] = mapped_column(Numeric(6, 1))
    floor: Mapped[int] = mapped_column(Integer, default=0)
    lift: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    rent: Mapped[float] = mapped_column(Numeric(8, 2))  # monthly, charges included
    financing: Mapped[str] = mapped_column(String(4))
    commune_insee: Mapped[str] = mapped_column(String(5), index=True)
    district: Mapped[str] = mapped_column(String(80), default="")
    wish_types: Mapped[str] = mapped_column(String(20))
    wish_communes: Mapped[str] = mapped_column(String(400))
    wish_max_rent: Mapped[float] = mapped_column(Numeric(8, 2))
    wish_step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    confirmed_by: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    tenant: Mapped[Tenant] = relationship()
    wishes: Mapped[list[ListingWish]] = relationship(cascade="all, delete-orphan")
    photos: Mapped[list[ListingPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ListingPhoto.id", passive_deletes=True
    )


class ListingWish(Base):
    """One (type, commune) a listing's tenant would move into: the wishes written out, so that the
    tenants who would accept a dwelling are found by an index (the listing keeps its lists to show)."""

    __tablename__ = "exchange_listing_wish"
    __table_args__ = (Index("ix_exchange_listing_wish_place", "dwelling_type", "commune_insee"),)

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listing.id", ondelete="CASCADE"), primary_key=True
    )
    dwelling_type: Mapped[str] = mapped_column(String(3), primary_key=True)
    commune_insee: Mapped[str] = mapped_column(String(5), primary_key=True)


class ListingPhoto(Base):
    """A photo of a listed dwelling, as re-encoded by the portal (JPEG, no metadata, at most
    photos.MAX_SIDE pixels a side): the uploaded file itself is never kept."""

    __tablename__ = "exchange_listing_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Swap(Base):
    """A cycle of two or three listings, written from its smallest listing id (`cycle`, e.g. "4-9-12":
    4 moves into 9's dwelling, 9 into 12's, 12 into 4's). At most one open swap per cycle."""

    __tablename__ = "exchange_swap"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    moves: Mapped[list[SwapMove]] = relationship(
        back_populates="swap", cascade="all, delete-orphan", order_by="SwapMove.position"
    )


class SwapMove(Base):
    """One household's move in a swap: the tenant's answer, and the decision of the landlord of the
    dwelling they would move into."""

    __tablename__ = "exchange_swap_move"
    __table_args__ = (UniqueConstraint("swap_id", "listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    swap_id: Mapped[int] = mapped_column(ForeignKey("exchange_swap.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id", ondelete="CASCADE"), index=True)
    into_listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id", ondelete="CASCADE"))
    landlord_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)  # the dwelling's
    tenant_answer: Mapped[str] = mapped_column(String(3), default="")  # "", "yes" or "no"
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision: Mapped[str] = mapped_column(String(8), default="")  # "", "approved" or "refused"
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )

    swap: Mapped[Swap] = relationship(back_populates="moves")


class Conversation(Base):
    """The messages between two listings' tenants, written from the smaller listing id ("first").
    Neither sees the other's e-mail address until both agreed to share it; either may block the other
    (no more messages, no swap between them)."""

    __tablename__ = "exchange_conversation"
    __table_args__ = (UniqueConstraint("first_listing_id", "second_listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_listing_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listing.id", ondelete="CASCADE"), index=True
    )
    second_listing_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listing.id", ondelete="CASCADE"), index=True
    )
    first_shares: Mapped[bool] = mapped_column(Boolean, default=False)
    second_shares: Mapped[bool] = mapped_column(Boolean, default=False)
    first_read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    second_read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    blocked_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the blocking listing's id
    last_message_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    messages: Mapped[list[Message]] = relationship(
        cascade="all, delete-orphan", order_by="Message.id", passive_deletes=True
    )


class Message(Base):
    """One message in a conversation; a moderator may hide it (it stays, shown as hidden)."""

    __tablename__ = "exchange_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_conversation.id", ondelete="CASCADE"), index=True
    )
    sender_listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    hidden_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Report(Base):
    """A tenant's report of another listing (its text or photos) or of one of its tenant's messages,
    for the partners' moderators. The reported message's text is copied: the moderator reads it even
    once the conversation is gone, and nothing else of the conversation."""

    __tablename__ = "exchange_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchange_listing.id", ondelete="SET NULL"), nullable=True
    )
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchange_listing.id", ondelete="SET NULL"), nullable=True, index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchange_message.id", ondelete="SET NULL"), nullable=True
    )
    excerpt: Mapped[str] = mapped_column(String(1000), default="")
    reason: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    handled_by: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    outcome: Mapped[str] = mapped_column(String(20), default="")


class MatchCount(Base):
    """The whole exchange's matches, counted every night (finding every cycle of a territory takes
    seconds: never in a page): public listings, those in at least one swap that suits everyone, and
    the two- and three-way swaps possible."""

    __tablename__ = "exchange_match_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    counted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    public_listings: Mapped[int] = mapped_column(Integer)
    listings_with_match: Mapped[int] = mapped_column(Integer)
    two_way: Mapped[int] = mapped_column(Integer)
    three_way: Mapped[int] = mapped_column(Integer)
