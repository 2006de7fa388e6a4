"""The URL rules of the rehousing follow-up (/partenaires/relogement): operations, their households, the
offers made to them, the exports."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.rehousing import controllers, household_controllers, labels

bp = Blueprint("rehousing", __name__, url_prefix="/partenaires/relogement", template_folder="templates")

OPERATION = "/operations/<int:operation_id>"
HOUSEHOLD = f"{OPERATION}/menages/<int:household_id>"
OFFER = f"{HOUSEHOLD}/offres/<int:offer_id>"
GET_POST = ["GET", "POST"]
bp.add_url_rule("/", view_func=controllers.index)
bp.add_url_rule("/operations/nouvelle", view_func=controllers.new_operation, methods=GET_POST)
bp.add_url_rule(OPERATION, view_func=controllers.operation)
bp.add_url_rule(f"{OPERATION}/modifier", view_func=controllers.edit_operation, methods=GET_POST)
bp.add_url_rule(f"{OPERATION}/cloture", view_func=controllers.close_operation, methods=["POST"])
bp.add_url_rule(f"{OPERATION}/engagements", view_func=controllers.commitments, methods=GET_POST)
bp.add_url_rule(f"{OPERATION}/menages.csv", view_func=controllers.export_households)
bp.add_url_rule(f"{OPERATION}/rapport.pdf", view_func=controllers.report)
bp.add_url_rule(
    f"{OPERATION}/menages", view_func=household_controllers.households_list, endpoint="households"
)
bp.add_url_rule(
    f"{OPERATION}/menages/fichier", view_func=household_controllers.import_households, methods=["POST"]
)
bp.add_url_rule(
    f"{OPERATION}/menages/nouveau", view_func=household_controllers.new_household, methods=GET_POST
)
bp.add_url_rule(HOUSEHOLD, view_func=household_controllers.household)
bp.add_url_rule(f"{HOUSEHOLD}/modifier", view_func=household_controllers.edit_household, methods=GET_POST)
bp.add_url_rule(f"{HOUSEHOLD}/proposition", view_func=household_controllers.propose, methods=["POST"])
bp.add_url_rule(f"{HOUSEHOLD}/offres", view_func=household_controllers.add_offer, methods=["POST"])
bp.add_url_rule(f"{HOUSEHOLD}/sortie", view_func=household_controllers.left, methods=["POST"])
bp.add_url_rule(f"{OFFER}/reponse", view_func=household_controllers.decide, methods=["POST"])
bp.add_url_rule(f"{OFFER}/emmenagement", view_func=household_controllers.move, methods=["POST"])


@bp.app_template_global()
def rehousing_labels():
    """The codes' words, for the templates (statuses, reasons, needs, timeline)."""
    return labels


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
