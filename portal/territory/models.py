"""Communes of the territory, as stored in the database."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.text import slugify


class Commune(Base):
    """A member commune of the EPCI, identified by its INSEE code."""

    __tablename__ = "commune"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    # Postcodes separated by spaces: a commune may have several, a postcode may cover several communes.
    postcodes: Mapped[str] = mapped_column(String(120), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    ceiling_zone: Mapped[str] = mapped_column(String(10))
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()

    def __repr__(self) -> str:
        return f"<Commune {self.insee} {self.name}>"
