"""The public figures: a section of each commune page, the territory page (/<lang>/chiffres) and the
comparison page (/<lang>/chiffres/comparer), all read from the latest snapshot with statistical secrecy
applied (services.public_figures). The open data API is in api.py."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, render_template, request

from portal import clock, db
from portal.observatory import api, presenting
from portal.observatory.definitions import SECRECY_NOTE
from portal.observatory.forms import CompareForm
from portal.observatory.presenting import Row
from portal.observatory.services import PublicFigures, public_figures
from portal.security import rate_limit
from portal.territory.models import Commune
from portal.territory.services import communes

bp = Blueprint("observatory", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


@dataclass(frozen=True)
class FiguresView:
    """One place's public figures as its section shows them: a row per type and the snapshot's dates."""

    figures: PublicFigures
    rows: list[Row]

    @property
    def snapshot(self):
        return self.figures.snapshot

    @property
    def hides_something(self) -> bool:
        return self.figures.hides_something


def figures_view(insee: str | None = None) -> FiguresView | None:
    """The figures of a commune (None when none are published for it), or of the territory."""
    figures = public_figures(db.session(), clock.today(), insee)
    if figures is None:
        return None
    return FiguresView(figures, presenting.type_rows(figures, territory=insee is None))


def commune_figures(commune: Commune) -> FiguresView | None:
    """For the commune page's figures section (observatory/_commune_figures.html)."""
    return figures_view(commune.insee)


@bp.route("/chiffres")
@rate_limit("120 per minute")
def territory():
    view = figures_view()
    rows = []
    for commune in communes():
        figures = public_figures(db.session(), clock.today(), commune.insee)
        if figures is not None:
            cells = [presenting.cell(figures.overall, name) for name in presenting.COMMUNE_LIST_COLUMNS]
            rows.append((commune, cells))
    return render_template(
        "observatory/territory.html",
        view=view,
        commune_rows=rows,
        commune_columns=presenting.columns(presenting.COMMUNE_LIST_COLUMNS),
    )


@bp.route("/chiffres/comparer")
@rate_limit("120 per minute")
def compare():
    every_commune = communes()
    form = CompareForm(request.args)
    form.set_communes(every_commune)
    asked = bool(request.args)
    compared, snapshot = [], None
    if asked and form.validate():
        by_insee = {commune.insee: commune for commune in every_commune}
        for insee in form.chosen():
            figures = public_figures(db.session(), clock.today(), insee)
            if figures is None:
                continue
            snapshot = figures.snapshot
            group = figures.by_type.get(form.type.data) if form.type.data else figures.overall
            if group is not None:
                compared.append((by_insee[insee], group))
    html = render_template(
        "observatory/compare.html",
        form=form,
        compared=compared,
        snapshot=snapshot,
        dwelling_type=form.type.data or "",
        columns=presenting.columns(),
    )
    return html, 400 if form.errors else 200


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    api.init_app(app)
    app.jinja_env.globals.update(
        commune_figures=commune_figures,
        observatory_columns=presenting.columns,
        observatory_cell=presenting.cell,
        observatory_readings=presenting.readings,
        secrecy_note=SECRECY_NOTE,
    )
