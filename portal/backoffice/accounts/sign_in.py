"""Signing in and out of the partners' workspace: password, second factor (TOTP), invitations, password
resets. Every view has a permission rule (portal.backoffice.permissions)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal import clock, db, sessions
from portal.backoffice.accounts import notifications
from portal.backoffice.accounts.forms import (
    ForgotForm,
    LoginForm,
    NewPasswordForm,
)
from portal.backoffice.permissions import (
    IDLE_SECONDS,
    MAX_SECONDS,
    current_user,
    password_step,
    public,
    signed_in,
    signed_in_user,
)
from portal.jobs import submit
from portal.partners import accounts, audit, throttle, tokens
from portal.partners.models import User
from portal.security import consume, rate_limit
from portal.ui.forms import CodeForm
from portal.ui.qr import secret_qr_response


def safe_next(target: str | None) -> str:
    """Only a path of the workspace itself (never another host) after signing in."""
    if (
        target
        and len(target) <= 300  # what the session keeps of it
        and target.startswith("/partenaires/")
        and not urlsplit(target).netloc
        and "//" not in target
    ):
        return target
    return url_for("backoffice.dashboard")


IDLE = dt.timedelta(seconds=IDLE_SECONDS)
LASTING = dt.timedelta(seconds=MAX_SECONDS)
DEVICE_COOKIE = "partner_device"
RESETS_PER_ADDRESS = "3 per hour"
DEVICE_DAYS = 180


def _secret() -> str:
    return current_app.config["PORTAL_SETTINGS"].secret_key


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(), salt="partner-device")


def _devices() -> list[str]:
    """The addresses' keys this browser signed in with during the last DEVICE_DAYS (signed and dated)."""
    try:
        value = _device_signer().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_DAYS * 86400)
    except BadSignature:  # a forged, altered or expired cookie counts for nothing
        return []
    return value if isinstance(value, list) else []


def _known_device(email: str) -> bool:
    """True when this browser signed in before with this address (its device cookie says so)."""
    return throttle.device_key(_secret(), email) in _devices()


def _remember_device(response: Response, email: str) -> Response:
    """The device cookie after a full sign-in: the address's key (a keyed hash), for a few addresses."""
    known = _devices()
    key = throttle.device_key(_secret(), email)
    kept = [key, *[item for item in known if item != key][:4]]
    production = current_app.config["PORTAL_SETTINGS"].env == "production"
    response.set_cookie(
        DEVICE_COOKIE,
        _device_signer().dumps(kept),
        max_age=DEVICE_DAYS * 86400,
        path="/partenaires/",
        secure=production,
        httponly=True,
        samesite="Lax",
    )
    return response


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    minutes = (seconds + 59) // 60
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


@rate_limit("10 per minute", methods=["POST"])
@public
def login():
    form = LoginForm()
    failed, wait = False, 0
    if form.validate_on_submit():
        dbs = db.session()
        email = form.email.data
        keys = throttle.keys_for(_secret(), email, request.remote_addr or "", _known_device(email))
        attempt = accounts.authenticate(dbs, email, form.password.data, keys, clock.now())
        dbs.commit()  # failures are kept
        user, wait = attempt.user, attempt.wait_seconds
        if user is not None:
            sessions.start(
                dbs,
                "partner",
                IDLE,
                LASTING,
                user_id=user.id,
                session_version=user.session_version,
                second_factor_done=False,  # set only once a code is checked
                next_path=safe_next(request.args.get("next")),
            )
            dbs.commit()
            if not user.needs_second_factor:
                return _complete(user, code_checked=False)
            return redirect(url_for("backoffice.second_factor"))
        failed = not wait
    status = 429 if wait else 401 if failed else (400 if form.errors else 200)
    return render_template(
        "backoffice/login.html", form=form, failed=failed, wait=wait_text(wait) if wait else ""
    ), status


def _complete(user: User, code_checked: bool):
    """Fully signed in. A person whose roles did not ask for a code is not marked as having given one:
    if they are made an administrator or a reviewer meanwhile, the next page asks for it."""
    dbs = db.session()
    record = sessions.current("partner")
    record.second_factor_done = code_checked
    record.pending_totp_secret = ""
    user.last_login_at = clock.now().astimezone(dt.UTC)
    audit.record(dbs, user, None, "account.signed_in", user.email)
    target = record.next_path or url_for("backoffice.dashboard")
    dbs.commit()
    return _remember_device(redirect(target), user.email)


