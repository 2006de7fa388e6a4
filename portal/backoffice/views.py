"""The partners' workspace at /partenaires/: sign-in with a second factor, the dashboard, the members of an
organisation. Every view has a permission rule (portal.backoffice.permissions)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import time
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import clock, db
from portal.backoffice import accounts, content_views, tokens
from portal.backoffice import desks as backoffice_desks
from portal.backoffice.forms import (
    AuditFilterForm,
    ClosureForm,
    CodeForm,
    DeskEditForm,
    ForgotForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    NoticeForm,
    OrganisationForm,
)
from portal.backoffice.mail import MailError, send_mail
from portal.backoffice.models import ORGANISATION_KINDS, ROLES, AuditEntry, Membership, Organisation, User
from portal.backoffice.permissions import (
    any_organisation_role,
    current_user,
    epci_role,
    password_step,
    public,
    role_in_organisation,
    signed_in,
    signed_in_user,
)
from portal.clock import PARIS
from portal.demands import views as demand_views
from portal.demands.forms import LookupForm
from portal.desks.models import Closure, Desk, DeskNotice, OpeningSlot
from portal.desks.views import upcoming, weekday_name
from portal.i18n import locales
from portal.security import rate_limit
from portal.text import slugify

bp = Blueprint("backoffice", __name__, url_prefix="/partenaires", template_folder="templates")


def switch_language():
    """`?lang=xx` on any page under /partenaires/ (every blueprint of the workspace): the workspace's
    language for this session (French by default)."""
    code = request.args.get("lang")
    if code is not None and request.path.startswith("/partenaires/"):
        if code in locales():
            session["partner_locale"] = code
        return redirect(request.path)
    return None


def role_label(role: str) -> str:
    return {
        "admin": _("Administrator"),
        "editor": _("Editor"),
        "reviewer": _("Reviewer"),
        "desk_agent": _("Desk agent"),
        "viewer": _("Viewer"),
    }[role]


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


@bp.route("/")
@signed_in
def dashboard():
    user = current_user()
    by_organisation: dict = {}
    for membership in sorted(user.memberships, key=lambda m: (m.organisation.name, ROLES.index(m.role))):
        by_organisation.setdefault(membership.organisation, []).append(membership.role)
    settings = current_app.config["PORTAL_SETTINGS"]
    keeps_desks = {m.organisation_id for m in user.memberships if m.role in ("editor", "admin")}
    stale = backoffice_desks.stale_desks(
        db.session(), clock.today(), settings.desk_reminder_months, keeps_desks
    )
    reads_audit = any(
        m.role in ("admin", "reviewer") and m.organisation.kind == "epci" for m in user.memberships
    )
    return render_template(
        "backoffice/dashboard.html",
        user=user,
        by_organisation=by_organisation,
        reads_audit=reads_audit,
        manages_network=any(m.role == "admin" and m.organisation.kind == "epci" for m in user.memberships),
        at_desk=any(m.role in ("desk_agent", "admin") for m in user.memberships),
        stale=stale,
        keeps_desks=keeps_desks,
        months=settings.desk_reminder_months,
    )


def kind_label(kind: str) -> str:
    return {
        "epci": _("Intercommunal authority"),
        "commune": _("Commune"),
        "landlord": _("Social landlord"),
        "state": _("State services"),
        "action_logement": _("Action Logement"),
        "association": _("Association"),
        "other": _("Other partner"),
    }[kind]


@bp.route("/organisations", methods=["GET", "POST"])
@epci_role("admin")
def organisations():
    """The partners of the plan; the authority's administrators add one, then invite its first administrator
    from its members page."""
    dbs = db.session()
    form = OrganisationForm()
    form.kind.choices = [("", _("Choose…"))] + [(kind, kind_label(kind)) for kind in ORGANISATION_KINDS]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            slug = slugify(form.name.data)
            if not slug:
                form.name.errors = [_("Enter a name with letters or digits")]
            elif dbs.scalar(select(Organisation).where(Organisation.slug == slug)) is not None:
                form.name.errors = [_("An organisation with this name already exists")]
            else:
                organisation = Organisation(slug=slug, name=form.name.data.strip(), kind=form.kind.data)
                dbs.add(organisation)
                dbs.flush()
                accounts.audit(
                    dbs,
                    current_user(),
                    organisation.id,
                    "organisation.created",
                    organisation.name,
                    after={"slug": slug, "kind": organisation.kind},
                )
                dbs.commit()
                flash(
                    _(
                        "%(organisation)s is added: invite its first administrator.",
                        organisation=organisation.name,
                    )
                )
                return redirect(url_for("backoffice.members", slug=slug))
        status = 400
    members = dict(
        dbs.execute(
            select(Membership.organisation_id, func.count(func.distinct(Membership.user_id))).group_by(
                Membership.organisation_id
            )
        ).all()
    )
    desks = dict(dbs.execute(select(Desk.organisation_id, func.count()).group_by(Desk.organisation_id)).all())
    listed = dbs.scalars(select(Organisation).order_by(Organisation.kind != "epci", Organisation.name))
    return render_template(
        "backoffice/organisations.html",
        organisations=[(item, members.get(item.id, 0), desks.get(item.id, 0)) for item in listed],
        form=form,
        kind_label=kind_label,
    ), status


def roles_offered(organisation) -> list[tuple[str, str]]:
    """Reviewers publish for the whole territory: only the EPCI has them."""
    return [(role, role_label(role)) for role in ROLES if role != "reviewer" or organisation.kind == "epci"]


def member_rows(organisation) -> dict:
    rows = db.session().execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id)
        .order_by(User.name, User.email)
    )
    people: dict = {}
    for user, role in rows:
        people.setdefault(user, []).append(role)
    return people


@bp.route("/organisations/<slug>/membres", methods=["GET", "POST"])
@role_in_organisation("admin", epci_sees_all=True)
def members(organisation):
    """The organisation's members; its administrators invite people and give or take roles."""
    form = InviteForm()
    form.role.choices = roles_offered(organisation)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            return _invite(organisation, form)
        status = 400
    return render_template(
        "backoffice/members.html", organisation=organisation, people=member_rows(organisation), form=form
    ), status


