"""Desks of the reception and information network, their weekly hours, closures and notices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.partners.models import Organisation
from portal.territory.models import Commune

LEVELS = (1, 2, 3)  # 1 information, 2 registration (guichet enregistreur), 3 personal support
ACCESS_MODES = ("walk_in", "appointment", "both")


class Desk(Base):
    """A place where applicants are received; coordinates in WGS 84 degrees."""

    __tablename__ = "desk"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # stable identifier from content/desks.yaml
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer, index=True)
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(5), index=True)
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), index=True)
    latitude: Mapped[float] = mapped_column(Float, index=True)
    longitude: Mapped[float] = mapped_column(Float, index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    on_site: Mapped[bool] = mapped_column(Boolean, default=True)
    by_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    access_mode: Mapped[str] = mapped_column(String(12), default="walk_in")
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)  # reduced-mobility access
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(String(120), default="fr")  # language codes, space-separated
    publics: Mapped[str] = mapped_column(Text, default="")
    documents: Mapped[str] = mapped_column(Text, default="")  # what to bring
    directions: Mapped[str] = mapped_column(Text, default="")  # how to get there
    hours_confirmed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    updated_on: Mapped[dt.date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship()
    commune: Mapped[Commune] = relationship()
    slots: Mapped[list[OpeningSlot]] = relationship(
        back_populates="desk",
        cascade="all, delete-orphan",
        order_by="(OpeningSlot.weekday, OpeningSlot.opens)",
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="desk", cascade="all, delete-orphan", order_by="Closure.starts_on"
    )
    notices: Mapped[list[DeskNotice]] = relationship(
        back_populates="desk", cascade="all, delete-orphan", order_by="DeskNotice.starts_on"
    )

    @property
    def language_list(self) -> list[str]:
        return self.languages.split()


class OpeningSlot(Base):
    """One opening period in the week (a day may have several: morning and afternoon)."""

    __tablename__ = "desk_opening_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday … 6 Sunday
    opens: Mapped[dt.time] = mapped_column(Time)
    closes: Mapped[dt.time] = mapped_column(Time)

    desk: Mapped[Desk] = relationship(back_populates="slots")


class Closure(Base):
    """Dated closure (holidays of the service, works…), both days included."""

    __tablename__ = "desk_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300), default="")

    desk: Mapped[Desk] = relationship(back_populates="closures")


class DeskNotice(Base):
    """A temporary notice shown on the desk page (changed hours, moved service…)."""

    __tablename__ = "desk_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)

    desk: Mapped[Desk] = relationship(back_populates="notices")
