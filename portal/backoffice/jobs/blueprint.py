"""The URL rules of the jobs' pages (/partenaires/travaux)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.backoffice.jobs import controllers as jobs

bp = Blueprint("jobs", __name__, url_prefix="/partenaires/travaux", template_folder="templates")

bp.add_url_rule("/", view_func=jobs.recent)
bp.add_url_rule("/<int:job_id>", view_func=jobs.job)
bp.add_url_rule("/<int:job_id>.json", view_func=jobs.job_state)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