def _invite(organisation, form):
    dbs = db.session()
    admin = current_user()
    settings = current_app.config["PORTAL_SETTINGS"]
    user = accounts.find_user(dbs, form.email.data)
    new_account = user is None
    if new_account:
        user = User(email=form.email.data, name=form.name.data.strip())
        dbs.add(user)
        dbs.flush()
    if form.role.data in user.roles_in(organisation.id):
        flash(_("%(email)s already has this role.", email=user.email))
        return redirect(url_for("backoffice.members", slug=organisation.slug))
    dbs.add(Membership(user_id=user.id, organisation_id=organisation.id, role=form.role.data))
    accounts.audit(
        dbs, admin, organisation.id, "member.role_given", user.email, after={"role": form.role.data}
    )
    if new_account or not user.password_hash:
        link = url_for(
            "backoffice.accept_invitation",
            token=tokens.make_token(settings.secret_key, "invitation", user),
            _external=True,
        )
        body = render_template(
            "backoffice/mail_invitation.txt", user=user, organisation=organisation, admin=admin, link=link
        )
        try:
            send_mail(settings, user.email, _("Your account on the partners' workspace"), body, "invitation")
        except MailError:
            dbs.rollback()
            flash(_("The invitation could not be sent: nothing was changed. Try again later."))
            return redirect(url_for("backoffice.members", slug=organisation.slug))
    dbs.commit()
    flash(_("%(email)s is now %(role)s.", email=user.email, role=role_label(form.role.data)))
    return redirect(url_for("backoffice.members", slug=organisation.slug))


