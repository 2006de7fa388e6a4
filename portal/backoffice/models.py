"""Partner organisations: the authority, communes, landlords, the State, Action Logement, associations."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

ORGANISATION_KINDS = ("epci", "commune", "landlord", "state", "action_logement", "association", "other")


class Organisation(Base):
    """A partner of the plan; it owns desks (and, with the back-office, members and drafts)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
