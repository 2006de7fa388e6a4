"""The URL rules of the landlords' side of the dwelling-swap exchange (/partenaires/echanges)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.exchange import controllers

bp = Blueprint(
    "exchange_landlords", __name__, url_prefix="/partenaires/echanges", template_folder="templates"
)

ORGANISATION = "/organisations/<slug>"
bp.add_url_rule(ORGANISATION, view_func=controllers.index)
bp.add_url_rule(
    f"{ORGANISATION}/annonces/<int:listing_id>", view_func=controllers.answer_listing, methods=["POST"]
)
SWAP = f"{ORGANISATION}/echanges/<int:swap_id>"
bp.add_url_rule(f"{SWAP}/<int:move_id>", view_func=controllers.decide_move, methods=["POST"])
bp.add_url_rule(f"{SWAP}/realise", view_func=controllers.complete_swap, methods=["POST"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
