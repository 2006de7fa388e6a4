"""The records of urban-renewal rehousing (NPNRU): operations, the offers each partner commits to bring,
the households to rehouse, the partners they are proposed to, and the offers made to them.

Households are pseudonymised like demands: the landlord's reference of the household, its composition,
its current dwelling and rent, its needs; never a name, an address or a birth date. They are deleted a
set time after their operation is closed (`jobs.purge_closed_operations`), the operation keeping its
final figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.db import Base

# not_started: no offer yet; in_progress: offers made, not rehoused; rehoused: moved into an accepted offer;
# left: left the dwelling otherwise (own means, private sector, deceased…), which closes the follow-up.
HOUSEHOLD_STATUSES = ("not_started", "in_progress", "rehoused", "left")
OPEN_STATUSES = ("not_started", "in_progress")
LEFT_REASONS = ("own_means", "private_sector", "specialised_housing", "deceased", "other")
OFFER_DECISIONS = ("pending", "accepted", "refused")
REFUSAL_REASONS = ("location", "size", "rent", "condition", "accessibility", "neighbourhood", "other")
# What is recorded of a household to rehouse (the file's columns, the form's fields, the audit's snapshot).
HOUSEHOLD_FIELDS = (
    "reference",
    "persons",
    "children",
    "current_type",
    "rent",
    "rent_after_aid",
    "wished_type",
    "wished_communes",
    "accessibility",
    "ageing_or_disability",
    "stay_in_neighbourhood",
    "rent_ceiling",
    "survey_on",
    "followed_by",
)
REFUSALS_THAT_COUNT = 3  # CCH L.353-15 and L.442-6: three suitable offers refused end the right to stay


class Operation(Base):
    """An urban-renewal operation: buildings of one landlord demolished or restructured, whose households
    must all be rehoused. `closed_on` ends the follow-up; the households are deleted a set time after."""

    __tablename__ = "rehousing_operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    neighbourhood: Mapped[str] = mapped_column(String(200))  # the QPV's name
    qpv_code: Mapped[str] = mapped_column(String(20), default="")  # e.g. QN07201M
    commune_insee: Mapped[str] = mapped_column(String(5))
    landlord_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    buildings: Mapped[str] = mapped_column(Text, default="")  # the buildings concerned, one per line
    dwellings: Mapped[int] = mapped_column(Integer)
    announced_on: Mapped[dt.date] = mapped_column(Date)
    rehousing_starts_on: Mapped[dt.date] = mapped_column(Date)
    demolition_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The dashboard's figures when its households were deleted (empty before).
    final_figures: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="operation", cascade="all, delete-orphan", order_by="Commitment.id"
    )


class Commitment(Base):
    """How many offers of a dwelling type a partner (landlord, reservation holder) brings to an operation."""

    __tablename__ = "rehousing_commitment"
    __table_args__ = (UniqueConstraint("operation_id", "organisation_id", "dwelling_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(
        ForeignKey("rehousing_operation.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    dwelling_type: Mapped[str] = mapped_column(String(2))
    offers: Mapped[int] = mapped_column(Integer)

    operation: Mapped[Operation] = relationship(back_populates="commitments")


class Household(Base):
    """A household to rehouse, pseudonymised: the landlord's reference, its composition, its dwelling and
    rent today, its needs, the social survey's date and who follows it. Rents are € a month; the rent
    after aid is what the household pays once its housing benefit is deducted."""

    __tablename__ = "rehousing_household"
    __table_args__ = (
        UniqueConstraint("operation_id", "reference"),
        Index("ix_rehousing_household_operation_status", "operation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("rehousing_operation.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(40))
    persons: Mapped[int] = mapped_column(Integer)
    children: Mapped[int] = mapped_column(Integer, default=0)
    current_type: Mapped[str] = mapped_column(String(2))
    rent: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)
    rent_after_aid: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)
    wished_type: Mapped[str] = mapped_column(String(2))
    wished_communes: Mapped[list] = mapped_column(JSON, default=list)  # INSEE codes
    accessibility: Mapped[bool] = mapped_column(Boolean, default=False)  # step-free access needed
    ageing_or_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    rent_ceiling: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)  # after aid
    stay_in_neighbourhood: Mapped[bool] = mapped_column(Boolean, default=False)
    survey_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    followed_by: Mapped[str] = mapped_column(String(120), default="")  # the worker following it
    status: Mapped[str] = mapped_column(String(12), default="not_started")
    left_reason: Mapped[str] = mapped_column(String(20), default="")
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # moved, or left otherwise
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    offers: Mapped[list[Offer]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="Offer.offered_on, Offer.id"
    )


class Proposal(Base):
    """A household put forward to a partner, which may then see it and bring it offers."""

    __tablename__ = "rehousing_proposal"
    __table_args__ = (UniqueConstraint("household_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("rehousing_household.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    operation_id: Mapped[int] = mapped_column(
        ForeignKey("rehousing_operation.id", ondelete="CASCADE"), index=True
    )
    proposed_on: Mapped[dt.date] = mapped_column(Date)


class Offer(Base):
    """A dwelling offered to a household: who brings it (a landlord or a reservation holder), where, what,
    its rent, whether it meets the household's needs and means, and the household's answer."""

    __tablename__ = "rehousing_offer"
    __table_args__ = (Index("ix_rehousing_offer_operation_partner", "operation_id", "brought_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("rehousing_household.id", ondelete="CASCADE"), index=True
    )
    operation_id: Mapped[int] = mapped_column(ForeignKey("rehousing_operation.id", ondelete="CASCADE"))
    brought_by_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    landlord_name: Mapped[str] = mapped_column(String(200))
    commune_insee: Mapped[str] = mapped_column(String(5))
    in_qpv: Mapped[bool] = mapped_column(Boolean)
    recent: Mapped[bool] = mapped_column(Boolean)  # new, or renovated in the last five years
    dwelling_type: Mapped[str] = mapped_column(String(2))
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)  # reachable without steps
    rent: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    rent_after_aid: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)
    suitable: Mapped[bool] = mapped_column(Boolean)  # meets the needs and means (law of 1948, art. 13 bis)
    offered_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(10), default="pending")
    refusal_reason: Mapped[str] = mapped_column(String(20), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    moved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    household: Mapped[Household] = relationship(back_populates="offers")
