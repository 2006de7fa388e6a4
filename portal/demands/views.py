"""The secure look-up (/ma-demande) and the applicant's situation page; a 15-minute session."""

from __future__ import annotations

import datetime as dt
import time

from flask import (
    Blueprint,
    Flask,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from portal import clock, db
from portal.cotation.engine import months_before
from portal.cotation.grids import GridText
from portal.cotation.services import grid_version
from portal.demands import services
from portal.demands.forms import LookupForm
from portal.demands.models import Demand
from portal.guides.documents import Document, document_globals, pdf_response, theme_file
from portal.security import rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import current_territory

bp = Blueprint("demands", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")
SESSION_SECONDS = 15 * 60


def number_key() -> str:
    """Rate-limit key: the number tried, whoever tries it (guessing birth dates for one number)."""
    return "demand:" + services.normalize_number(request.form.get("number", ""))[:18]


def find_or_explain(form: LookupForm) -> Demand | None:
    """The demand of a valid look-up form, or None with the reason on the form: the same words for an
    unknown number and a wrong date, so nobody learns which numbers exist."""
    demand = services.find_demand(db.session(), form.number.data, form.date())
    if demand is None:
        form.number.errors = [
            *form.number.errors,
            _("No demand matches this number and this date of birth. Check both, or ask a desk."),
        ]
    return demand


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/ma-demande", methods=["GET", "POST"])
@rate_limit("5 per minute;30 per hour", methods=["POST"])
@rate_limit("10 per hour", key=number_key, methods=["POST"])
def lookup():
    form = LookupForm()
    if form.validate_on_submit():
        demand = find_or_explain(form)
        if demand is not None:
            session.clear()  # a fresh session for this demand only
            session["demand_id"] = demand.id
            session["demand_until"] = time.time() + SESSION_SECONDS
            return redirect(url_for("demands.situation"))
    return no_store(make_response(render_template("demands/lookup.html", form=form)))


def current_demand() -> Demand | None:
    until = session.get("demand_until", 0)
    if "demand_id" not in session or until < time.time():
        return None
    return db.session().get(Demand, session["demand_id"])


def situation_context(demand: Demand) -> dict:
    """What the situation page and the statement show."""
    today = clock.today()
    territory = current_territory()
    grid_file = grid_version(db.session(), demand.grid_code, demand.grid_version)
    return {
        "demand": demand,
        "grid_file": grid_file,
        "position": services.queue_position(db.session(), demand),
        "wait": services.waiting_time(db.session(), demand, today),
        "today": today,
        "renewal_soon": demand.status == "active" and demand.expires_on - today <= dt.timedelta(days=31),
        "dalo_from": add_months(demand.filed_on, territory.abnormal_delay_months),
        "decision": services.latest_decision(demand),
        "pick": GridText.pick,
        "priorities": [line for line in demand.score_lines if line["code"] in PRIORITY_CODES],
    }


def ended_session():
    ended = "demand_id" in session
    session.clear()
    if ended:
        flash(_("Your session has ended after 15 minutes: look your demand up again."))
    return redirect(url_for("demands.lookup"))


@bp.route("/ma-demande/situation")
def situation():
    demand = current_demand()
    if demand is None:
        return ended_session()
    return no_store(make_response(render_template("demands/situation.html", **situation_context(demand))))


@bp.route("/ma-demande/situation.pdf")
@rate_limit("20 per minute")
def statement():
    """The applicant's statement: made on demand, never stored, never cached."""
    demand = current_demand()
    if demand is None:
        return ended_session()
    locale = str(get_locale())
    html = render_template(
        "demands/statement.html", **{**situation_context(demand), **document_globals(locale, for_pdf=True)}
    )
    return pdf_response(Document("statement", html, theme_file(), "situation.pdf"), cached=False)


PRIORITY_CODES = (
    "dalo",
    "pdalhpd",
    "violences",
    "handicap",
    "expulsion",
    "sans_logement",
    "hebergement_temporaire",
    "renouvellement_urbain",
)


def add_months(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


@bp.route("/ma-demande/deconnexion", methods=["POST"])
def log_out():
    session.clear()
    flash(_("You have left your demand. Nothing stays open on this device."))
    return redirect(url_for("demands.lookup"))


def histogram_rows(position: services.Position) -> list[list[str]]:
    return [[f"{low} – {low + services.HISTOGRAM_STEP - 1}", str(count)] for low, count in position.histogram]


def criterion_label(code: str, grid_file, locale: str) -> str:
    return GridText.pick(grid_file.text.labels[code], locale)[0] if grid_file else code


def commune_name(insee: str) -> str:
    found = find_commune(insee)
    return found.name if found else insee


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(histogram_rows=histogram_rows, commune_name=commune_name)
    app.jinja_env.filters["criterion_label"] = criterion_label
