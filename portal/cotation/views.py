"""The score's public pages: what it is, the grid in force, and an anonymous simulator that stores nothing."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from portal import clock, db
from portal.cotation import services
from portal.cotation.engine import Criterion, Facts, Line, months_before, score, with_derived_facts
from portal.cotation.forms import NO_GROUP_CHOICE, simulator_form
from portal.cotation.grids import GridFile, GridText
from portal.i18n import ngettext_signed
from portal.territory.services import current_territory

bp = Blueprint("cotation", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


def grids_in_force() -> list[GridFile]:
    return services.grids_in_force(db.session(), clock.today())


def rule(criterion: Criterion) -> str:
    """How a criterion gives points, in plain words."""
    if criterion.kind == "per_month":
        text = ngettext_signed("%(num)d point per month", "%(num)d points per month", criterion.points)
        return text + (" " + _("(up to %(cap)s months)", cap=criterion.cap) if criterion.cap else "")
    if criterion.kind == "flag":
        return ngettext_signed("%(num)d point", "%(num)d points", criterion.points)
    if criterion.kind == "bands":
        parts = []
        for band in criterion.bands:
            if band.maximum is None:
                parts.append(_("%(points)s points from %(min)s", points=band.points, min=f"{band.minimum:g}"))
            else:
                parts.append(
                    _(
                        "%(points)s points from %(min)s to %(max)s",
                        points=band.points,
                        min=f"{band.minimum:g}",
                        max=f"{band.maximum:g}",
                    )
                )
        return ", ".join(parts)
    text = ngettext_signed("%(num)d point each time", "%(num)d points each time", criterion.points)
    return text + (" " + _("(at most %(cap)s times)", cap=criterion.cap) if criterion.cap else "")


def verification_label(criterion: Criterion) -> str:
    return {
        "computed": _("Computed from your demand"),
        "declared": _("Declared by you, may be checked"),
        "checked": _("Counted once proved"),
    }[criterion.verification]


def line_reason(line: Line, criterion: Criterion) -> str:
    """Why a line gives its points, in plain words."""
    if criterion.kind == "per_month":
        return ngettext(
            "%(num)d month since you filed", "%(num)d months since you filed", int(line.quantity or 0)
        )
    if criterion.kind == "bands":
        return _("%(value)s %% of your income", value=f"{line.quantity:g}")
    if criterion.kind == "count":
        return ngettext("%(num)d time", "%(num)d times", int(line.quantity or 0))
    if criterion.fact == "abnormal_delay_exceeded":
        return _(
            "your wait is longer than the abnormal delay (%(months)s months)",
            months=current_territory().abnormal_delay_months,
        )
    return _("you said this applies to you")


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
