"""Reading the network's common space: where files live, who may change what, the latest news and coming
meetings, a file as a download, and how dates and files are told to readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import format_date, format_time, get_locale
from sqlalchemy import select

from portal import clock, db
from portal.clock import PARIS
from portal.library import files as library_files
from portal.library.models import DocumentTag, NetworkMeeting, NewsItem, SharedDocument
from portal.partners.models import Organisation, User

EDITING_ROLES = ("editor", "admin")  # of the owning organisation, or of the EPCI
LIST_LIMIT = 500  # documents listed at once; the filters narrow it


def documents_folder() -> Path:
    return current_app.config["PORTAL_SETTINGS"].instance_dir / "documents"


def max_bytes() -> int:
    return current_app.config["PORTAL_SETTINGS"].document_max_mb * 1024 * 1024


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def can_edit(user: User | None, organisation_id: int) -> bool:
    """Editors and administrators of the owning organisation, or of the EPCI."""
    return user is not None and (
        user.has_role(*EDITING_ROLES, organisation_id=organisation_id)
        or user.has_role(*EDITING_ROLES, epci=True)
    )


def editable_organisations(user: User) -> list[Organisation]:
    """Where the person may add items: the organisations they edit for."""
    return user.organisations_where(*EDITING_ROLES)


def upcoming_meetings(public_only: bool) -> list[NetworkMeeting]:
    query = select(NetworkMeeting).where(NetworkMeeting.starts_at >= clock.now().astimezone(dt.UTC))
    if public_only:
        query = query.where(NetworkMeeting.visibility == "public")
    return list(db.session().scalars(query.order_by(NetworkMeeting.starts_at)))


def latest_news(public_only: bool, limit: int = 20) -> list[NewsItem]:
    query = select(NewsItem).order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit)
    if public_only:
        query = query.where(NewsItem.visibility == "public")
    return list(db.session().scalars(query))


def file_response(document: SharedDocument, public: bool):
    """The document's file with its stored type, as an attachment; no path comes from the request."""
    path = library_files.path_of(documents_folder(), document.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=document.content_type, conditional=True, etag=document.sha256)
    response.headers["Content-Type"] = document.content_type  # as stored (send_file would add a charset)
    response.headers["Content-Disposition"] = library_files.content_disposition(document.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Visibility can change: a public copy is checked again each time, a partners' one never kept.
    response.headers["Cache-Control"] = "no-cache" if public else "private, no-store"
    return response


def file_label(document: SharedDocument) -> str:
    """What a reader is told before downloading: "PDF, 240 kB"."""
    kind = library_files.KINDS.get(library_files.extension_of(document.file_name))
    label = kind.label if kind else library_files.extension_of(document.file_name).upper()
    return f"{label}, {library_files.size_label(document.size, str(get_locale()))}"


def meeting_time(moment: dt.datetime) -> str:
    """ "jeudi 24 décembre 2026, 14:30": the day in full and the time in Paris."""
    local = as_utc(moment).astimezone(PARIS)
    return f"{format_date(local.date(), 'full')}, {format_time(local.time(), 'short')}"


def template_helpers() -> dict:
    """What the library's pages (the partners' and the public ones) use."""
    return {
        "meeting_time": meeting_time,
        "paris_date": lambda moment: as_utc(moment).astimezone(PARIS).date(),
        "file_label": file_label,
    }


def documents_tagged(tag: str) -> list[SharedDocument]:
    """The shared documents that carry a tag, newest first (a topic's resource page lists them)."""
    query = (
        select(SharedDocument)
        .where(SharedDocument.tags.any(DocumentTag.name == tag))
        .order_by(SharedDocument.updated_at.desc(), SharedDocument.id.desc())
    )
    return list(db.session().scalars(query))