@bp.route("/organisations/<slug>/membres/<int:user_id>/<role>/retirer", methods=["POST"])
@role_in_organisation("admin", epci_sees_all=True)
def remove_role(organisation, user_id: int, role: str):
    dbs = db.session()
    membership = dbs.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id,
            Membership.user_id == user_id,
            Membership.role == role,
        )
    )
    if membership is None:
        abort(404)
    admin = current_user()
    if membership.user_id == admin.id and role == "admin":
        flash(_("You cannot take away your own administrator role: ask another administrator."))
        return redirect(url_for("backoffice.members", slug=organisation.slug))
    email = membership.user.email
    dbs.delete(membership)
    accounts.audit(dbs, admin, organisation.id, "member.role_taken", email, before={"role": role})
    dbs.commit()
    flash(_("The role was taken away from %(email)s.", email=email))
    return redirect(url_for("backoffice.members", slug=organisation.slug))


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


@bp.route("/accueil", methods=["GET", "POST"])
@rate_limit("5 per minute;30 per hour", methods=["POST"])
@rate_limit("10 per hour", key=demand_views.number_key, methods=["POST"])
@any_organisation_role("desk_agent", "admin")
def desk_tools():
    """What an agent needs at the counter: guides, desks, the simulator, and the applicant's demand looked
    up with them present (the same limits as the public look-up; recorded in the audit log; nothing kept
    in the session, so the next applicant starts afresh)."""
    form = LookupForm()
    situation = None
    if form.validate_on_submit():
        dbs = db.session()
        demand = demand_views.find_or_explain(form)
        user = current_user()
        agent_of = next((m.organisation_id for m in user.memberships if m.role == "desk_agent"), None)
        accounts.audit(
            dbs,
            user,
            agent_of,
            "demand.looked_up_at_desk",
            form.number.data,
            after={"found": demand is not None},
        )
        dbs.commit()
        if demand is not None:
            situation = demand_views.situation_context(demand)
    response = make_response(render_template("backoffice/desk_tools.html", form=form, situation=situation))
    response.headers["Cache-Control"] = "no-store"
    return response


def _organisation_desk(organisation, desk_id: int) -> Desk:
    """A desk of that organisation, or 404 (a desk of another organisation is not found through this one)."""
    desk = db.session().get(Desk, desk_id)
    if desk is None or desk.organisation_id != organisation.id:
        abort(404)
    return desk


@bp.route("/organisations/<slug>/guichets")
@role_in_organisation("editor", "admin", epci_sees_all=True)
def desks(organisation):
    settings = current_app.config["PORTAL_SETTINGS"]
    rows = db.session().scalars(
        select(Desk).where(Desk.organisation_id == organisation.id).order_by(Desk.name)
    )
    today = clock.today()
    listed = [(desk, backoffice_desks.is_stale(desk, today, settings.desk_reminder_months)) for desk in rows]
    return render_template(
        "backoffice/desks.html", organisation=organisation, desks=listed, months=settings.desk_reminder_months
    )


@bp.route("/organisations/<slug>/guichets/<int:desk_id>/confirmer", methods=["POST"])
@role_in_organisation("editor", "admin", epci_sees_all=True)
def confirm_desk(organisation, desk_id: int):
    """The hours were checked: the public pages trust them again and the reminder stops."""
    desk = _organisation_desk(organisation, desk_id)
    dbs = db.session()
    before = desk.hours_confirmed_on.isoformat() if desk.hours_confirmed_on else None
    desk.hours_confirmed_on = desk.updated_on = clock.today()
    accounts.audit(
        dbs,
        current_user(),
        organisation.id,
        "desk.hours_confirmed",
        desk.name,
        before={"hours_confirmed_on": before},
        after={"hours_confirmed_on": desk.hours_confirmed_on.isoformat()},
    )
    dbs.commit()
    flash(_("The hours of %(desk)s are confirmed.", desk=desk.name))
    return redirect(url_for("backoffice.desks", slug=organisation.slug))


