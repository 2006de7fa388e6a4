"""Reminders of the renewal deadline without an account: the calendar file (made for the look-up's
session, stored nowhere) and the e-mail reminder (asked from the look-up, confirmed and stopped by the
secret link of its e-mails, which needs no session)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _

from portal import clock, db
from portal.demands import ics, reminders
from portal.demands.forms import ReminderForm
from portal.demands.models import Demand
from portal.demands.presenting import situation_context
from portal.demands.views import current_demand
from portal.mail import queue_mail
from portal.security import consume, csrf, rate_limit
from portal.urls import public_url, public_url_for

bp = Blueprint("reminders", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")
REQUESTS_PER_DEMAND = "3 per day"  # e-mail requests for one demand, whoever asks


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def calendar_texts(demand: Demand) -> dict[str, str]:
    deadline = demand.expires_on
    return {
        "reminder": _("Renew my social housing demand (one month left)"),
        "reminder_description": _(
            "My social housing demand %(number)s ends on %(date)s. Renew it before then, at a registration "
            "desk or on demande-logement-social.gouv.fr, to keep its seniority.",
            number=demand.number,
            date=format_date(deadline, "long"),
        ),
        "deadline": _("Last day of my social housing demand: renew it"),
        "deadline_description": _(
            "My social housing demand %(number)s ends today. If it is not renewed, it will be struck off.",
            number=demand.number,
        ),
    }


@bp.route("/ma-demande/renouvellement.ics")
@rate_limit("20 per hour")
def calendar():
    demand = current_demand()
    if demand is None:
        abort(404)
    host = urlsplit(public_url()).netloc
    body = ics.calendar_file(
        ics.renewal_events(demand.expires_on, calendar_texts(demand)),
        reminders.number_key(demand.number),
        host,
        public_url_for("information.page", slug="etapes-de-la-demande"),
        clock.now(),
    )
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="renouvellement-demande.ics"'
    return no_store(response)


@bp.route("/ma-demande/rappel", methods=["POST"])
@rate_limit("5 per hour")
def ask():
    """The same answer whatever the address: whether it already had a reminder is never told."""
    demand = current_demand()
    if demand is None:
        return redirect(url_for("demands.lookup"))
    form = ReminderForm()
    if not form.validate_on_submit() or demand.status != "active" or demand.expires_on < clock.today():
        context = situation_context(demand)
        page = render_template("demands/situation.html", reminder_form=form, **context)
        return no_store(make_response(page, 400))
    if not consume(REQUESTS_PER_DEMAND, "reminder", str(demand.id)):
        abort(429)
    dbs = db.session()
    locale = str(get_locale())
    token = reminders.ask(dbs, form.email.data, demand.number, demand.expires_on, locale, clock.now())
    with force_locale(locale):
        subject = _("Confirm your renewal reminder")
        body = render_template(
            "demands/mail_reminder_confirm.txt",
            deadline=demand.expires_on,
            link=public_url_for("reminders.confirm", token=token),
            hours=int(reminders.CONFIRM_WITHIN.total_seconds() // 3600),
        )
    queue_mail(dbs, reminders.normalize_email(form.email.data), subject, body, "reminder confirmation")
    dbs.commit()
    flash(
        _(
            "If the address is right, an e-mail is on its way. Open the link it holds within 48 hours to "
            "switch the reminder on: nothing is sent before."
        )
    )
    return redirect(url_for("demands.situation"))


def _gone():
    page = render_template("demands/reminder.html", state="gone")
    return no_store(make_response(page, 404))


@bp.route("/rappel/<token>", methods=["GET", "POST"])
@rate_limit("30 per hour")
def confirm(token: str):
    """A page with a button rather than a change on the link itself: mail scanners that open links
    switch nothing on."""
    dbs = db.session()
    if request.method == "POST":
        reminder = reminders.confirm(dbs, token, clock.now())
        dbs.commit()
        state = "confirmed"
    else:
        reminder = reminders.find(dbs, token, clock.now())
        state = "confirmed" if reminder is not None and reminder.confirmed_at else "to_confirm"
    if reminder is None:
        return _gone()
    return no_store(make_response(render_template("demands/reminder.html", state=state, reminder=reminder)))


@bp.route("/rappel/<token>/arret", methods=["GET", "POST"])
@rate_limit("30 per hour")
def stop(token: str):
    dbs = db.session()
    if request.method == "POST":
        reminders.stop(dbs, token)  # stopped, or already gone: the same page
        dbs.commit()
        return no_store(make_response(render_template("demands/reminder.html", state="stopped")))
    reminder = reminders.find(dbs, token, clock.now())
    if reminder is None:
        return _gone()
    return no_store(
        make_response(render_template("demands/reminder.html", state="to_stop", reminder=reminder))
    )


@bp.route("/rappel/<token>/arret-immediat", methods=["POST"])
@csrf.exempt
@rate_limit("30 per hour")
def stop_one_click(token: str):
    """RFC 8058's one-click unsubscription, posted by the mail program (List-Unsubscribe-Post): the
    link's secret is the proof, there is no session to forge a request from."""
    if request.form.get("List-Unsubscribe") != "One-Click":
        abort(400)
    dbs = db.session()
    reminders.stop(dbs, token)
    dbs.commit()
    return no_store(make_response("", 204, {"Content-Type": "text/plain"}))


def init_app(app) -> None:
    app.register_blueprint(bp)
