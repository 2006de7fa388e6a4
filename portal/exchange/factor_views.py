"""A tenant's optional two-step sign-in: turned on from their account (scan the QR code, enter a code;
a spare code is shown once), then asked after the password or the e-mailed link. Wrong codes are
counted on the account with the same progressive delays as passwords; the spare code signs in once and
turns two-step sign-in off (a lost phone)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal import clock, db, sessions
from portal.exchange import accounts
from portal.exchange.models import Tenant
from portal.exchange.views import current_tenant, page
from portal.partners import accounts as partner_accounts
from portal.partners import throttle
from portal.security import rate_limit
from portal.ui.forms import CodeForm
from portal.ui.qr import secret_qr_response

bp = Blueprint(
    "exchange_factor",
    __name__,
    url_prefix="/<locale:lang_code>/echange-de-logement",
    template_folder="templates",
)


def pending_tenant() -> Tenant | None:
    """The tenant whose password (or link) was right and who has still to give a code."""
    record = sessions.current("tenant")
    if record is None or record.second_factor_done:
        return None
    tenant = db.session().get(Tenant, record.tenant_id)
    if tenant is None or tenant.session_version != record.session_version or not tenant.totp_secret:
        return None
    return tenant


def _checked(tenant: Tenant, secret: str, code: str):
    """(right, wait): the code checked unless wrong codes impose a wait; a wrong one is counted."""
    dbs, now = db.session(), clock.now()
    keys = accounts.code_keys(current_app.config["PORTAL_SETTINGS"].secret_key, tenant)
    dbs.commit()  # the counters' writes start a transaction of their own
    counters = throttle.hold(dbs, keys, now)
    wait = throttle.wait_seconds(counters, now)
    if wait:
        return False, wait
    if partner_accounts.check_totp(tenant, secret, code, now):
        throttle.clear(dbs, list(keys.values()))
        return True, 0
    throttle.record_failure(counters, now)
    dbs.commit()
    return False, 0


def _too_many():
    sessions.end()
    flash(_("Too many wrong codes: try again later."))
    return redirect(url_for("exchange.sign_in"))


@bp.route("/connexion/code", methods=["GET", "POST"])
@rate_limit("10 per minute", methods=["POST"])
def code():
    tenant = pending_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    form = CodeForm()
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/code.html", 200 if request.method == "GET" else 400, form=form)
    dbs = db.session()
    if accounts.use_spare_code(tenant, form.code.data):
        sessions.current("tenant").second_factor_done = True
        dbs.commit()
        flash(_("You are signed in with your spare code: two-step sign-in is now off. Turn it on again."))
        return redirect(url_for("exchange_factor.setup"))
    right, wait = _checked(tenant, tenant.totp_secret, form.code.data)
    if wait:
        return _too_many()
    if not right:
        return page("exchange/code.html", 401, form=form, wrong=True)
    sessions.current("tenant").second_factor_done = True
    dbs.commit()
    return redirect(url_for("exchange.index"))


@bp.route("/mon-compte/double-authentification", methods=["GET", "POST"])
@rate_limit("10 per minute", methods=["POST"])
def setup():
    """On: a new secret (kept in the session's row until a code proves it), then the spare code.
    Off: a current code."""
    tenant = current_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    dbs = db.session()
    record = sessions.current("tenant")
    enabled = bool(tenant.totp_secret)
    if not enabled and not record.pending_totp_secret:
        record.pending_totp_secret = partner_accounts.new_totp_secret()
        dbs.commit()
    secret = tenant.totp_secret if enabled else record.pending_totp_secret
    form = CodeForm()
    grouped = "" if enabled else " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return page("exchange/two_step.html", status, form=form, enabled=enabled, secret=grouped)
    right, wait = _checked(tenant, secret, form.code.data)
    if wait:
        return _too_many()
    if not right:
        return page("exchange/two_step.html", 401, form=form, enabled=enabled, secret=grouped, wrong=True)
    spare = None
    if enabled:
        accounts.turn_off_second_factor(tenant)
        flash(_("Two-step sign-in is off."))
    else:
        spare = accounts.turn_on_second_factor(tenant, secret)
        record.pending_totp_secret, record.second_factor_done = "", True
    dbs.commit()
    if spare is None:
        return redirect(url_for("exchange.index"))
    return page("exchange/two_step_done.html", spare=spare)


@bp.route("/mon-compte/double-authentification/qr.svg")
def setup_qr():
    """The QR code of the secret being set up (made here, never stored)."""
    tenant = current_tenant()
    record = sessions.current("tenant")
    if tenant is None or tenant.totp_secret or not record.pending_totp_secret:
        abort(404)
    return secret_qr_response(accounts.totp_uri(tenant, record.pending_totp_secret))


def init_app(app) -> None:
    app.register_blueprint(bp)
