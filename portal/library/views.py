"""The public side of the network's common space (`/<lang>/reseau/`): the documents, news items and
meeting dates partners made public."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from sqlalchemy import select

from portal import db
from portal.library.models import SharedDocument
from portal.library.services import (
    LIST_LIMIT,
    file_response,
    latest_news,
    template_helpers,
    upcoming_meetings,
)

bp = Blueprint(
    "library_public", __name__, url_prefix="/<locale:lang_code>/reseau", template_folder="templates"
)


def public_index():
    """What the partners made public: documents (type and size said), news items, coming meetings."""
    documents = db.session().scalars(
        select(SharedDocument)
        .where(SharedDocument.visibility == "public")
        .order_by(SharedDocument.created_at.desc(), SharedDocument.id.desc())
        .limit(LIST_LIMIT)
    )
    return render_template(
        "library/public.html",
        documents=list(documents),
        news=latest_news(public_only=True),
        meetings=upcoming_meetings(public_only=True),
    )


def public_download(document_id: int):
    document = db.session().get(SharedDocument, document_id)
    if document is None or document.visibility != "public":
        abort(404)
    return file_response(document, public=True)


bp.add_url_rule("/", view_func=public_index)
bp.add_url_rule("/documents/<int:document_id>", view_func=public_download)
bp.context_processor(template_helpers)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
