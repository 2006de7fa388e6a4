"""The URL rules of the partners' side of the dwelling-swap exchange (/partenaires/echanges): the
landlords' pages and the moderation."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.exchange import controllers, moderation

bp = Blueprint(
    "exchange_landlords", __name__, url_prefix="/partenaires/echanges", template_folder="templates"
)

ORGANISATION = "/organisations/<slug>"
bp.add_url_rule(ORGANISATION, view_func=controllers.index)
bp.add_url_rule(
    f"{ORGANISATION}/annonces/<int:listing_id>", view_func=controllers.answer_listing, methods=["POST"]
)
bp.add_url_rule(f"{ORGANISATION}/annonces/fichier", view_func=controllers.import_answers, methods=["POST"])
SWAP = f"{ORGANISATION}/echanges/<int:swap_id>"
bp.add_url_rule(f"{SWAP}/<int:move_id>", view_func=controllers.decide_move, methods=["POST"])
bp.add_url_rule(f"{SWAP}/realise", view_func=controllers.complete_swap, methods=["POST"])
bp.add_url_rule("/moderation", view_func=moderation.reports)
bp.add_url_rule("/moderation/<int:report_id>", view_func=moderation.handle, methods=["POST"])
bp.add_url_rule("/photos/<int:photo_id>.jpg", view_func=moderation.photo)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
