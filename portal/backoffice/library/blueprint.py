"""The URL rules of the partners' common space (/partenaires/documents)."""

from __future__ import annotations

from flask import Blueprint, Flask
from werkzeug.exceptions import RequestEntityTooLarge

from portal.backoffice.library import documents, items
from portal.library.services import template_helpers

bp = Blueprint("library", __name__, url_prefix="/partenaires/documents", template_folder="templates")

bp.add_url_rule("/", view_func=documents.index)
bp.add_url_rule("/<int:document_id>/fichier", view_func=documents.download)
bp.add_url_rule("/actualites", view_func=documents.news)
bp.add_url_rule("/organisations/<slug>/nouveau", view_func=documents.new_document, methods=["GET", "POST"])
bp.add_url_rule(
    "/organisations/<slug>/<int:document_id>", view_func=documents.edit_document, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/organisations/<slug>/<int:document_id>/supprimer", view_func=documents.delete_document, methods=["POST"]
)
ITEM = "/organisations/<slug>/<any(actualites, reunions):kind>"
bp.add_url_rule(f"{ITEM}/nouveau", view_func=items.new_item, methods=["GET", "POST"])
bp.add_url_rule(f"{ITEM}/<int:item_id>", view_func=items.edit_item, methods=["GET", "POST"])
bp.add_url_rule(f"{ITEM}/<int:item_id>/supprimer", view_func=items.delete_item, methods=["POST"])
bp.register_error_handler(RequestEntityTooLarge, documents.too_large)
bp.context_processor(template_helpers)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
