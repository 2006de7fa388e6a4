"""The score's public pages: what it is, the grid in force, and an anonymous simulator that stores nothing."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import get_locale

from portal import clock, db
from portal.clock import months_before
from portal.cotation import services
from portal.cotation.engine import Facts, score, with_derived_facts
from portal.cotation.forms import NO_GROUP_CHOICE, simulator_form
from portal.cotation.grids import GridFile, GridText
from portal.cotation.presenting import line_reason, rule, verification_label
from portal.territory.services import current_territory

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
        territory_delay=current_territory().abnormal_delay_months,
    )


@bp.route("/cotation/simulateur", methods=["GET", "POST"])
def simulator():
    grids = {item.grid.kind: item for item in grids_in_force()}
    kind = request.args.get("grille", "general")
    if kind not in grids:
        abort(404)
    grid_file = grids[kind]
    form = simulator_form(grid_file, str(get_locale()))()
    result = None
    if form.validate_on_submit():
        on = clock.today()
        values: dict = {}
        for field in form:
            if field.name.startswith("group_"):
                if field.data and field.data != NO_GROUP_CHOICE:
                    values[field.data] = True
            elif field.name == "filed_on":
                values["filed_on"] = months_before(on, field.data)
            elif field.name != "csrf_token":
                values[field.name] = field.data
        facts = with_derived_facts(Facts(values), on, current_territory().abnormal_delay_months)
        result = score(facts, grid_file.grid, on)
    criteria = {criterion.code: criterion for criterion in grid_file.grid.criteria}
    return render_template(
        "cotation/simulator.html",
        form=form,
        grid_file=grid_file,
        result=result,
        criteria=criteria,
        kind=kind,
        kinds=sorted(grids),
        line_reason=line_reason,
        rule=rule,
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["grid_text_pick"] = GridText.pick
