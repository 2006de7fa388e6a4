"""The URL rules of the priority follow-up (/partenaires/prioritaires)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask
from flask_babel import format_date

from portal.backoffice.priority import (
    controllers,
    flux_controllers,
    labels,
    objectives_controllers,
    selection_controllers,
)
from portal.demands.presenting import format_share as demand_share

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
bp.add_url_rule("/objectifs", view_func=objectives_controllers.index, endpoint="objectives")
bp.add_url_rule("/objectifs/<slug>", view_func=objectives_controllers.holder, endpoint="objective")
bp.add_url_rule(
    "/objectifs/<slug>/fixer",
    view_func=objectives_controllers.set_objective,
    methods=["POST"],
    endpoint="set_objective",
)
bp.add_url_rule("/flux", view_func=flux_controllers.index, endpoint="flux")
bp.add_url_rule("/flux.csv", view_func=flux_controllers.spreadsheet, endpoint="flux_spreadsheet")
bp.add_url_rule(
    "/flux/impression", view_func=flux_controllers.print_report, methods=["POST"], endpoint="flux_print"
)
bp.add_url_rule("/candidats", view_func=selection_controllers.candidates, endpoint="candidates")
PRINTED = "/flux/<int:year>/<any(landlord, holder):scope>/<name>.pdf"
bp.add_url_rule(PRINTED, view_func=flux_controllers.printed, endpoint="flux_printed")


@bp.app_template_global()
def priority_labels():
    """The codes' words, for the templates (criteria, states, reasons)."""
    return labels


@bp.app_template_filter("format_share")
def format_share(value) -> str:
    """A share (0.25) as a percentage in the reader's language ("25 %")."""
    return demand_share(float(value))


@bp.app_template_global()
def month_name(year: int, month: int) -> str:
    return format_date(dt.date(year, month, 1), "LLLL yyyy")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