@rate_limit("10 per minute", methods=["POST"])
@password_step
def second_factor():
    """The second step. Its state (and the secret being set up) is on the server, in the session's row,
    which is valid only for the account's current session version; wrong codes are counted on the
    account whatever the session, and while they impose a wait no code is even checked."""
    user = signed_in_user()
    record = sessions.current("partner")
    if not user.needs_second_factor or record.second_factor_done:
        return redirect(url_for("backoffice.dashboard"))
    dbs = db.session()
    setting_up = not user.totp_secret
    if setting_up and not record.pending_totp_secret:
        record.pending_totp_secret = accounts.new_totp_secret()
        dbs.commit()
    secret = record.pending_totp_secret if setting_up else user.totp_secret
    form = CodeForm()
    wrong = False
    if request.method == "POST":
        accounts.hold_user(dbs, user)  # two attempts at once are checked one after the other
    wait = accounts.code_wait_seconds(user, clock.now())
    if wait:
        if request.method == "POST":
            sessions.end()
            flash(_("Too many wrong codes: try again in %(wait)s.", wait=wait_text(wait)))
            return redirect(url_for("backoffice.login"))
    elif form.validate_on_submit():
        if accounts.check_totp(user, secret, form.code.data, clock.now()):
            accounts.record_code_success(user)
            if setting_up:
                user.totp_secret = secret
                audit.record(dbs, user, None, "account.second_factor_enabled", user.email)
            return _complete(user, code_checked=True)
        wait = accounts.record_code_failure(dbs, user, clock.now())
        dbs.commit()
        if wait:
            sessions.end()
            flash(_("Too many wrong codes: try again in %(wait)s.", wait=wait_text(wait)))
            return redirect(url_for("backoffice.login"))
        wrong = True
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) if setting_up else ""
    status = 429 if wait else 401 if wrong else (400 if form.errors else 200)
    return render_template(
        "backoffice/second_factor.html",
        form=form,
        setting_up=setting_up,
        secret=grouped,
        wrong=wrong,
        wait=wait_text(wait) if wait else "",
    ), status


@password_step
def second_factor_qr():
    """The QR code of the pending secret, for the authenticator app (made here, never stored)."""
    user = signed_in_user()
    record = sessions.current("partner")
    secret = record.pending_totp_secret
    if user.totp_secret or not secret or record.second_factor_done:
        return Response(status=404)
    return secret_qr_response(accounts.totp_uri(user, secret))


@password_step
def log_out():
    """This session ends on the server: any copy of the cookie is worth nothing from now on."""
    sessions.end()
    flash(_("You are signed out."))
    return redirect(url_for("backoffice.login"))


@signed_in
def log_out_everywhere():
    user = current_user()
    dbs = db.session()
    user.session_version += 1
    sessions.end_all_for_user(dbs, user.id)
    audit.record(dbs, user, None, "account.signed_out_everywhere", user.email)
    dbs.commit()
    sessions.end()
    flash(_("You are signed out on every device."))
    return redirect(url_for("backoffice.login"))


@rate_limit("20 per minute", methods=["POST"])
@public
def accept_invitation():
    return _set_password("invitation")


@rate_limit("20 per minute", methods=["POST"])
@public
def reset_password():
    return _set_password("reset")


def _set_password(purpose: str):
    """The page of an e-mailed link: its code comes in the form (from the link's fragment, or typed)."""
    dbs = db.session()
    link = None
    if request.method == "POST":
        link = tokens.read_code(dbs, purpose, request.form.get("code", ""), clock.now())
    user = dbs.get(User, link.user_id) if link is not None else None
    form = NewPasswordForm(user=user)
    if form.validate_on_submit():
        if user is None:
            form.code.errors = [
                _("This code does not work (expired, already used or mistyped): ask for a new link.")
            ]
        else:
            if not tokens.use(dbs, link, clock.now()):  # used meanwhile by another request
                return _set_password(purpose)
            user.password_hash = accounts.hash_password(form.password.data)
            user.session_version += 1  # every open session of the account ends
            sessions.end_all_for_user(dbs, user.id)
            throttle.clear_address(dbs, _secret(), user.email)  # a reset by e-mail unlocks
            audit.record(dbs, user, None, f"account.password_set_by_{purpose}", user.email)
            dbs.commit()
            sessions.end()
            flash(_("Your password is saved: sign in with it."))
            return redirect(url_for("backoffice.login"))
    status = 400 if form.errors else 200
    return render_template("backoffice/set_password.html", form=form, purpose=purpose), status


@rate_limit("5 per minute", methods=["POST"])
@public
def forgot_password():
    """The same answer, after the same work, whether the address has an account or not: the request only
    queues a job, which sends a link if the address has an account."""
    form = ForgotForm()
    if form.validate_on_submit():
        # At most RESETS_PER_ADDRESS links an hour: nobody can keep a person's links dead by asking again.
        address = throttle.digest(_secret(), "email", form.email.data.strip().lower())
        if consume(RESETS_PER_ADDRESS, "reset", address):
            submit(notifications.send_password_reset, form.email.data, str(get_locale()))
        flash(
            _(
                "If this address has an account, a link to choose a new password has been sent to it. "
                "It works for one hour."
            )
        )
        return redirect(url_for("backoffice.login"))
    return render_template("backoffice/forgot.html", form=form), 400 if form.errors else 200