@bp.route("/organisations/<slug>/guichets/<int:desk_id>", methods=["GET", "POST"])
@role_in_organisation("editor", "admin", epci_sees_all=True)
def edit_desk(organisation, desk_id: int):
    """Contact, languages, accessibility, what to bring and the weekly hours; saving confirms the hours."""
    desk = _organisation_desk(organisation, desk_id)
    if request.method == "GET":
        return _desk_page(organisation, desk)
    form = DeskEditForm()
    _label_days(form)
    if form.validate_on_submit():
        dbs = db.session()
        before = {**backoffice_desks.desk_snapshot(desk), **backoffice_desks.week_snapshot(desk)}
        for name in backoffice_desks.EDITABLE:
            value = getattr(form, name).data
            setattr(desk, name, value if name == "step_free" else (value or "").strip())
        desk.slots = [
            OpeningSlot(weekday=weekday, opens=opens, closes=closes)
            for weekday, spans in form.hours.items()
            for opens, closes in spans
        ]
        dbs.flush()
        dbs.refresh(desk, ["slots"])
        after = {**backoffice_desks.desk_snapshot(desk), **backoffice_desks.week_snapshot(desk)}
        changed = [name for name in after if before[name] != after[name]]
        desk.hours_confirmed_on = desk.updated_on = clock.today()
        accounts.audit(
            dbs,
            current_user(),
            organisation.id,
            "desk.updated",
            desk.name,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        dbs.commit()
        flash(_("The desk %(desk)s is saved.", desk=desk.name))
        return redirect(url_for("backoffice.desks", slug=organisation.slug))
    return _desk_page(organisation, desk, form=form, status=400)


def _label_days(form: DeskEditForm) -> None:
    for weekday, name in enumerate(backoffice_desks.WEEKDAY_FIELDS):
        getattr(form, name).label.text = weekday_name(weekday)


def _desk_page(organisation, desk, form=None, closure_form=None, notice_form=None, status=200):
    if form is None:
        form = DeskEditForm(obj=desk, formdata=None)
        _label_days(form)
        for weekday, name in enumerate(backoffice_desks.WEEKDAY_FIELDS):
            getattr(form, name).data = backoffice_desks.hours_text(desk, weekday)
    now = clock.now()
    return render_template(
        "backoffice/desk_edit.html",
        organisation=organisation,
        desk=desk,
        form=form,
        closure_form=closure_form or ClosureForm(prefix="closure", formdata=None),
        notice_form=notice_form or NoticeForm(prefix="notice", formdata=None),
        closures=upcoming(desk.closures, now),
        notices=upcoming(desk.notices, now),  # those not started yet too: partners plan them
        error_form=closure_form or notice_form,
    ), status


PERIODS = {
    "fermetures": (Closure, ClosureForm, "closure", "reason"),
    "avis": (DeskNotice, NoticeForm, "notice", "text"),
}


@bp.route("/organisations/<slug>/guichets/<int:desk_id>/<any(fermetures, avis):kind>", methods=["POST"])
@role_in_organisation("editor", "admin", epci_sees_all=True)
def add_period(organisation, desk_id: int, kind: str):
    """A closure (holidays, works) or a temporary notice, shown on the public desk page while it lasts."""
    desk = _organisation_desk(organisation, desk_id)
    model, form_class, name, text_field = PERIODS[kind]
    form = form_class(prefix=name)
    if not form.validate_on_submit():
        forms = {"closure_form": form} if name == "closure" else {"notice_form": form}
        return _desk_page(organisation, desk, status=400, **forms)
    item = model(
        desk_id=desk.id,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        **{text_field: (getattr(form, text_field).data or "").strip()},
    )
    dbs = db.session()
    dbs.add(item)
    desk.updated_on = clock.today()
    accounts.audit(
        dbs, current_user(), organisation.id, f"desk.{name}_added", desk.name, after=_period(item, text_field)
    )
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))


