"""The records of priority households (the plan's actions 7, 11 and 12): a social worker's referral of a
household to the partnership's coordination committee, the committee's sessions, and its decision (a
priority label under one of the L.441-1 criteria, or not, and the reservation holder the household is
oriented to), followed until the household is housed or the label ends; and each reservation holder's
allocation objectives for a year.

A referral names the household by its demand's unique number only: no name, no address, no birth date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
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

# The priority publics of CCH L.441-1 (DALO beneficiaries first), as the committee labels them.
CRITERIA = (
    "dalo",
    "disability",
    "badly_housed",
    "temporary_housing",
    "back_to_work",
    "substandard",
    "violence",
    "overcrowded_child",
    "exploitation",
    "no_housing",
    "eviction",
    "child_welfare",
)
# submitted: waiting for a session; on_agenda: on a session's agenda; labelled / not_labelled: decided;
# housed: an allocation ended the follow-up; ended: the label lapsed or the referral was withdrawn.
STATES = ("submitted", "on_agenda", "labelled", "not_labelled", "housed", "ended")
OPEN_STATES = ("submitted", "on_agenda", "labelled")
CLOSE_REASONS = ("housed", "lapsed", "withdrawn", "situation_changed")
LABEL_MONTHS = 12  # a label lasts a year; the committee may label the household again


class CommitteeSession(Base):
    """A session of the coordination committee: its date and place; its agenda is its referrals."""

    __tablename__ = "priority_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    referrals: Mapped[list[Referral]] = relationship(
        back_populates="committee_session", order_by="Referral.id"
    )


class Referral(Base):
    """A household referred to the committee by a social worker, and what came of it."""

    __tablename__ = "priority_referral"
    __table_args__ = (Index("ix_priority_referral_number_state", "demand_number", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_number: Mapped[str] = mapped_column(String(18))
    criteria: Mapped[list] = mapped_column(JSON, default=list)  # the situation: codes of CRITERIA
    comment: Mapped[str] = mapped_column(String(600), default="")  # facts for the committee, no names
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True, index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    support_organisation: Mapped[str] = mapped_column(String(200))  # who supports the household
    referred_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(14), default="submitted")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    criterion: Mapped[str] = mapped_column(String(20), default="")  # the label's criterion
    reasons: Mapped[str] = mapped_column(Text, default="")  # the decision's reasons
    holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )  # the reservation holder the household is oriented to
    label_ends_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str] = mapped_column(String(20), default="")

    committee_session: Mapped[CommitteeSession | None] = relationship(back_populates="referrals")


class Objective(Base):
    """A reservation holder's (or a landlord's, for its dwellings no one reserves) allocation objectives for
    a year (CCH L.441-1): the share of its allocations to DALO or priority households, and the share of
    its allocations outside QPV to households of the lowest income quartile."""

    __tablename__ = "priority_objective"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    priority_share: Mapped[Decimal] = mapped_column(Numeric(4, 3))  # 0.25: a quarter
    lowest_quartile_share: Mapped[Decimal] = mapped_column(Numeric(4, 3))
