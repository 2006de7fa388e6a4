"""Changes to the network's common space, each audited in the caller's transaction: documents shared,
changed and deleted (the file is written before its row and deleted after it: never a row without its
file), news items and meeting dates added, changed and deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import clock
from portal.clock import PARIS
from portal.library import files as library_files
from portal.library.models import DocumentTag, NetworkMeeting, NewsItem, SharedDocument
from portal.library.services import as_utc, documents_folder
from portal.markdown import render_markdown
from portal.partners import audit
from portal.partners.models import Organisation, User

audit.register(
    {
        "document.uploaded": _l("Document shared"),
        "document.updated": _l("Document changed"),
        "document.deleted": _l("Document deleted"),
        "news.published": _l("News item published"),
        "news.updated": _l("News item changed"),
        "news.deleted": _l("News item deleted"),
        "meeting.added": _l("Network meeting added"),
        "meeting.updated": _l("Network meeting changed"),
        "meeting.deleted": _l("Network meeting deleted"),
    }
)


@dataclass(frozen=True)
class DocumentFields:
    """What a partner says of a document (the file aside)."""

    title: str
    description: str
    visibility: str
    tags: list[str]


def document_snapshot(document: SharedDocument) -> dict:
    return {
        "title": document.title,
        "description": document.description,
        "tags": document.tag_names,
        "visibility": document.visibility,
        "file_name": document.file_name,
        "size": document.size,
        "sha256": document.sha256,
    }


def share_document(
    session: Session,
    organisation: Organisation,
    user: User,
    fields: DocumentFields,
    name: str,
    data: bytes,
    kind,
) -> SharedDocument:
    """Store the file, then its row and the audit entry; committed (a failure removes the file again)."""
    folder = documents_folder()
    stored_name, digest = library_files.store(folder, data)
    try:
        document = SharedDocument(
            organisation_id=organisation.id,
            uploaded_by_id=user.id,
            title=fields.title,
            description=fields.description,
            visibility=fields.visibility,
            file_name=name,
            stored_name=stored_name,
            content_type=library_files.content_type_of(kind, data),
            size=len(data),
            sha256=digest,
            tags=[DocumentTag(name=tag) for tag in fields.tags],
        )
        session.add(document)
        session.flush()
        audit.record(
            session,
            user,
            organisation.id,
            "document.uploaded",
            document.title,
            after=document_snapshot(document),
        )
        session.commit()
    except Exception:
        session.rollback()
        library_files.remove(folder, stored_name)  # no file without its row
        raise
    return document


def update_document(session: Session, document: SharedDocument, user: User, fields: DocumentFields) -> None:
    """Title, description, tags and visibility (the file stays); only what changed is audited."""
    before = document_snapshot(document)
    document.title, document.description, document.visibility = (
        fields.title,
        fields.description,
        fields.visibility,
    )
    document.tags = [tag for tag in document.tags if tag.name in fields.tags] + [
        DocumentTag(name=name) for name in fields.tags if name not in document.tag_names
    ]
    document.updated_at = clock.now().astimezone(dt.UTC)
    session.flush()
    session.refresh(document, ["tags"])
    audit.record_change(
        session,
        user,
        document.organisation_id,
        "document.updated",
        document.title,
        before,
        document_snapshot(document),
    )
    session.commit()


def delete_document(session: Session, document: SharedDocument, user: User) -> None:
    stored_name = document.stored_name
    audit.record(
        session,
        user,
        document.organisation_id,
        "document.deleted",
        document.title,
        before=document_snapshot(document),
    )
    session.delete(document)
    session.commit()
    library_files.remove(documents_folder(), stored_name)  # after the row: never a row without its file


# News items and meetings -------------------------------------------------------------------------------

ITEM_MODELS = {"news": NewsItem, "meeting": NetworkMeeting}
CREATED = {"news": "news.published", "meeting": "meeting.added"}


def item_snapshot(item) -> dict:
    if isinstance(item, NewsItem):
        return {"title": item.title, "body": item.body, "visibility": item.visibility}
    return {
        "title": item.title,
        "starts_at": as_utc(item.starts_at).astimezone(PARIS).isoformat(timespec="minutes"),
        "place": item.place,
        "description": item.description,
        "visibility": item.visibility,
    }


def _fill(item, values: dict) -> None:
    item.title = values["title"]
    item.visibility = values["visibility"]
    if isinstance(item, NewsItem):
        item.body = values["body"]
        # Rendered and sanitised once, here: the public page shows it on every view.
        item.body_html = str(render_markdown(item.body))
    else:
        item.starts_at = dt.datetime.combine(values["day"], values["time"], PARIS).astimezone(dt.UTC)
        item.place = values.get("place", "")
        item.description = values.get("description", "")
    item.updated_at = clock.now().astimezone(dt.UTC)


def add_item(session: Session, kind: str, organisation: Organisation, user: User, values: dict):
    """A news item ("news") or a meeting ("meeting"): title, visibility, and its own fields."""
    item = ITEM_MODELS[kind](organisation_id=organisation.id, author_id=user.id)
    _fill(item, values)
    session.add(item)
    session.flush()
    audit.record(session, user, organisation.id, CREATED[kind], item.title, after=item_snapshot(item))
    session.commit()
    return item


def update_item(session: Session, kind: str, item, user: User, values: dict) -> None:
    before = item_snapshot(item)
    _fill(item, values)
    audit.record_change(
        session, user, item.organisation_id, f"{kind}.updated", item.title, before, item_snapshot(item)
    )
    session.commit()


def delete_item(session: Session, kind: str, item, user: User) -> None:
    audit.record(
        session, user, item.organisation_id, f"{kind}.deleted", item.title, before=item_snapshot(item)
    )
    session.delete(item)
    session.commit()