@bp.route(
    "/organisations/<slug>/guichets/<int:desk_id>/<any(fermetures, avis):kind>/<int:item_id>/supprimer",
    methods=["POST"],
)
@role_in_organisation("editor", "admin", epci_sees_all=True)
def remove_period(organisation, desk_id: int, kind: str, item_id: int):
    desk = _organisation_desk(organisation, desk_id)
    model, _form_class, name, text_field = PERIODS[kind]
    dbs = db.session()
    item = dbs.get(model, item_id)
    if item is None or item.desk_id != desk.id:
        abort(404)
    before = _period(item, text_field)
    dbs.delete(item)
    desk.updated_on = clock.today()
    accounts.audit(dbs, current_user(), organisation.id, f"desk.{name}_removed", desk.name, before=before)
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))


def _period(item, text_field: str) -> dict:
    return {
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        text_field: getattr(item, text_field),
    }


AUDIT_PAGE = 200


def audit_query(form: AuditFilterForm):
    query = (
        select(AuditEntry, User.email, Organisation.name)
        .outerjoin(User, AuditEntry.user_id == User.id)
        .outerjoin(Organisation, AuditEntry.organisation_id == Organisation.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    if form.organisation.data:
        query = query.where(Organisation.slug == form.organisation.data)
    if form.since.data:
        start = dt.datetime.combine(form.since.data, dt.time(), PARIS).astimezone(dt.UTC)
        query = query.where(AuditEntry.at >= start)
    if form.until.data:
        end = dt.datetime.combine(form.until.data + dt.timedelta(days=1), dt.time(), PARIS).astimezone(dt.UTC)
        query = query.where(AuditEntry.at < end)
    return query


def audit_form() -> AuditFilterForm:
    dbs = db.session()
    form = AuditFilterForm(request.args)
    actions = dbs.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    form.action.choices = [("", _("All"))] + [
        (action, accounts.audit_action_label(action)) for action in actions
    ]
    organisations = dbs.execute(select(Organisation.slug, Organisation.name).order_by(Organisation.name))
    form.organisation.choices = [("", _("All"))] + [(slug, name) for slug, name in organisations]
    return form


@bp.route("/journal")
@epci_role("admin", "reviewer")
def audit_log():
    """Every change, newest first, with filters; the EPCI's administrators and reviewers read it."""
    form = audit_form()
    if not form.validate():
        return render_template("backoffice/audit.html", form=form, entries=[], more=False), 400
    rows = db.session().execute(audit_query(form).limit(AUDIT_PAGE + 1)).all()
    return render_template(
        "backoffice/audit.html", form=form, entries=rows[:AUDIT_PAGE], more=len(rows) > AUDIT_PAGE
    )


@bp.route("/journal.csv")
@epci_role("admin", "reviewer")
def audit_log_csv():
    """The same entries, every one of them, as CSV (UTF-8 with a BOM so that spreadsheets read accents)."""
    form = audit_form()
    if not form.validate():
        abort(400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", "user", "organisation", "action", "target", "before", "after"])
    for entry, email, organisation in db.session().execute(audit_query(form)):
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
        writer.writerow(
            [
                at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                _spreadsheet_safe(email or ""),
                _spreadsheet_safe(organisation or ""),
                _spreadsheet_safe(entry.action),
                _spreadsheet_safe(entry.target),
                json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
                json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            ]
        )
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="journal.csv"'
    response.cache_control.no_store = True
    return response


def _spreadsheet_safe(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is prefixed with a quote (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def init_app(app: Flask) -> None:
    app.before_request(switch_language)
    app.register_blueprint(bp)
    from portal.backoffice import grids  # the grid editor's blueprint (/partenaires/grilles)

    grids.init_app(app)
    content_views.init_app(app)
    from portal.backoffice import imports as data_imports  # data imports (/partenaires/donnees)

    data_imports.init_app(app)
    from portal.backoffice import library  # shared documents and news (/partenaires/documents)

    library.init_app(app)
    from portal.backoffice import observatory  # the partners' observatory (/partenaires/observatoire)

    observatory.init_app(app)
    app.jinja_env.filters["role_label_filter"] = role_label
    app.jinja_env.filters["paris_datetime"] = paris_datetime
    app.jinja_env.filters["audit_action"] = accounts.audit_action_label


def paris_datetime(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return format_datetime(aware.astimezone(PARIS), "short")
