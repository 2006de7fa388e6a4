"""E-mails of the partners' accounts, composed and sent by the job queue: a request only queues them, so it
answers at once and the same way whether an address has an account or not (nothing to time), and the
one-time code is made by the job itself (it never sits in the queue). Links come from PORTAL_PUBLIC_URL.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, db
from portal.backoffice.presenting import role_label
from portal.jobs import job
from portal.mail import send_mail
from portal.partners import accounts, tokens
from portal.partners.models import Organisation, User
from portal.urls import public_url_for

RETRIES = {"retries": 8, "retry_delay": 30, "retry_backoff": 2.0, "priority": 10}


def code_link(endpoint: str, code: str) -> str:
    """The page's address with the code after `#`: browsers never send it to the server."""
    return f"{public_url_for(endpoint)}#code={code}"


def _send_code(
    user: User, purpose: str, endpoint: str, locale: str, subject, template: str, **values
) -> None:
    """Make a one-time code for the person (committed first: the e-mail only carries it), then send it."""
    dbs = db.session()
    code = tokens.make_code(dbs, purpose, user, clock.now())
    dbs.commit()
    with force_locale(locale):
        link = code_link(endpoint, code)
        body = render_template(template, user=user, link=link, code=tokens.grouped(code), **values)
        send_mail(current_app.config["PORTAL_SETTINGS"], user.email, str(subject), body, purpose)


@job(**RETRIES)
def send_password_reset(email: str, locale: str) -> None:
    """A code to choose a new password, if the address has an active account with a password."""
    user = accounts.find_user(db.session(), email)
    if user is not None and user.active and user.password_hash:
        _send_code(
            user,
            "reset",
            "backoffice.reset_password",
            locale,
            _l("Choose a new password"),
            "backoffice/mail_reset.txt",
        )


@job(**RETRIES)
def send_invitation(user_id: int, organisation_id: int, admin_id: int, locale: str) -> None:
    """A code to open the account (7 days), for a person who has no password yet."""
    dbs = db.session()
    user, organisation = dbs.get(User, user_id), dbs.get(Organisation, organisation_id)
    if user is not None and organisation is not None and not user.password_hash:
        _send_code(
            user,
            "invitation",
            "backoffice.accept_invitation",
            locale,
            _l("Your account on the partners' workspace"),
            "backoffice/mail_invitation.txt",
            organisation=organisation,
            admin=dbs.get(User, admin_id),
        )


@job(**RETRIES)
def send_role_offer(user_id: int, organisation_id: int, role: str, admin_id: int, locale: str) -> None:
    """Tell a person with an account that a role waits for their answer on their dashboard."""
    dbs = db.session()
    user, organisation = dbs.get(User, user_id), dbs.get(Organisation, organisation_id)
    if user is None or organisation is None:
        return
    with force_locale(locale):
        body = render_template(
            "backoffice/mail_role_offer.txt",
            user=user,
            organisation=organisation,
            role=role_label(role),
            admin=dbs.get(User, admin_id),
            link=public_url_for("backoffice.dashboard"),
        )
        subject = _("A role is offered to you on the partners' workspace")
    send_mail(current_app.config["PORTAL_SETTINGS"], user.email, subject, body, "role offer")
