"""The URL rules of the priority follow-up (/partenaires/prioritaires)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.priority import controllers, labels

bp = Blueprint("priority", __name__, url_prefix="/partenaires/prioritaires", template_folder="templates")

REFERRAL = "/orientations/<int:referral_id>"
bp.add_url_rule("/", view_func=controllers.index)
bp.add_url_rule("/orientations/nouvelle", view_func=controllers.refer, methods=["GET", "POST"])
bp.add_url_rule(REFERRAL, view_func=controllers.referral)
bp.add_url_rule(f"{REFERRAL}/ordre-du-jour", view_func=controllers.put_on_agenda, methods=["POST"])
bp.add_url_rule(f"{REFERRAL}/decision", view_func=controllers.decide, methods=["POST"])
bp.add_url_rule(f"{REFERRAL}/fin", view_func=controllers.close, methods=["POST"])
bp.add_url_rule("/commissions", view_func=controllers.sessions, methods=["GET", "POST"])
bp.add_url_rule("/commissions/<int:session_id>", view_func=controllers.committee_session)
bp.add_url_rule("/ressources", view_func=controllers.resources)


@bp.app_template_global()
def priority_labels():
    """The codes' words, for the templates (criteria, states, reasons)."""
    return labels


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
