"""The score's public pages: what it is, the grid in force, and an anonymous simulator that stores nothing."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import get_locale

from portal import clock, db
from portal.cotation import services
from portal.cotation.engine import score
from portal.cotation.forms import simulated_facts, simulator_form
from portal.cotation.grids import GridFile, GridText
from portal.cotation.presenting import (
    exclusion_reason,
    line_label,
    line_reason,
    rule,
    ties_words,
    verification_label,
)
from portal.information.services import scoring_ceilings

bp = Blueprint("cotation", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


def grids_in_force() -> list[GridFile]:
    return services.grids_in_force(db.session(), clock.today())


@bp.route("/cotation")
def index():
    return render_template("cotation/index.html", grids=grids_in_force())


@bp.route("/cotation/grille")
def grid():
    return render_template(
        "cotation/grid.html",
        grids=grids_in_force(),
        rule=rule,
        verification_label=verification_label,
    )


@bp.route("/cotation/simulateur", methods=["GET", "POST"])
def simulator():
    grids = {item.grid.kind: item for item in grids_in_force()}
    kind = request.args.get("grille", "general")
    if kind not in grids:
        abort(404)
    grid_file = grids[kind]
    form = simulator_form(grid_file, services.current_dictionary(), str(get_locale()))()
    result = None
    if form.validate_on_submit():
        on = clock.today()
        result = score(simulated_facts(form, grid_file, on), grid_file.grid, on, scoring_ceilings(on))
    criteria = {criterion.code: criterion for criterion in grid_file.grid.criteria}
    return render_template(
        "cotation/simulator.html",
        form=form,
        grid_file=grid_file,
        result=result,
        criteria=criteria,
        kind=kind,
        kinds=sorted(grids),
        rule=rule,
    )


def init_app(app: Flask) -> None:
    services.init_app(app)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        grid_text_pick=GridText.pick,
        ties_words=ties_words,
        exclusion_reason=exclusion_reason,
        line_label=line_label,
        line_reason=line_reason,
        criterion_of=criterion_of,
    )


def criterion_of(grid_file: GridFile | None, code: str):
    """The criterion of a score line (None for the floor and ceiling lines, or an unknown code)."""
    if grid_file is None:
        return None
    return next((criterion for criterion in grid_file.grid.criteria if criterion.code == code), None)
