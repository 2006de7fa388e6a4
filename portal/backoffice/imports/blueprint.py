"""The URL rules of the data imports (/partenaires/donnees)."""

from __future__ import annotations

from flask import Blueprint, Flask
from werkzeug.exceptions import RequestEntityTooLarge

from portal.backoffice.imports import controllers as imports

bp = Blueprint("imports", __name__, url_prefix="/partenaires/donnees", template_folder="templates")

bp.add_url_rule("/", view_func=imports.upload, methods=["GET", "POST"])
bp.add_url_rule("/rapport/<int:job_id>", view_func=imports.report)
bp.add_url_rule("/appliquer", view_func=imports.confirm, methods=["POST"])
bp.add_url_rule("/historique", view_func=imports.history)
bp.url_value_preprocessor(imports.raise_upload_limit)
bp.register_error_handler(RequestEntityTooLarge, imports.too_large)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(imports.may_import, "may_import_data")
    app.add_template_filter(imports.kind_label, "import_kind")
    app.add_template_global(imports.shown_reason, "shown_reason")
