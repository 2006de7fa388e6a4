"""The secure look-up (/ma-demande), the applicant's situation page and statement; a 15-minute session
kept on the server (leaving ends it for every copy of the cookie)."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Flask,
    abort,
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
from wtforms import SelectChoice

from portal import clock, db, sessions
from portal.cotation.grids import GridText
from portal.demands import chances, presenting, services
from portal.demands.forms import LookupForm, ProfileForm, ReminderForm
from portal.demands.lookup import find_or_explain, refuse_other_bodies
from portal.demands.models import Demand
from portal.demands.presenting import situation_context
from portal.guides.delivery import preparing_response, private_pdf_response
from portal.guides.documents import document_globals, static_dir, theme_file
from portal.guides.render import render_pdf
from portal.guides.slots import Busy, render_slot
from portal.security import consume, rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import communes

bp = Blueprint("demands", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")
SESSION = dt.timedelta(minutes=15)
STATEMENTS_PER_DEMAND = "6 per hour"  # renders of one demand's statement (a kept one is served again)


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/ma-demande", methods=["GET", "POST"])
@rate_limit("5 per minute;30 per hour", methods=["POST"])
def lookup():
    refuse_other_bodies()
    form = LookupForm()
    status = 200
    if form.validate_on_submit():
        demand = find_or_explain(form, "public")
        if demand is not None:
            dbs = db.session()
            sessions.start(dbs, "lookup", SESSION, SESSION, demand_id=demand.id)  # a fresh session
            dbs.commit()
            return redirect(url_for("demands.situation"))
        status = 429 if form.limited else 400
    elif form.errors:
        status = 400
    return no_store(make_response(render_template("demands/lookup.html", form=form), status))


def current_demand() -> Demand | None:
    record = sessions.current("lookup")
    return db.session().get(Demand, record.demand_id) if record is not None else None


def ended_session():
    ended = sessions.COOKIE_KEY in session
    sessions.end()
    if ended:
        flash(_("Your session has ended after 15 minutes: look your demand up again."))
    return redirect(url_for("demands.lookup"))


@bp.route("/ma-demande/situation")
def situation():
    demand = current_demand()
    if demand is None:
        return ended_session()
    page = render_template(
        "demands/situation.html", reminder_form=ReminderForm(), **situation_context(demand)
    )
    return no_store(make_response(page))


@bp.route("/ma-demande/situation.pdf")
@rate_limit("10 per minute;30 per hour")
def statement():
    """The applicant's statement: printed once for the look-up session (kept with it on the server,
    deleted with it), limited per demand as well as per address, never stored in any cache."""
    record = sessions.current("lookup")
    demand = current_demand()
    if demand is None:
        return ended_session()
    locale = str(get_locale())
    if record.statement_pdf and record.statement_locale == locale:
        return private_pdf_response(record.statement_pdf, "situation.pdf")
    html = render_template(
        "demands/statement.html", **{**situation_context(demand), **document_globals(locale, for_pdf=True)}
    )
    try:
        with render_slot(wait=2):
            # Counted once a slot is held: waiting for one (the page asks again) uses up nothing.
            if not consume(STATEMENTS_PER_DEMAND, "statement", str(demand.id)):
                abort(429)
            pdf = render_pdf(html, static_dir(), theme_file())
    except Busy:
        return preparing_response()
    record.statement_pdf, record.statement_locale = pdf, locale
    db.session().commit()
    return private_pdf_response(pdf, "situation.pdf")


@bp.route("/mes-chances")
@rate_limit("60 per minute")
def chances_page():
    """What demands like a chosen profile became (from the simulator): the same figures as on the
    look-up, for a kind, a dwelling type and a commune; nothing about a person."""
    form = ProfileForm(request.args)
    form.commune.choices = [
        SelectChoice("", _("Choose")),
        *(SelectChoice(c.insee, c.name) for c in communes()),
    ]
    outcome, status = None, 200
    asked = bool(request.args.get("dwelling_type") or request.args.get("commune"))
    if asked:
        if form.validate():
            outcome = chances.similar_outcome(
                db.session(),
                form.kind.data == "transfer",
                form.dwelling_type.data,
                form.commune.data,
                clock.today(),
            )
        else:
            status = 400
    page = render_template("demands/chances.html", form=form, outcome=outcome, asked=asked and status == 200)
    return make_response(page, status)


@bp.route("/ma-demande/deconnexion", methods=["POST"])
def log_out():
    """Leaving deletes the session on the server: a copy of the cookie opens nothing any more."""
    sessions.end()
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
    app.jinja_env.globals.update(presenting.chances_globals())
    app.jinja_env.filters["criterion_label"] = criterion_label
    app.jinja_env.filters["format_share"] = presenting.format_share
    app.jinja_env.filters["format_month"] = presenting.format_month
