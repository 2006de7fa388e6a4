"""The history of data imports made through the workspace (applied and refused alike)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.db import Base
from portal.partners.models import Organisation, User

OUTCOMES = ("applied", "refused")


class ImportRecord(Base):
    """One attempt to import a file: who, for which organisation, when, what file, what it did."""

    __tablename__ = "import_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # demands, events, allocations or stock
    filename: Mapped[str] = mapped_column(String(200))  # the name the person's file had, sanitised
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)  # bytes
    rows: Mapped[int] = mapped_column(Integer, default=0)  # data rows of the file
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    replaced: Mapped[int] = mapped_column(Integer, default=0)  # stored rows the file took the place of
    outcome: Mapped[str] = mapped_column(String(10))  # one of OUTCOMES
    problems: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
