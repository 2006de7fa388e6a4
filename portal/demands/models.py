"""Pseudonymised demand records (DESIGN.md D3, D4): no name, no address, no birth date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from portal.db import Base

STATUSES = ("active", "allocated", "struck_off")
DWELLING_TYPES = ("T1", "T2", "T3", "T4", "T5")
EVENT_KINDS = ("filed", "renewed", "decision", "offer", "refusal", "allocation", "struck_off")
# Who an allocation went to: a DALO beneficiary, a household of the collective agreement (accord collectif
# intercommunal), another priority public of CCH L.441-1 (PDALHPD included), or none of them.
PRIORITY_PUBLICS = ("none", "dalo", "accord_collectif", "other_priority")
# How a dwelling of the stock was financed (RPLS); empty when the extract does not say.
FINANCINGS = ("PLAI", "PLUS", "PLS", "PLI")


class Demand(Base):
    """A demand as the score and the figures need it; `number` is the unique number (NUR)."""

    __tablename__ = "demand"
    # The position reads only this index: segment, then score, filing date and id (the order of the queue).
    __table_args__ = (
        Index(
            "ix_demand_queue",
            "status",
            "mutation",
            "dwelling_type",
            "first_commune_insee",
            "score_total",
            "filed_on",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(18), unique=True)
    lookup_hash: Mapped[str] = mapped_column(String(200))  # Argon2 of "number|birth date": never the date
    filed_on: Mapped[dt.date] = mapped_column(Date)
    renewed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    mutation: Mapped[bool] = mapped_column(Boolean, default=False)  # already a social tenant
    dwelling_type: Mapped[str] = mapped_column(String(3))
    first_commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"))
    other_communes: Mapped[str] = mapped_column(String(200), default="")
    household_size: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict] = mapped_column(JSON, default=dict)  # what the grid reads; dates as ISO text
    checked: Mapped[list] = mapped_column(JSON, default=list)  # declared facts that were checked
    score_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    score_lines: Mapped[list] = mapped_column(JSON, default=list)
    grid_code: Mapped[str] = mapped_column(String(40), default="")
    grid_version: Mapped[int] = mapped_column(Integer, default=0)
    scored_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    events: Mapped[list[DemandEvent]] = relationship(
        back_populates="demand", cascade="all, delete-orphan", order_by="DemandEvent.occurred_on"
    )


# The selection of candidates for a vacant dwelling reads the active demands of a type in queue order
# (score descending, then filing date), whatever their commune (portal/priority/selection.py).
Index(
    "ix_demand_selection",
    Demand.status,
    Demand.dwelling_type,
    Demand.score_total.desc(),
    Demand.filed_on,
    Demand.id,
)


class DemandEvent(Base):
    """Something that happened to a demand: filed, renewed, committee decision, offer, refusal…"""

    __tablename__ = "demand_event"
    # The allocations alone, by segment and date: the usual waiting time reads a segment's last year.
    __table_args__ = (
        Index(
            "ix_demand_event_allocation",
            "dwelling_type",
            "commune_insee",
            "occurred_on",
            postgresql_where=text("kind = 'allocation'"),
            sqlite_where=text("kind = 'allocation'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)  # committee decision: rank 1, 2, 3
    reasons: Mapped[str] = mapped_column(Text, default="")
    dwelling_type: Mapped[str] = mapped_column(String(3), default="")  # for allocations: what was allocated
    commune_insee: Mapped[str] = mapped_column(String(5), default="")
    legitimate: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # a refusal with a legitimate reason

    demand: Mapped[Demand] = relationship(back_populates="events")


class Allocation(Base):
    """One allocation with the details the observatory counts (from the allocations file).

    It names its demand by number, not by id: the demands file replaces the demands (and their ids) whole,
    and the allocations must survive that. Whether it was a transfer (mutation) comes from the demand.
    """

    __tablename__ = "allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_number: Mapped[str] = mapped_column(String(18), unique=True)  # one allocation ends a demand
    allocated_on: Mapped[dt.date] = mapped_column(Date, index=True)
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), index=True)
    dwelling_type: Mapped[str] = mapped_column(String(3))  # T1 to T5; T5 means T5 and more
    landlord: Mapped[str] = mapped_column(String(200))  # the landlord's code or name, as the file gives it
    priority: Mapped[str] = mapped_column(String(20), default="none")  # one of PRIORITY_PUBLICS
    in_qpv: Mapped[bool] = mapped_column(Boolean, default=False)  # dwelling in a priority urban district
    lowest_quartile: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: income unknown
    # Reservations in flux: the reservation holder the dwelling was offered to, and the one whose
    # candidate it went to (organisations' slugs in the portal; the landlord's own for its unreserved
    # dwellings; empty when the file does not say); how it was financed and when it was built.
    offered_to: Mapped[str] = mapped_column(String(80), default="", server_default="")
    holder: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    financing: Mapped[str] = mapped_column(String(4), default="", server_default="")
    built_year: Mapped[int | None] = mapped_column(Integer, nullable=True)


class HousingStock(Base):
    """Social dwellings counted on 1 January of `year` (shaped like the RPLS public extracts)."""

    __tablename__ = "housing_stock"
    __table_args__ = (UniqueConstraint("year", "commune_insee", "dwelling_type", "landlord", "financing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"))
    dwelling_type: Mapped[str] = mapped_column(String(3))  # T1 to T5; T5 means T5 and more
    landlord: Mapped[str] = mapped_column(String(200))
    financing: Mapped[str] = mapped_column(String(4), default="")  # one of FINANCINGS, or empty
    dwellings: Mapped[int] = mapped_column(Integer)


class DemandOutcome(Base):
    """What the demands filed in one month became, for one segment (transfer flag, dwelling type, first
    commune): how many, how many were housed within 6, 12, 24 and 36 months of filing, housed at all,
    struck off. Rebuilt whole from the demands after each data file and every night
    (portal.demands.chances): the outcome curve and the what-if read these few rows, not the demands."""

    __tablename__ = "demand_outcome"
    # The unique constraint's index, in this column order, is the one the pools are read by.
    __table_args__ = (UniqueConstraint("mutation", "dwelling_type", "commune_insee", "filed_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mutation: Mapped[bool] = mapped_column(Boolean)
    dwelling_type: Mapped[str] = mapped_column(String(3))
    commune_insee: Mapped[str] = mapped_column(String(5))
    filed_month: Mapped[int] = mapped_column(Integer)  # year * 12 + month - 1
    demands: Mapped[int] = mapped_column(Integer)
    housed_6: Mapped[int] = mapped_column(Integer, default=0)
    housed_12: Mapped[int] = mapped_column(Integer, default=0)
    housed_24: Mapped[int] = mapped_column(Integer, default=0)
    housed_36: Mapped[int] = mapped_column(Integer, default=0)
    housed: Mapped[int] = mapped_column(Integer, default=0)  # at any time
    ended: Mapped[int] = mapped_column(Integer, default=0)  # struck off (lapsed, cancelled, refused…)


class RenewalReminder(Base):
    """An e-mail reminder of a demand's renewal deadline, asked from the look-up (double opt-in). Holds
    the address, a keyed hash of the demand's number (never the number) and the deadline; deleted once
    the deadline has passed, or two days after it was asked if the address was never confirmed."""

    __tablename__ = "renewal_reminder"
    __table_args__ = (UniqueConstraint("email", "number_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    number_key: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 of the number with the secret key
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    locale: Mapped[str] = mapped_column(String(8))  # the language of the e-mails
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the e-mails' link token
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    month_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    week_sent: Mapped[bool] = mapped_column(Boolean, default=False)
