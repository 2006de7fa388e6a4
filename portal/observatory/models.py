"""The public figures as last computed: one row per refresh, read by the commune pages and the API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import utcnow
from portal.db import Base


class FiguresSnapshot(Base):
    """The observatory's figures of the twelve months before `day`, for the territory and every commune,
    per dwelling type, unmasked (statistical secrecy is applied when the public reads them)."""

    __tablename__ = "observatory_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    stock_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # {"territory": {"": {...}, "T1": {...}}, "communes": {insee: {"": {...}, "T1": {...}}}}
    figures: Mapped[dict] = mapped_column(JSON)
