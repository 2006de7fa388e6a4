"""Messages between tenants (see messages.py): the list of a tenant's conversations, a conversation
with the tenant of another listing (write, share one's address, block), and the report of a message
or a listing to the partners' moderators. The other tenant is never named: a household and a
dwelling, and their address only once both agreed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.exchange import messages, notices, photos, services, tenants
from portal.exchange.forms import ListingActionForm, MessageForm, ReportForm
from portal.exchange.models import OPEN_LISTING_STATES, Listing
from portal.exchange.views import current_tenant, own_listing, page
from portal.security import rate_limit
from portal.territory.services import commune_names
from portal.urls import public_url_for

bp = Blueprint(
    "exchange_messages",
    __name__,
    url_prefix="/<locale:lang_code>/echange-de-logement/messages",
    template_folder="templates",
)


def refusal_text(code: str) -> str:
    return {
        "closed": _("One of the two listings is closed: no more messages can be sent."),
        "blocked": _("Messages between you and this household are blocked."),
        "stranger": _("You can write only to the households of the swaps that suit you."),
        "contact": _(
            "Your message seems to hold an e-mail address or a phone number. They are shared only "
            "when you both agree: use the button to share your address."
        ),
    }.get(code, _("This cannot be done now."))


def _listings(other_id: int) -> tuple[Listing, Listing]:
    """The signed-in tenant's listing and the other listing (404 when there is none). Signed out: the
    sign-in page for a page (the e-mail's link), 403 for a form."""
    tenant = current_tenant()
    if tenant is None:
        if request.method == "GET":
            abort(redirect(url_for("exchange.sign_in")))
        abort(403)
    listing = own_listing(tenant)
    other = db.session().get(Listing, other_id)
    if listing is None or other is None or other.id == listing.id:
        abort(404)
    return listing, other


@bp.route("/")
def inbox():
    tenant = current_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    listing = own_listing(tenant)
    if listing is None:
        return redirect(url_for("exchange.listing"))
    session = db.session()
    found = messages.conversations_of(session, listing.id)
    others = tenants.listings_by_id(session, {side.other_id for side, _unread in found})
    return page("exchange/inbox.html", conversations=found, others=others, names=commune_names())


def _conversation_page(listing: Listing, other: Listing, form: MessageForm, status: int = 200):
    session = db.session()
    side = messages.find(session, listing.id, other.id)
    if side is None and not messages.may_begin(session, listing, other):
        abort(404)
    shown = side.conversation.messages if side is not None else []
    if side is not None and status == 200:
        side.mark_read(clock.now())
        session.commit()
    both_share = side is not None and side.shares and side.other_shares and not side.blocked
    return page(
        "exchange/conversation.html",
        status,
        listing=listing,
        other=other,
        side=side,
        shown=shown,
        form=form,
        address=other.tenant.email if both_share else None,
        writable=listing.state in OPEN_LISTING_STATES and other.state in OPEN_LISTING_STATES,
        pictures=photos.photo_ids(session, {other.id}).get(other.id, []) if other.state == "public" else [],
        names=commune_names(),
    )


@bp.route("/<int:other_id>", methods=["GET", "POST"])
@rate_limit("30 per hour", methods=["POST"])
def conversation(other_id: int):
    listing, other = _listings(other_id)
    form = MessageForm()
    if request.method == "GET":
        return _conversation_page(listing, other, form)
    if not form.validate_on_submit():
        return _conversation_page(listing, other, form, 400)
    session = db.session()
    try:
        tell = messages.send(session, listing, other, form.body.data, clock.now())
    except services.ExchangeRefused as refused:
        session.rollback()
        if refused.code == "stranger":
            abort(404)
        form.body.errors = [refusal_text(refused.code)]
        return _conversation_page(listing, other, form, 400)
    if tell:
        link = public_url_for(
            "exchange_messages.conversation", lang_code=other.tenant.locale, other_id=listing.id
        )
        notices.tell_tenant(session, other, "message", link)
    session.commit()
    flash(_("Your message is sent."))
    return redirect(url_for("exchange_messages.conversation", other_id=other.id, _anchor="write"))


def _yes_or_no(name: str) -> bool:
    """A button's yes or no, with the form's token (400 otherwise)."""
    value = request.form.get(name)
    if not ListingActionForm().validate_on_submit() or value not in ("yes", "no"):
        abort(400)
    return value == "yes"


def _carry_out(operation) -> None:
    """The operation committed, or the refusal said by its status (404: not theirs to touch)."""
    session = db.session()
    try:
        operation(session)
    except services.ExchangeRefused as refused:
        session.rollback()
        abort(404 if refused.code == "stranger" else 409)
    session.commit()


@bp.route("/<int:other_id>/partage", methods=["POST"])
@rate_limit("30 per hour")
def share(other_id: int):
    listing, other = _listings(other_id)
    yes = _yes_or_no("share")
    _carry_out(lambda session: messages.share(session, listing, other, yes, clock.now()))
    if not yes:
        flash(_("Your address is no longer shown to this household."))
    elif messages.find(db.session(), listing.id, other.id).other_shares:
        flash(_("You both agreed: each of you now sees the other's e-mail address."))
    else:
        flash(_("Your address will be shown once this household agrees too."))
    return redirect(url_for("exchange_messages.conversation", other_id=other.id))


@bp.route("/<int:other_id>/blocage", methods=["POST"])
@rate_limit("30 per hour")
def block(other_id: int):
    listing, other = _listings(other_id)
    yes = _yes_or_no("block")
    _carry_out(
        (lambda session: messages.block(session, listing, other, clock.now()))
        if yes
        else (lambda session: messages.unblock(session, listing, other))
    )
    flash(
        _("This household is blocked: no more messages, and no swap with them is proposed to you.")
        if yes
        else _("This household is no longer blocked.")
    )
    return redirect(url_for("exchange_messages.conversation", other_id=other.id))


@bp.route("/<int:other_id>/signalement", methods=["GET", "POST"])
@rate_limit("10 per day", methods=["POST"])
def report(other_id: int):
    listing, other = _listings(other_id)
    message_id = request.args.get("message", type=int)
    session = db.session()
    reported = None
    if message_id is not None:
        reported = messages.reportable(session, listing, other, message_id)
        if reported is None:
            abort(404)
    elif messages.find(session, listing.id, other.id) is None and not messages.may_begin(
        session, listing, other
    ):
        abort(404)
    form = ReportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return page(
            "exchange/report.html",
            200 if request.method == "GET" else 400,
            form=form,
            other=other,
            reported=reported,
            names=commune_names(),
        )
    comment = form.comment.data or ""
    messages.report(session, listing, other, form.reason.data, comment, message_id, clock.now())
    session.commit()
    flash(_("Thank you: the moderators will look at your report. You may also block this household."))
    return redirect(url_for("exchange_messages.conversation", other_id=other.id))


def init_app(app) -> None:
    app.register_blueprint(bp)
