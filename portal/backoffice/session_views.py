"""Signing in and out of the partners' workspace: password, second factor (TOTP), invitations, password
resets. Every view has a permission rule (portal.backoffice.permissions)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import time
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from portal import clock, db
from portal.backoffice import accounts, tokens
from portal.backoffice.blueprint import bp
from portal.backoffice.forms import (
    CodeForm,
    ForgotForm,
    LoginForm,
    NewPasswordForm,
)
from portal.backoffice.mail import MailError, send_mail
from portal.backoffice.models import User
from portal.backoffice.permissions import (
    current_user,
    password_step,
    public,
    signed_in,
    signed_in_user,
)
from portal.security import rate_limit


def safe_next(target: str | None) -> str:
    """Only a path of the workspace itself (never another host) after signing in."""
    if target and target.startswith("/partenaires/") and not urlsplit(target).netloc and "//" not in target:
        return target
    return url_for("backoffice.dashboard")


def _begin_session(user: User) -> None:
    """A new session at sign-in: whatever the old one held (and its CSRF token) is dropped."""
    locale = session.get("partner_locale")
    session.clear()
    session["partner_id"] = user.id
    session["partner_version"] = user.session_version
    session["partner_second_factor"] = False
    session["partner_since"] = session["partner_seen"] = time.time()
    if locale:
        session["partner_locale"] = locale
    session.permanent = False


@bp.route("/connexion", methods=["GET", "POST"])
@rate_limit("10 per minute", methods=["POST"])
@public
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        dbs = db.session()
        user = accounts.authenticate(dbs, form.email.data, form.password.data, clock.now())
        dbs.commit()  # failures and locks are kept
        if user is not None:
            _begin_session(user)
            if not user.needs_second_factor:
                return _complete(user)
            session["partner_next"] = safe_next(request.args.get("next"))
            return redirect(url_for("backoffice.second_factor"))
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("backoffice/login.html", form=form, failed=failed), status


def _complete(user: User):
    session["partner_second_factor"] = True
    dbs = db.session()
    user.last_login_at = clock.now().astimezone(dt.UTC)
    accounts.audit(dbs, user, None, "account.signed_in", user.email)
    dbs.commit()
    target = session.pop("partner_next", None) or safe_next(request.args.get("next"))
    return redirect(target)


@bp.route("/connexion/code", methods=["GET", "POST"])
@rate_limit("10 per minute", methods=["POST"])
@password_step
def second_factor():
    user = signed_in_user()
    if not user.needs_second_factor or session.get("partner_second_factor"):
        return redirect(url_for("backoffice.dashboard"))
    setting_up = not user.totp_secret
    if setting_up and "partner_pending_secret" not in session:
        session["partner_pending_secret"] = accounts.new_totp_secret()
    secret = session.get("partner_pending_secret") if setting_up else user.totp_secret
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        dbs = db.session()
        if accounts.check_totp(user, secret, form.code.data, clock.now()):
            if setting_up:
                user.totp_secret = secret
                session.pop("partner_pending_secret", None)
                accounts.audit(dbs, user, None, "account.second_factor_enabled", user.email)
            return _complete(user)
        if accounts.record_failure(dbs, user, clock.now()):
            # Too many wrong codes: the account locks as after wrong passwords, and the session ends.
            dbs.commit()
            session.clear()
            flash(
                _(
                    "Too many wrong codes: the account is locked for %(minutes)s minutes.",
                    minutes=accounts.LOCK_MINUTES,
                )
            )
            return redirect(url_for("backoffice.login"))
        dbs.commit()
        wrong = True
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) if setting_up else ""
    status = 401 if wrong else (400 if form.errors else 200)
    return render_template(
        "backoffice/second_factor.html", form=form, setting_up=setting_up, secret=grouped, wrong=wrong
    ), status


@bp.route("/connexion/code/qr.svg")
@password_step
def second_factor_qr():
    """The QR code of the pending secret, for the authenticator app (made here, never stored)."""
    user = signed_in_user()
    secret = session.get("partner_pending_secret")
    if user.totp_secret or not secret:
        return Response(status=404)
    image = qrcode.make(
        accounts.totp_uri(user, secret), image_factory=qrcode.image.svg.SvgPathImage, border=2
    )
    out = io.BytesIO()
    image.save(out)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.cache_control.no_store = True
    return response


@bp.route("/deconnexion", methods=["POST"])
@password_step
def log_out():
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("backoffice.login"))


@bp.route("/deconnexion-partout", methods=["POST"])
@signed_in
def log_out_everywhere():
    user = current_user()
    dbs = db.session()
    user.session_version += 1
    accounts.audit(dbs, user, None, "account.signed_out_everywhere", user.email)
    dbs.commit()
    session.clear()
    flash(_("You are signed out on every device."))
    return redirect(url_for("backoffice.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
@public
def accept_invitation(token: str):
    return _set_password(token, "invitation")


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@rate_limit("20 per minute", methods=["POST"])
@public
def reset_password(token: str):
    return _set_password(token, "reset")


def _set_password(token: str, purpose: str):
    dbs = db.session()
    user = tokens.read_token(dbs, current_app.config["PORTAL_SETTINGS"].secret_key, purpose, token)
    if user is None:
        return render_template("backoffice/link_expired.html"), 410
    form = NewPasswordForm(user=user)
    if form.validate_on_submit():
        user.password_hash = accounts.hash_password(form.password.data)
        user.session_version += 1  # every open session of the account ends
        user.failed_logins = 0
        user.locked_until = None
        accounts.audit(dbs, user, None, f"account.password_set_by_{purpose}", user.email)
        dbs.commit()
        session.clear()
        flash(_("Your password is saved: sign in with it."))
        return redirect(url_for("backoffice.login"))
    status = 400 if form.errors else 200
    return render_template("backoffice/set_password.html", form=form, user=user, purpose=purpose), status


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@rate_limit("5 per minute", methods=["POST"])
@public
def forgot_password():
    """The same answer whether the address has an account or not; a link is sent only if it has one."""
    form = ForgotForm()
    if form.validate_on_submit():
        settings = current_app.config["PORTAL_SETTINGS"]
        user = accounts.find_user(db.session(), form.email.data)
        if user is not None and user.active and user.password_hash:
            link = url_for(
                "backoffice.reset_password",
                token=tokens.make_token(settings.secret_key, "reset", user),
                _external=True,
            )
            body = render_template("backoffice/mail_reset.txt", user=user, link=link)
            # The answer must not tell whether the address has an account, even when mail fails.
            with contextlib.suppress(MailError):
                send_mail(settings, user.email, _("Choose a new password"), body, "password reset")
        flash(
            _(
                "If this address has an account, a link to choose a new password has been sent to it. "
                "It works for one hour."
            )
        )
        return redirect(url_for("backoffice.login"))
    return render_template("backoffice/forgot.html", form=form), 400 if form.errors else 200
