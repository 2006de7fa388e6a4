"""The network's organisations and each organisation's members and roles."""

from __future__ import annotations

import datetime as dt

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import clock, db
from portal.backoffice.accounts import notifications
from portal.backoffice.accounts.forms import (
    InviteForm,
    OrganisationForm,
)
from portal.backoffice.permissions import (
    current_user,
    epci_role,
    role_in_organisation,
    signed_in,
)
from portal.backoffice.presenting import kind_label, role_label
from portal.desks.models import Desk
from portal.jobs import after_commit
from portal.partners import accounts, audit
from portal.partners.models import (
    OFFER_DAYS,
    ORGANISATION_KINDS,
    ROLES,
    Membership,
    Organisation,
    RoleInvitation,
    User,
)
from portal.sessions import aware
from portal.text import slugify


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
                audit.record(
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
    offers = db.session().scalars(
        select(RoleInvitation)
        .where(RoleInvitation.organisation_id == organisation.id, RoleInvitation.created_at >= offers_since())
        .order_by(RoleInvitation.id)
    )
    return render_template(
        "backoffice/members.html",
        organisation=organisation,
        people=member_rows(organisation),
        offers=list(offers),
        form=form,
    ), status


def offers_since() -> dt.datetime:
    """Offers older than OFFER_DAYS are no longer valid (and deleted by a periodic job)."""
    return clock.now().astimezone(dt.UTC) - dt.timedelta(days=OFFER_DAYS)


def _invite(organisation, form):
    """A new person gets an account and an invitation e-mail; a person with an account in another
    organisation gets an offer they accept or decline on their dashboard (nobody is given a role
    elsewhere without knowing); a member of this organisation gets the role at once."""
    dbs = db.session()
    admin = current_user()
    locale = str(get_locale())
    user = accounts.find_user(dbs, form.email.data)
    new_account = user is None
    if new_account:
        user = User(email=form.email.data, name=form.name.data.strip())
        dbs.add(user)
        dbs.flush()
    role = form.role.data
    if role in user.roles_in(organisation.id):
        flash(_("%(email)s already has this role.", email=user.email))
        return redirect(url_for("backoffice.members", slug=organisation.slug))
    # Somebody of another organisation (signed up, or invited there and not yet): their answer first.
    elsewhere = bool(user.password_hash or user.memberships) and not user.roles_in(organisation.id)
    if not new_account and elsewhere:
        offered = dbs.scalar(
            select(RoleInvitation).where(
                RoleInvitation.user_id == user.id,
                RoleInvitation.organisation_id == organisation.id,
                RoleInvitation.role == role,
            )
        )
        if offered is None:
            dbs.add(
                RoleInvitation(
                    user_id=user.id, organisation_id=organisation.id, role=role, invited_by_id=admin.id
                )
            )
            audit.record(dbs, admin, organisation.id, "member.role_offered", user.email, after={"role": role})
            after_commit(dbs, notifications.send_role_offer, user.id, organisation.id, role, admin.id, locale)
        dbs.commit()
        flash(
            _(
                "%(email)s already has an account: the role %(role)s is offered to them, and is theirs once "
                "they accept it.",
                email=user.email,
                role=role_label(role),
            )
        )
        return redirect(url_for("backoffice.members", slug=organisation.slug))
    dbs.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    audit.record(dbs, admin, organisation.id, "member.role_given", user.email, after={"role": role})
    if not user.password_hash:
        after_commit(dbs, notifications.send_invitation, user.id, organisation.id, admin.id, locale)
    dbs.commit()
    flash(_("%(email)s is now %(role)s.", email=user.email, role=role_label(role)))
    return redirect(url_for("backoffice.members", slug=organisation.slug))


@signed_in
def answer_role_offer(offer_id: int):
    """The person's answer to a role offered by another organisation (only their own offers)."""
    dbs = db.session()
    user = current_user()
    offer = dbs.get(RoleInvitation, offer_id)
    if offer is None or offer.user_id != user.id or aware(offer.created_at) < offers_since():
        abort(404)
    answer = request.form.get("answer")
    if answer not in ("accept", "decline"):
        abort(400)
    organisation = offer.organisation
    if answer == "accept" and offer.role not in user.roles_in(organisation.id):
        dbs.add(Membership(user_id=user.id, organisation_id=organisation.id, role=offer.role))
    audit.record(
        dbs,
        user,
        organisation.id,
        {"accept": "account.role_invitation_accepted", "decline": "account.role_invitation_declined"}[answer],
        user.email,
        after={"role": offer.role},
    )
    dbs.delete(offer)
    dbs.commit()
    if answer == "accept":
        flash(
            _(
                "You are now %(role)s in %(organisation)s.",
                role=role_label(offer.role),
                organisation=organisation.name,
            )
        )
    else:
        flash(_("You declined the role offered by %(organisation)s.", organisation=organisation.name))
    return redirect(url_for("backoffice.dashboard"))


@role_in_organisation("admin", epci_sees_all=True)
def withdraw_role_offer(organisation, offer_id: int):
    """An administrator takes back a role offered and not answered yet."""
    dbs = db.session()
    offer = dbs.get(RoleInvitation, offer_id)
    if offer is None or offer.organisation_id != organisation.id:
        abort(404)
    email = dbs.get(User, offer.user_id).email
    audit.record(
        dbs,
        current_user(),
        organisation.id,
        "member.role_offer_withdrawn",
        email,
        before={"role": offer.role},
    )
    dbs.delete(offer)
    dbs.commit()
    flash(_("The role offered to %(email)s is withdrawn.", email=email))
    return redirect(url_for("backoffice.members", slug=organisation.slug))


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
    audit.record(dbs, admin, organisation.id, "member.role_taken", email, before={"role": role})
    dbs.commit()
    flash(_("The role was taken away from %(email)s.", email=email))
    return redirect(url_for("backoffice.members", slug=organisation.slug))
