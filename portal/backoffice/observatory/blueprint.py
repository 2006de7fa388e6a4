"""The URL rules of the partners' observatory (/partenaires/observatoire)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.observatory import controllers as observatory
from portal.backoffice.observatory import exchange

bp = Blueprint("observatory_partners", __name__, url_prefix="/partenaires", template_folder="templates")

bp.add_url_rule("/observatoire", view_func=observatory.dashboard)
bp.add_url_rule("/observatoire.<any(csv, json):extension>", view_func=observatory.download)
bp.add_url_rule("/observatoire/echanges", view_func=exchange.exchange_figures)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
