"""Long work people started and follow: what, who, for which organisation, its state and outcome; and the
locks that keep two pieces of work on the territory's data from running at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

STATES = ("queued", "running", "done", "failed")
ACTIVE = ("queued", "running")


class JobRecord(Base):
    """One piece of long work (a data file checked or applied, a grid's impact, an activation…): who
    started it, when, what it was asked to do (`params`), how it ended (`result`, or the reason it
    failed, a msgid with its values: nothing was changed)."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(String(300), default="")  # a msgid, translated when shown
    error_values: Mapped[dict] = mapped_column(JSON, default=dict)
    lock: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class JobLock(Base):
    """Held by a queued or running job from its creation to its end: one name, one job at a time."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    job_id: Mapped[int] = mapped_column(Integer, ForeignKey("job.id", ondelete="CASCADE"))
    acquired_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
