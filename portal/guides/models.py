"""Guides being printed: one claim per document, so that it is rendered once however many people (on
however many app servers) ask for it while it is being prepared; and the printed documents, shared by
every server."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class RenderClaim(Base):
    """A document queued or being rendered: its cache name and key, and since when."""

    __tablename__ = "render_claim"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # somebody waits for it (not a pre-render)


class RenderedDocument(Base):
    """The latest printing of a public document, shared by every app server (each keeps a copy on its
    disk too): its cache name, the key of what it shows, the PDF."""

    __tablename__ = "rendered_document"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    rendered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
