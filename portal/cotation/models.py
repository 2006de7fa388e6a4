"""Grids as stored: every version of every grid, its status and its criteria with their texts.

The files of content/cotation/ are loaded here by `portal cotation load` (and `portal init`); the
pages, the simulator, the look-up and the recompute read the grids from here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.db import Base


class GridRecord(Base):
    """One version of a grid (general or mutation): draft, active from its effective date, or retired."""

    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # general or mutation
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # draft, active, retired
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # locale -> text
    groups: Mapped[dict] = mapped_column(JSON, default=dict)  # group code -> locale -> name
    source: Mapped[str] = mapped_column(String(200), default="")  # the file it was loaded from
    # computed facts [{name, expression, label}], floor, ceiling, ties [{fact, order}],
    # exclusions [{code, when, reason}]: what the grid file writes beside its criteria
    rules: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    criteria: Mapped[list[CriterionRecord]] = relationship(
        back_populates="grid", cascade="all, delete-orphan", order_by="CriterionRecord.position"
    )


class CriterionRecord(Base):
    """One criterion of a grid version: the rule the engine applies and the texts people read."""

    __tablename__ = "grid_criterion"
    __table_args__ = (UniqueConstraint("grid_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    family: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(12))  # engine.KINDS
    fact: Mapped[str] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(Integer, default=0)
    cap: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bands: Mapped[list] = mapped_column(JSON, default=list)  # [{"min": 30, "max": 40, "points": 5}, …]
    # steps [{"from" or "above": 24, "points": 10}], when (a condition), scope {communes, dwelling_types},
    # months (since: how long; events: the window), fade (since: points lost a month)
    options: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    group_code: Mapped[str | None] = mapped_column(String(40), nullable=True)  # exclusive group
    verification: Mapped[str] = mapped_column(String(10))  # computed, declared, checked
    label: Mapped[dict] = mapped_column(JSON, default=dict)  # locale -> text
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    question: Mapped[dict] = mapped_column(JSON, default=dict)

    grid: Mapped[GridRecord] = relationship(back_populates="criteria")
