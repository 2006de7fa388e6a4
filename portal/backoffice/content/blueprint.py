"""The URL rules of the information pages' review workflow (/partenaires/contenus)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.content import controllers as content

bp = Blueprint("content", __name__, url_prefix="/partenaires/contenus", template_folder="templates")

bp.add_url_rule("/", view_func=content.index)
bp.add_url_rule("/<slug>/<locale>/<variant>", view_func=content.edit, methods=["GET", "POST"])
bp.add_url_rule("/apercu", view_func=content.preview, methods=["POST"])
bp.add_url_rule("/versions/<int:version_id>", view_func=content.draft, methods=["GET", "POST"])
bp.add_url_rule("/<slug>/<locale>/<variant>/historique", view_func=content.page_history)
bp.add_url_rule("/traductions", view_func=content.translations)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(content.content_status, "content_status")
    app.add_template_filter(content.locale_name, "locale_name")
