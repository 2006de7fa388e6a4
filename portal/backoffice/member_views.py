"""The network's organisations and each organisation's members and roles."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import db
from portal.backoffice import accounts, tokens
from portal.backoffice.blueprint import bp, kind_label, role_label
from portal.backoffice.forms import (
    InviteForm,
    OrganisationForm,
)
from portal.backoffice.mail import MailError, send_mail
from portal.backoffice.models import ORGANISATION_KINDS, ROLES, Membership, Organisation, User
from portal.backoffice.permissions import (
    current_user,
    epci_role,
    role_in_organisation,
)
from portal.desks.models import Desk
from portal.text import slugify


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
