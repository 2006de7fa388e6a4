"""The exchange's public pages for tenants: what it is, signing up (the address verified by an e-mailed
link), signing in by password or by a one-time e-mailed link, signing out (here or everywhere).

Every e-mailed link opens a page with a button: mail scanners that open links change nothing. The pages
say the same thing whether an address has an account or not; the e-mails differ."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal import clock, db, sessions
from portal.demands.models import DWELLING_TYPES
from portal.exchange import accounts, labels, messages, notices, photos, services, tenants
from portal.exchange.forms import LinkForm, ListingActionForm, ListingForm, PhotoForm, SignInForm, SignUpForm
from portal.exchange.models import CLOSED_LISTING_STATES, OPEN_LISTING_STATES, Listing, Tenant
from portal.information.eligibility import PRODUCTS, Household, assess, income_retained
from portal.information.services import ceilings_in_force
from portal.mail import queue_mail
from portal.partners import throttle
from portal.security import consume, rate_limit
from portal.territory.services import commune_names, communes
from portal.urls import public_url_for

bp = Blueprint(
    "exchange", __name__, url_prefix="/<locale:lang_code>/echange-de-logement", template_folder="templates"
)
IDLE = dt.timedelta(minutes=30)
LASTING = dt.timedelta(hours=12)
MAILS_PER_ADDRESS = "3 per hour"  # e-mails to one address, whoever asks


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def page(template: str, status: int = 200, **context):
    return no_store(make_response(render_template(template, **context), status))


def current_tenant() -> Tenant | None:
    """The tenant of this browser's session, if the session is alive and of the account's current
    version (a new password or "sign out everywhere" moves it)."""
    if "exchange_tenant" in g:
        return g.exchange_tenant
    tenant = None
    record = sessions.current("tenant")
    if record is not None:
        found = db.session().get(Tenant, record.tenant_id)
        valid = found is not None and found.session_version == record.session_version
        if valid and (record.second_factor_done or not found.totp_secret):
            tenant = found
            sessions.touch(record, IDLE)
    g.exchange_tenant = tenant
    return tenant


def _start_session(tenant: Tenant):
    dbs = db.session()
    sessions.start(dbs, "tenant", IDLE, LASTING, tenant_id=tenant.id, session_version=tenant.session_version)
    dbs.commit()
    if tenant.totp_secret:  # the second step: a code of the tenant's app
        return redirect(url_for("exchange_factor.code"))
    return redirect(url_for("exchange.index"))


def _mail(to: str, subject, template: str, locale: str, **context) -> None:
    """An e-mail in the tenant's language (`subject` a lazy string, translated in it)."""
    with force_locale(locale):
        body = render_template(f"exchange/{template}", **context)
        queue_mail(db.session(), to, str(subject), body, "exchange account")


@bp.route("/")
def index():
    tenant = current_tenant()
    listing = own_listing(tenant) if tenant is not None else None
    unread = messages.unread_total(db.session(), listing.id) if listing is not None else 0
    return page("exchange/index.html", tenant=tenant, listing=listing, unread=unread)


@bp.route("/inscription", methods=["GET", "POST"])
@rate_limit("10 per hour", methods=["POST"])
def sign_up():
    form = SignUpForm()
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/sign_up.html", 200 if request.method == "GET" else 400, form=form)
    email = accounts.normalize_email(form.email.data)
    if consume(MAILS_PER_ADDRESS, "exchange-mail", email):
        dbs = db.session()
        locale = str(get_locale())
        made = accounts.sign_up(dbs, email, form.password.data, locale, clock.now())
        if made.token is not None:
            link = public_url_for("exchange.verify", token=made.token)
            _mail(email, _l("Confirm your address"), "mail_verify.txt", locale, link=link)
        else:  # the address has an account: say so to its owner only
            link = public_url_for("exchange.sign_in_link")
            _mail(email, _l("You already have an account"), "mail_exists.txt", made.tenant.locale, link=link)
        dbs.commit()
    return page("exchange/message.html", state="check_mail", email=email)


