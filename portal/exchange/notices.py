"""E-mails to the tenants of a swap when it moves on: proposed to them, every tenant agreed (the
landlords decide), approved by every landlord, refused by one, declined by a tenant, completed. Each in
the tenant's language, naming no one."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.exchange.models import Listing, Swap, Tenant
from portal.mail import queue_mail
from portal.urls import public_url_for

SUBJECTS = {
    "proposed": _l("A swap is proposed to you"),
    "agreed": _l("Every tenant agrees to your swap"),
    "approved": _l("Your swap is approved"),
    "refused": _l("Your swap is refused"),
    "declined": _l("Your swap will not happen"),
    "completed": _l("Your swap is completed"),
}


def tell(session: Session, swap: Swap, event: str, but: int | None = None) -> None:
    """An e-mail about `event` to every tenant of the swap (but the listing `but`: the one who acted),
    sent once the caller's transaction commits."""
    ids = [move.listing_id for move in swap.moves if move.listing_id != but]
    rows = session.execute(
        select(Tenant.email, Tenant.locale)
        .join(Listing, Listing.tenant_id == Tenant.id)
        .where(Listing.id.in_(ids))
    )
    for email, locale in rows:
        with force_locale(locale):
            body = render_template(
                "exchange/mail_swap.txt",
                event=event,
                size=len(swap.moves),
                link=public_url_for("exchange_swaps.swaps", lang_code=locale),
            )
            queue_mail(session, email, str(SUBJECTS[event]), body, "exchange swap")


LISTING_SUBJECTS = {
    "message": _l("A new message on the swap exchange"),
    "suspended": _l("Your swap listing is suspended"),
}


def tell_tenant(session: Session, listing: Listing, event: str, link: str) -> None:
    """An e-mail about `event` ("message": another tenant wrote; "suspended": a moderator suspended
    the listing) to the listing's tenant, in their language; the message itself is not in it."""
    tenant = session.get(Tenant, listing.tenant_id)
    with force_locale(tenant.locale):
        body = render_template("exchange/mail_tenant.txt", event=event, link=link)
        queue_mail(session, tenant.email, str(LISTING_SUBJECTS[event]), body, "exchange " + event)
