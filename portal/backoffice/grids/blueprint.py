"""The URL rules of the scoring grid editor (/partenaires/grilles)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.grids import controllers as grids
from portal.backoffice.grids import rules

bp = Blueprint("backoffice_grids", __name__, url_prefix="/partenaires/grilles", template_folder="templates")

VERSION = "/<code>/v<int:version>"
bp.add_url_rule("/", view_func=grids.index)
bp.add_url_rule("/<code>/nouvelle-version", view_func=grids.new_draft, methods=["POST"])
bp.add_url_rule(VERSION, view_func=grids.version)
bp.add_url_rule(f"{VERSION}/criteres/<criterion>", view_func=grids.edit_criterion, methods=["GET", "POST"])
bp.add_url_rule(f"{VERSION}/criteres/nouveau", view_func=grids.add_criterion, methods=["GET", "POST"])
bp.add_url_rule(
    f"{VERSION}/criteres/<criterion>/supprimer", view_func=grids.remove_criterion, methods=["POST"]
)
bp.add_url_rule(f"{VERSION}/regles", view_func=rules.edit_rules, methods=["GET", "POST"])
bp.add_url_rule(f"{VERSION}/impact", view_func=grids.impact, methods=["GET", "POST"])
bp.add_url_rule(f"{VERSION}/activer", view_func=grids.activate, methods=["POST"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(grids.reviews_grids, "reviews_grids")
