"""Information pages, their versions per locale, and the search index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.db import Base

SOURCE_LOCALE = "fr"  # every page is written in French first; other locales translate it
STANDARD = "standard"
EASY = "easy"  # easy-to-read French (FALC, "facile à lire et à comprendre")
VARIANTS = (STANDARD, EASY)

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = "draft", "in_review", "published", "archived"
STATUSES = (DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED)


class Section(Base):
    """A group of pages, shown in this order on the information index."""

    __tablename__ = "info_section"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    titles: Mapped[dict] = mapped_column(JSON)  # {locale: title}


class Page(Base):
    """An information page; its slug is the same in every locale."""

    __tablename__ = "info_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    section_slug: Mapped[str] = mapped_column(ForeignKey("info_section.slug"))
    position: Mapped[int] = mapped_column(Integer)
    # The texts the page rests on, from its French file: [{"title": …, "url": …}], shown at its end.
    legal_references: Mapped[list] = mapped_column(JSON, default=list)

    versions: Mapped[list[PageVersion]] = relationship(back_populates="page", cascade="all, delete-orphan")


class PageVersion(Base):
    """One version of a page in one locale and variant; only one per locale and variant is published."""

    __tablename__ = "info_page_version"
    __table_args__ = (UniqueConstraint("page_id", "locale", "variant", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("info_page.id"), index=True)
    locale: Mapped[str] = mapped_column(String(10))
    variant: Mapped[str] = mapped_column(String(10), default=STANDARD)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The French standard version this translation (or easy-to-read version) was made from.
    source_version_id: Mapped[int | None] = mapped_column(ForeignKey("info_page_version.id"), nullable=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_on: Mapped[dt.date | None] = mapped_column(nullable=True)
    # Back-office drafts: the organisation and person who wrote it, the published version it started
    # from (for the review diff), a counter that refuses a save made on an older copy (optimistic lock),
    # and the review: who, when, and the comment of a draft sent back.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("info_page_version.id"), nullable=True)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    page: Mapped[Page] = relationship(back_populates="versions")
    source_version: Mapped[PageVersion | None] = relationship(
        remote_side=[id], foreign_keys=[source_version_id]
    )
    base_version: Mapped[PageVersion | None] = relationship(remote_side=[id], foreign_keys=[base_version_id])


class SearchEntry(Base):
    """One searchable document (a published page version, a commune) in one locale, folded for matching."""

    __tablename__ = "search_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "page", "page-easy", "commune"
    key: Mapped[str] = mapped_column(String(80))  # page slug or INSEE code
    locale: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # plain text shown in snippets
    folded: Mapped[str] = mapped_column(Text)  # title and text, lower-case, without accents