@bp.route("/verification/<token>", methods=["GET", "POST"])
@rate_limit("30 per hour")
def verify(token: str):
    return _follow_link("verify", token, _("Your address is confirmed: you are signed in."))


def _follow_link(purpose: str, token: str, done: str | None = None):
    """An e-mailed link: a page with a button (GET changes nothing), then the sign-in (POST)."""
    dbs = db.session()
    if request.method == "GET":
        found = accounts.read_link(dbs, purpose, token, clock.now()) is not None
        return page("exchange/message.html", 200 if found else 404, state=purpose if found else "gone")
    tenant = accounts.use_link(dbs, purpose, token, clock.now())
    if tenant is None:
        return page("exchange/message.html", 404, state="gone")
    if done:
        flash(done)
    return _start_session(tenant)


@bp.route("/connexion", methods=["GET", "POST"])
@rate_limit("10 per minute", methods=["POST"])
def sign_in():
    form = SignInForm()
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/sign_in.html", 200 if request.method == "GET" else 400, form=form)
    dbs = db.session()
    secret = accounts.throttle_secret(current_app.config["PORTAL_SETTINGS"].secret_key)
    keys = throttle.keys_for(secret, form.email.data, request.remote_addr or "", False)
    attempt = accounts.authenticate(dbs, form.email.data, form.password.data, keys, clock.now())
    dbs.commit()  # failures are kept
    if attempt.tenant is None:
        return page(
            "exchange/sign_in.html",
            401,
            form=form,
            failed=not attempt.wait_seconds,
            wait=attempt.wait_seconds,
        )
    return _start_session(attempt.tenant)


@bp.route("/lien", methods=["GET", "POST"])
@rate_limit("10 per hour", methods=["POST"])
def sign_in_link():
    form = LinkForm()
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/link.html", 200 if request.method == "GET" else 400, form=form)
    email = accounts.normalize_email(form.email.data)
    dbs = db.session()
    tenant = accounts.find(dbs, email)
    if tenant is not None and consume(MAILS_PER_ADDRESS, "exchange-mail", email):
        token = accounts.make_link(dbs, tenant, "sign_in", clock.now())
        link = public_url_for("exchange.use_sign_in_link", token=token)
        _mail(email, _l("Your sign-in link"), "mail_sign_in.txt", tenant.locale, link=link)
        dbs.commit()
    return page("exchange/message.html", state="check_mail", email=email)


@bp.route("/lien/<token>", methods=["GET", "POST"])
@rate_limit("30 per hour")
def use_sign_in_link(token: str):
    return _follow_link("sign_in", token)


@bp.route("/deconnexion", methods=["POST"])
def sign_out():
    sessions.end()
    flash(_("You are signed out."))
    return redirect(url_for("exchange.index"))


@bp.route("/mon-compte/suppression", methods=["GET", "POST"])
def delete_account():
    """A page with a button, then the account deleted at once, with the listing and its swaps."""
    tenant = current_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    if request.method == "GET":
        return page("exchange/delete_account.html", listing=own_listing(tenant))
    dbs = db.session()
    listing = own_listing(tenant)
    if listing is not None:
        for swap in tenants.open_swaps(dbs, listing.id):
            notices.tell(dbs, swap, "declined", but=listing.id)
    services.delete_account(dbs, tenant)
    dbs.commit()
    sessions.end()
    flash(_("Your account is deleted, with your listing and its photos."))
    return redirect(url_for("exchange.index"))


@bp.route("/deconnexion-partout", methods=["POST"])
def sign_out_everywhere():
    tenant = current_tenant()
    if tenant is not None:
        dbs = db.session()
        tenant.session_version += 1
        dbs.execute(delete(sessions.AuthSession).where(sessions.AuthSession.tenant_id == tenant.id))
        dbs.commit()
    sessions.end()
    flash(_("You are signed out on every device."))
    return redirect(url_for("exchange.index"))


def own_listing(tenant: Tenant) -> Listing | None:
    return db.session().scalar(select(Listing).where(Listing.tenant_id == tenant.id))


def listing_page(listing: Listing, photo_form: PhotoForm, status: int = 200):
    """The tenant's listing, its photos and their form (with its errors after a refused photo)."""
    return page(
        "exchange/listing.html",
        status,
        listing=listing,
        names=commune_names(),
        photo_form=photo_form,
        max_photos=photos.MAX_PHOTOS,
        open_states=OPEN_LISTING_STATES,
        closed_states=CLOSED_LISTING_STATES,
    )


def _listing_input(form: ListingForm, financings: tuple[str, ...]) -> services.ListingInput:
    return services.ListingInput(
        household_size=form.adults.data + form.dependants.data,
        financings=financings,
        dwelling_type=form.dwelling_type.data,
        surface=float(form.surface.data),
        floor=form.floor.data,
        lift=form.lift.data,
        step_free=form.step_free.data,
        rent=float(form.rent.data),
        financing=form.financing.data,
        commune_insee=form.commune.data,
        district=form.district.data or "",
        wish_types=tuple(form.wish_types.data),
        wish_communes=tuple(form.wish_communes.data),
        wish_max_rent=float(form.wish_max_rent.data),
        wish_step_free=form.wish_step_free.data,
        reason=form.reason.data or "",
    )


def _financings(form: ListingForm, zone: str) -> tuple[str, ...]:
    """The financings whose income ceiling the household is under (the amounts are not kept)."""
    household = Household(
        adults=form.adults.data,
        dependants=form.dependants.data,
        couple=form.couple.data,
        ages=form.ages(),
        disabled_member=form.disabled_member.data,
    )
    income, _recent = income_retained(form.income.data, form.recent_income.data)
    assessment = assess(household, zone, income, ceilings_in_force(clock.today()))
    return tuple(product for product in PRODUCTS if assessment.eligible[product])


@bp.route("/mon-annonce", methods=["GET", "POST"])
@rate_limit("20 per hour", methods=["POST"])
def listing():
    tenant = current_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    dbs = db.session()
    own = own_listing(tenant)
    again = own is not None and own.state in CLOSED_LISTING_STATES
    if own is not None and not (again and (request.method == "POST" or request.args.get("nouvelle"))):
        return listing_page(own, PhotoForm())
    form = ListingForm()
    territory = communes()
    form.set_choices(territory, services.landlord_choices(dbs), DWELLING_TYPES, PRODUCTS)
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/listing_form.html", 200 if request.method == "GET" else 400, form=form)
    zone = next(commune.ceiling_zone for commune in territory if commune.insee == form.commune.data)
    financings = _financings(form, zone)
    if not financings:
        form.income.errors.append(
            _(
                "This income is above every ceiling: a swap needs a household under the ceiling of the "
                "dwelling it moves into."
            )
        )
        return page("exchange/listing_form.html", 400, form=form)
    data = _listing_input(form, financings)
    if services.check_input(data, {commune.insee for commune in territory}):
        abort(400)  # the form's own checks let nothing of the kind through
    services.create_listing(
        dbs, tenant, int(form.landlord.data), form.tenant_reference.data, data, clock.now()
    )
    dbs.commit()
    flash(
        _(
            "Your listing is saved. Your landlord will confirm that you rent this dwelling; it is then "
            "visible to other tenants."
        )
    )
    return redirect(url_for("exchange.listing"))


@bp.route("/mon-annonce/<any(retrait, renouvellement):action>", methods=["POST"])
def listing_action(action: str):
    tenant = current_tenant()
    own = own_listing(tenant) if tenant is not None else None
    if own is None or not ListingActionForm().validate_on_submit():
        abort(400)
    dbs = db.session()
    try:
        if action == "retrait":
            services.withdraw(dbs, own, clock.now())
        else:
            services.renew(own, clock.today())
    except services.ExchangeRefused:
        abort(409)
    dbs.commit()
    flash(
        _("Your listing is withdrawn.")
        if action == "retrait"
        else _("Your listing is renewed for six months.")
    )
    return redirect(url_for("exchange.listing"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.add_template_global(labels.swap_state, "swap_state")
    app.add_template_global(labels.report_reason, "report_reason")
    app.add_template_global(labels.report_outcome, "report_outcome")
